package anthropic

import (
	"context"
	"encoding/json"
	"testing"

	"switchyard/llm"
	"switchyard/store"
)

// FuzzThreadBody feeds request bodies to threadBody, with one thread held
// (msg_1): it never panics, fails only with an *llm.Error, and a body it
// rewrites for a continue is JSON holding the held message before the
// request's.
func FuzzThreadBody(f *testing.F) {
	for _, seed := range []string{
		`{"model":"m","max_tokens":5,"thread":{"type":"create"},"messages":[{"role":"user","content":"hi"}]}`,
		`{"model":"m","max_tokens":5,"thread":{"type":"continue","previous_message_id":"msg_1"},"messages":[{"role":"user","content":"again"}]}`,
		`{"model":"m","thread":{"type":"continue","previous_message_id":"msg_1"},"system":"other","messages":[]}`,
		`{"model":"m","thread":{"type":"continue","previous_message_id":"msg_2"},"messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}]}]}`,
		`{"thread":null,"messages":{}}`,
		`{"thread":{"type":"create"},"messages":"x"}`,
		`[1,2]`,
	} {
		f.Add([]byte(seed))
	}
	th := &memThreads{turns: map[string]*store.Response{"msg_1": {ID: "msg_1",
		Input:  []byte(`{"system":"Be brief.","messages":[{"role":"user","content":[{"type":"text","text":"held","cache_control":{"type":"ephemeral"}}]}]}`),
		Output: []byte(`[{"role":"assistant","content":[{"type":"text","text":"reply"}]}]`)}}}
	h := &Handler{Threads: th}
	f.Fuzz(func(t *testing.T, body []byte) {
		out, turn, err := h.threadBody(context.Background(), body)
		if err != nil {
			if _, ok := err.(*llm.Error); !ok {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if turn == nil || turn.parent == "" {
			return
		}
		var m struct{ Messages []json.RawMessage }
		if json.Unmarshal(out, &m) != nil || len(m.Messages) < 2 {
			t.Fatalf("continued body %s", out)
		}
	})
}
