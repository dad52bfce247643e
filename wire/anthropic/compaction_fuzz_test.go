package anthropic

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

// FuzzCompactionRequest decodes requests with compaction, compaction
// blocks and task budgets: whatever is accepted (a router block opened
// by a stand-in opener) translates, and what each kind of Claude model
// is sent of it is a request the API takes.
func FuzzCompactionRequest(f *testing.F) {
	for _, seed := range []string{
		`{"model":"m","max_tokens":5,"compaction":{"type":"summarize","instructions":"  "},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"compaction":{"type":"summarize"},"context_management":null,"messages":[{"role":"assistant","content":[` + anthropicBlock + `]},{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[` + anthropicBlock + `,{"type":"tool_use","id":"t","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"r"}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"system","content":"s"},{"role":"user","content":[{"type":"compaction","content":"s","encrypted_content":"swy1.ok","cache_control":{"type":"ephemeral"}},{"type":"text","text":"y"}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"compaction","content":null,"encrypted_content":null,"signature":null}]},{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"compaction","content":"s","encrypted_content":"swy1.no"}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"compaction","content":7}]}]}`,
		`{"model":"m","max_tokens":5,"output_config":{"task_budget":{"type":"tokens","total":20000,"remaining":0}},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"output_config":{"task_budget":{"type":"tokens","total":1e30}},"messages":[{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"output_config":{"task_budget":null},"compaction":[],"messages":[{"role":"user","content":"x"}]}`,
	} {
		f.Add([]byte(seed))
	}
	open := func(blob string) (string, bool) { return "opened", blob == "swy1.ok" }
	f.Fuzz(func(t *testing.T, data []byte) {
		mr, err := DecodeMessagesRequest(data, false)
		if err == nil {
			err = Validate(mr)
		}
		if err == nil {
			err = OpenCompactions(mr, open)
		}
		var req *llm.Request
		if err == nil {
			req, err = RequestToLLM(mr)
		}
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %T %v is not an invalid_request *llm.Error with a message", err, err)
			}
			return
		}
		if namesFileByID(req) {
			return
		}
		for _, model := range []string{"m", "claude-opus-4-6", "claude-opus-4-7"} {
			r := *req
			r.Model = model
			out, err := FromLLM(&r)
			if err != nil {
				t.Fatalf("accepted %s but FromLLM(%s) refuses it: %v", data, model, err)
			}
			b, _ := json.Marshal(out)
			again, err := DecodeMessagesRequest(b, false)
			if err == nil {
				err = Validate(again)
			}
			if err != nil {
				t.Fatalf("accepted %s, but what %s is sent (%s) is invalid: %v", data, model, b, err)
			}
			if strings.Contains(string(b), RouterCompactionPrefix+"ok") {
				t.Fatalf("%s is sent the router's sealed blob: %s", model, b)
			}
		}
	})
}
