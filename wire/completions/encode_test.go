package completions

import (
	"encoding/json"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/llm"
)

func lp(tok string, v float64, alts ...llm.TopLogprob) llm.TokenLogprob {
	return llm.TokenLogprob{Token: tok, Logprob: v, TopLogprobs: alts}
}

// The response decodes with openai-go's Completion: text (the prompt
// first with echo), finish reasons mapped, logprobs in the legacy shape
// with text_offset counted after the prompt, usage and its cost.
func TestAppendResponse(t *testing.T) {
	req, err := DecodeRequest([]byte(`{"model":"auto","prompt":"Été is","logprobs":2,"n":2}`))
	if err != nil {
		t.Fatal(err)
	}
	resp := &llm.Response{ID: "chatcmpl-1", Model: "gpt-4o-mini", SystemFingerprint: "fp_1", Usage: &llm.Usage{PromptTokens: 3, CompletionTokens: 2, TotalTokens: 5},
		Choices: []llm.Choice{
			{Index: 0, Message: llm.TextMessage(llm.RoleAssistant, " hot."), FinishReason: llm.FinishStop, Logprobs: &llm.Logprobs{Content: []llm.TokenLogprob{
				lp(" hot", -0.1, llm.TopLogprob{Token: " hot", Logprob: -0.1}, llm.TopLogprob{Token: " warm", Logprob: -2.5}, llm.TopLogprob{Token: " x", Logprob: -3}),
				lp(".", -0.01),
			}}},
			{Index: 1, Message: llm.TextMessage(llm.RoleAssistant, " summer"), FinishReason: llm.FinishLength},
		}}
	b := AppendResponse(nil, req, &Meta{ID: "cmpl-abc", Created: 1700000000, Model: "gpt-4o-mini"}, resp, "0.000123")
	var c openai.Completion
	if err := json.Unmarshal(b, &c); err != nil || !json.Valid(b) {
		t.Fatalf("%s: %v", b, err)
	}
	if c.ID != "cmpl-abc" || c.Object != "text_completion" || c.Created != 1700000000 || c.Model != "gpt-4o-mini" || c.SystemFingerprint != "fp_1" {
		t.Errorf("head: %s", b)
	}
	if len(c.Choices) != 2 || c.Choices[0].Text != " hot." || c.Choices[0].FinishReason != "stop" || c.Choices[1].Text != " summer" || c.Choices[1].FinishReason != "length" {
		t.Errorf("choices: %s", b)
	}
	l := c.Choices[0].Logprobs
	if len(l.Tokens) != 2 || l.Tokens[0] != " hot" || l.TokenLogprobs[1] != -0.01 || len(l.TopLogprobs) != 2 || len(l.TopLogprobs[0]) != 2 || l.TopLogprobs[0][" warm"] != -2.5 {
		t.Errorf("logprobs: %s", b)
	}
	if len(l.TextOffset) != 2 || l.TextOffset[0] != 6 || l.TextOffset[1] != 10 {
		t.Errorf("text_offset = %v, want [6 10] (after the 6-character prompt)", l.TextOffset)
	}
	if c.Choices[1].Logprobs.JSON.Tokens.Valid() {
		t.Errorf("a choice without logprobs has them: %s", b)
	}
	if c.Usage.TotalTokens != 5 || c.Usage.JSON.ExtraFields["cost"].Raw() != "0.000123" {
		t.Errorf("usage: %s", b)
	}

	echo, _ := DecodeRequest([]byte(`{"model":"auto","prompt":"Roses are red,","echo":true}`))
	resp.Choices = resp.Choices[1:]
	b = AppendResponse(nil, echo, &Meta{ID: "cmpl-x", Model: "m"}, resp, "")
	if err := json.Unmarshal(b, &c); err != nil || c.Choices[0].Text != "Roses are red, summer" || c.Choices[0].JSON.Logprobs.Raw() != "null" {
		t.Errorf("echo: %s, %v", b, err)
	}
}

// A stream's objects: nothing for a role-only chunk; the prompt before a
// choice's first text with echo; the answering model; text_offset going
// on from chunk to chunk; the usage last, without choices.
func TestStream(t *testing.T) {
	req, _ := DecodeRequest([]byte(`{"model":"auto","prompt":"ab","echo":true,"stream":true}`))
	s := NewStream(req, Meta{ID: "cmpl-1", Created: 1, Model: "auto"})
	if b, ok := s.AppendChunk(nil, &llm.Chunk{Model: "gpt-4o-mini", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant}}}}); ok || len(b) != 0 {
		t.Errorf("a role-only chunk wrote %q", b)
	}
	var got []openai.Completion
	for _, c := range []llm.Chunk{
		{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "c"}}}},
		{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "d"}, FinishReason: llm.FinishStop}}},
	} {
		b, ok := s.AppendChunk(nil, &c)
		var v openai.Completion
		if !ok || json.Unmarshal(b, &v) != nil {
			t.Fatalf("%q %v", b, ok)
		}
		got = append(got, v)
	}
	if got[0].Choices[0].Text != "abc" || got[1].Choices[0].Text != "d" || got[1].Choices[0].FinishReason != "stop" || got[0].Model != "gpt-4o-mini" {
		t.Errorf("stream: %+v", got)
	}
	if got[0].Choices[0].JSON.FinishReason.Raw() != "null" {
		t.Errorf("finish_reason before the end = %s, want null", got[0].Choices[0].JSON.FinishReason.Raw())
	}
	var last openai.Completion
	b := s.AppendUsage(nil, &llm.Usage{PromptTokens: 1, CompletionTokens: 2, TotalTokens: 3}, "0.01")
	if err := json.Unmarshal(b, &last); err != nil || len(last.Choices) != 0 || last.Usage.TotalTokens != 3 || !json.Valid(b) {
		t.Errorf("usage object %s: %v", b, err)
	}

	lpReq, _ := DecodeRequest([]byte(`{"model":"auto","prompt":"xy","logprobs":0,"stream":true}`))
	s = NewStream(lpReq, Meta{ID: "cmpl-2"})
	var offs []int64
	for _, tok := range []string{"é", "ab"} {
		b, _ := s.AppendChunk(nil, &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: tok}, Logprobs: &llm.Logprobs{Content: []llm.TokenLogprob{lp(tok, -1)}}}}})
		var v openai.Completion
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		offs = append(offs, v.Choices[0].Logprobs.TextOffset...)
		if v.Choices[0].Logprobs.JSON.TopLogprobs.Raw() != "null" {
			t.Errorf("logprobs 0: top_logprobs %s, want null", v.Choices[0].Logprobs.JSON.TopLogprobs.Raw())
		}
	}
	if len(offs) != 2 || offs[0] != 2 || offs[1] != 3 {
		t.Errorf("text offsets %v, want [2 3]", offs)
	}
}
