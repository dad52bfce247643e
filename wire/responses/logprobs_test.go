package responses

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// TestDecodeLogprobs checks what asks for logprobs: the include value,
// top_logprobs above 0 (with or without it); top_logprobs 0 alone does
// not.
func TestDecodeLogprobs(t *testing.T) {
	for _, tt := range []struct {
		body     string
		logprobs bool
		top      int
	}{
		{`{"model":"m","input":"hi","include":["message.output_text.logprobs"]}`, true, 0},
		{`{"model":"m","input":"hi","include":["reasoning.encrypted_content","message.output_text.logprobs"],"top_logprobs":5}`, true, 5},
		{`{"model":"m","input":"hi","top_logprobs":3}`, true, 3},
		{`{"model":"m","input":"hi","top_logprobs":0}`, false, 0},
		{`{"model":"m","input":"hi","include":["reasoning.encrypted_content"]}`, false, 0},
	} {
		r := decodeOK(t, tt.body)
		if r.Chat.Logprobs != tt.logprobs || r.Chat.TopLogprobs != tt.top {
			t.Errorf("%s: logprobs %v top %d", tt.body, r.Chat.Logprobs, r.Chat.TopLogprobs)
		}
	}
}

func tokens(words ...string) []llm.TokenLogprob {
	out := make([]llm.TokenLogprob, len(words))
	for i, w := range words {
		out[i] = llm.TokenLogprob{Token: w, Logprob: -0.5, Bytes: []byte(w), TopLogprobs: []llm.TopLogprob{{Token: w, Logprob: -0.5, Bytes: []byte(w)}}}
	}
	return out
}

// TestResponseLogprobs checks the output_text part of a complete
// response: its tokens in the LogProb shape, bytes included.
func TestResponseLogprobs(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","include":["message.output_text.logprobs"],"top_logprobs":1}`)
	resp := &llm.Response{Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "Hi there"), FinishReason: llm.FinishStop,
		Logprobs: &llm.Logprobs{Content: tokens("Hi", " there")}}}}
	out := FromResponse(resp, IDs{Base: "b"})
	var v struct {
		TopLogprobs int `json:"top_logprobs"`
		Output      []struct {
			Content []struct {
				Logprobs []map[string]any `json:"logprobs"`
			} `json:"content"`
		} `json:"output"`
	}
	body := AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}, Model: "m"}, &out)
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	lp := v.Output[0].Content[0].Logprobs
	want := map[string]any{"token": " there", "logprob": -0.5, "bytes": []any{32.0, 116.0, 104.0, 101.0, 114.0, 101.0},
		"top_logprobs": []any{map[string]any{"token": " there", "logprob": -0.5, "bytes": []any{32.0, 116.0, 104.0, 101.0, 114.0, 101.0}}}}
	if v.TopLogprobs != 1 || len(lp) != 2 || !reflect.DeepEqual(lp[1], want) {
		t.Errorf("top_logprobs %d, logprobs %v\nbody %s", v.TopLogprobs, lp, body)
	}
}

// TestStreamLogprobs checks the streamed events: each output_text delta
// carries its tokens (without bytes, the ResponseLogProb shape), the done
// event all of them, and the part and item done events and the final
// response the whole list with bytes.
func TestStreamLogprobs(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","stream":true,"include":["message.output_text.logprobs"]}`)
	s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, CreatedAt: 1, Model: "up"})
	b := s.Start(nil)
	for _, w := range []string{"Hi", " there"} {
		b = s.Chunk(b, &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: w}, Logprobs: &llm.Logprobs{Content: tokens(w)}}}})
	}
	b = s.Chunk(b, finishChunk(llm.FinishStop))
	evs := parseEvents(t, s.Finish(b, ""))
	var deltas []string
	for _, e := range evs {
		switch e.name {
		case "response.output_text.delta":
			lp := e.data["logprobs"].([]any)
			tok := lp[0].(map[string]any)
			if _, has := tok["bytes"]; has || len(lp) != 1 || tok["token"] != e.data["delta"] {
				t.Errorf("delta logprobs %v", lp)
			}
			deltas = append(deltas, tok["token"].(string))
		case "response.output_text.done":
			if lp := e.data["logprobs"].([]any); len(lp) != 2 {
				t.Errorf("done logprobs %v", lp)
			}
		case "response.content_part.done":
			part := e.data["part"].(map[string]any)
			if lp := part["logprobs"].([]any); len(lp) != 2 || lp[0].(map[string]any)["bytes"] == nil {
				t.Errorf("part logprobs %v", lp)
			}
		}
	}
	if strings.Join(deltas, "") != "Hi there" {
		t.Errorf("delta tokens %q", deltas)
	}
	final := evs[len(evs)-1].data["response"].(map[string]any)
	content := final["output"].([]any)[0].(map[string]any)["content"].([]any)[0].(map[string]any)
	if lp := content["logprobs"].([]any); len(lp) != 2 {
		t.Errorf("completed response logprobs %v", lp)
	}
}
