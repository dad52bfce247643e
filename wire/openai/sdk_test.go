package openai

import (
	"encoding/json"
	"testing"

	oai "github.com/openai/openai-go/v3"

	"switchyard/llm"
)

// The faithfulness tests: what the appenders write must read back through
// the official Go SDK's own types with every field where the SDK expects it.

func TestSDKReadsChatResponse(t *testing.T) {
	r := sampleResponse()
	var cc oai.ChatCompletion
	if err := json.Unmarshal(AppendChatResponse(nil, r), &cc); err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1019 OpenAI still sends system_fingerprint; the SDK must read ours.
	if cc.ID != r.ID || cc.Model != r.Model || cc.Created != r.Created || cc.SystemFingerprint != "fp_1" || string(cc.Object) != "chat.completion" {
		t.Errorf("header: %+v", cc)
	}
	if len(cc.Choices) != 4 {
		t.Fatalf("%d choices", len(cc.Choices))
	}
	c0, c1, c2 := cc.Choices[0], cc.Choices[1], cc.Choices[2]
	if c0.Message.Content != "Hi \"there\"\n" || c0.FinishReason != "stop" || string(c0.Message.Role) != "assistant" || c0.Message.JSON.Refusal.Raw() != "null" {
		t.Errorf("choice 0: %+v", c0)
	}
	if c1.Index != 1 || c1.FinishReason != "tool_calls" || c1.Message.JSON.Content.Raw() != "null" || len(c1.Message.ToolCalls) != 2 {
		t.Fatalf("choice 1: %+v", c1)
	}
	if tc := c1.Message.ToolCalls[0]; tc.ID != "call_a" || tc.Type != "function" || tc.Function.Name != "get_weather" || tc.Function.Arguments != `{"city":"Oslo"}` {
		t.Errorf("tool call: %+v", tc)
	}
	if c2.Message.Refusal != "I can't help with that." || c2.FinishReason != "content_filter" {
		t.Errorf("choice 2: %+v", c2)
	}
	checkSDKUsage(t, cc.Usage, r.Usage)
}

func checkSDKUsage(t *testing.T, got oai.CompletionUsage, want *llm.Usage) {
	t.Helper()
	g := llm.Usage{
		PromptTokens: int(got.PromptTokens), CompletionTokens: int(got.CompletionTokens), TotalTokens: int(got.TotalTokens),
		CachedPromptTokens: int(got.PromptTokensDetails.CachedTokens), CacheWriteTokens: int(got.PromptTokensDetails.CacheWriteTokens),
		AudioPromptTokens: int(got.PromptTokensDetails.AudioTokens), ReasoningTokens: int(got.CompletionTokensDetails.ReasoningTokens),
		AudioCompletionTokens:    int(got.CompletionTokensDetails.AudioTokens),
		AcceptedPredictionTokens: int(got.CompletionTokensDetails.AcceptedPredictionTokens),
		RejectedPredictionTokens: int(got.CompletionTokensDetails.RejectedPredictionTokens),
	}
	if g != *want {
		t.Errorf("usage as the SDK reads it: %+v, want %+v", g, *want)
	}
}

// TestSDKAccumulatesChunks runs a stream through openai-go's
// ChatCompletionAccumulator, chunk by chunk as the SDK would receive them.
func TestSDKAccumulatesChunks(t *testing.T) {
	chunks := sampleChunks()
	var acc oai.ChatCompletionAccumulator
	var buf []byte
	var sc oai.ChatCompletionChunk
	for i, c := range chunks {
		buf = AppendChunkIncludeUsage(buf[:0], c)
		sc = oai.ChatCompletionChunk{}
		if err := json.Unmarshal(buf, &sc); err != nil {
			t.Fatal(err)
		}
		if i < len(chunks)-1 && sc.JSON.Usage.Raw() != "null" {
			t.Errorf("chunk %d: usage %q, want null", i, sc.JSON.Usage.Raw())
		}
		if !acc.AddChunk(sc) {
			t.Fatalf("accumulator rejected chunk %d: %s", i, buf)
		}
	}
	//lint:ignore SA1019 OpenAI still sends system_fingerprint; the SDK must read ours.
	if acc.ID != "chatcmpl-123" || acc.Model != "gpt-4o-mini" || acc.SystemFingerprint != "fp_44709d6fcb" || len(acc.Choices) != 3 {
		t.Fatalf("accumulated: %+v", acc.ChatCompletion)
	}
	if c := acc.Choices[0]; c.Message.Content != "Hello \u2028 wörld" || c.FinishReason != "stop" || string(c.Message.Role) != "assistant" {
		t.Errorf("choice 0: %+v", c)
	}
	c1 := acc.Choices[1]
	if len(c1.Message.ToolCalls) != 2 || c1.FinishReason != "tool_calls" {
		t.Fatalf("choice 1: %+v", c1)
	}
	if tc := c1.Message.ToolCalls[0]; tc.ID != "call_1" || tc.Function.Name != "get_weather" || tc.Function.Arguments != `{"city":"Oslo"}` {
		t.Errorf("tool call 0: %+v", tc)
	}
	if tc := c1.Message.ToolCalls[1]; tc.ID != "call_2" || tc.Function.Name != "get_time" || tc.Function.Arguments != "{}" {
		t.Errorf("tool call 1: %+v", tc)
	}
	if c := acc.Choices[2]; c.Message.Refusal != "No." || c.FinishReason != "content_filter" {
		t.Errorf("choice 2: %+v", c)
	}
	want := *chunks[len(chunks)-1].Usage
	if len(sc.Choices) != 0 || sc.JSON.Choices.Raw() != "[]" {
		t.Errorf("usage chunk choices: %q", sc.JSON.Choices.Raw())
	}
	checkSDKUsage(t, sc.Usage, &want)
	// The accumulator sums every count but cache_write_tokens (an SDK gap).
	want.CacheWriteTokens = 0
	checkSDKUsage(t, acc.Usage, &want)
}

func TestSDKReadsChunkWithoutUsageField(t *testing.T) {
	var sc oai.ChatCompletionChunk
	if err := json.Unmarshal(AppendChunk(nil, sampleChunks()[1]), &sc); err != nil {
		t.Fatal(err)
	}
	if sc.JSON.Usage.Valid() || sc.Choices[0].Delta.Content != "Hel" || sc.Choices[0].JSON.FinishReason.Raw() != "null" {
		t.Errorf("chunk: %+v", sc)
	}
}

func TestSDKReadsEmbeddings(t *testing.T) {
	r := &llm.EmbeddingResponse{Model: "e", Usage: llm.Usage{PromptTokens: 3, TotalTokens: 3},
		Data: []llm.Embedding{{Index: 0, Vector: []float32{0.5, -1.25, 3e-8}}, {Index: 1, Vector: []float32{1}}}}
	for _, format := range []string{"float", "base64"} {
		var er oai.CreateEmbeddingResponse
		if err := json.Unmarshal(AppendEmbeddingResponse(nil, r, format), &er); err != nil {
			t.Fatal(err)
		}
		if er.Model != "e" || er.Usage.PromptTokens != 3 || er.Usage.TotalTokens != 3 || len(er.Data) != 2 {
			t.Fatalf("%s: %+v", format, er)
		}
		for i, e := range er.Data {
			if int(e.Index) != i || len(e.Embedding) != len(r.Data[i].Vector) {
				t.Fatalf("%s: embedding %d: %+v", format, i, e)
			}
			for j, v := range e.Embedding {
				if float32(v) != r.Data[i].Vector[j] {
					t.Errorf("%s: [%d][%d] = %v, want %v", format, i, j, v, r.Data[i].Vector[j])
				}
			}
		}
	}
}

func TestSDKReadsModelList(t *testing.T) {
	var page struct {
		Object string      `json:"object"`
		Data   []oai.Model `json:"data"`
	}
	body := AppendModelList(nil, []Model{{ID: "auto", OwnedBy: "switchyard", Created: 1700000000}, {ID: "gpt-4o"}})
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	if page.Object != "list" || len(page.Data) != 2 || page.Data[0].ID != "auto" || page.Data[0].OwnedBy != "switchyard" ||
		page.Data[0].Created != 1700000000 || string(page.Data[1].Object) != "model" {
		t.Errorf("%s", body)
	}
	if got := string(AppendModelList(nil, nil)); got != `{"object":"list","data":[]}` {
		t.Errorf("empty list: %s", got)
	}
}
