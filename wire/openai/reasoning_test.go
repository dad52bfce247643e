package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestReasoningEffortDecode(t *testing.T) {
	for body, want := range map[string]*llm.Reasoning{
		`"reasoning_effort":null`:    nil,
		`"reasoning_effort":"high"`:  {Effort: llm.EffortHigh},
		`"reasoning_effort":"none"`:  {Effort: llm.EffortNone},
		`"reasoning_effort":"xhigh"`: {Effort: llm.EffortXHigh},
	} {
		req, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":"x"}],` + body + `}`))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if (req.Reasoning == nil) != (want == nil) || want != nil && *req.Reasoning != *want {
			t.Errorf("%s: got %+v, want %+v", body, req.Reasoning, want)
		}
		if _, ok := req.Extra["reasoning_effort"]; ok {
			t.Errorf("%s: reasoning_effort left in Extra", body)
		}
	}
}

// TestReasoningEffortEncode: an effort goes out as sent; a budget (an
// Anthropic client's) as its nearest level (llm.EffortFor); adaptive as
// medium. Nothing is written without a Reasoning. The codec writes the
// level as it is: the adapter has changed one the model does not take
// (DropFixedSampling, TestDropFixedSamplingEffort).
func TestReasoningEffortEncode(t *testing.T) {
	for _, c := range []struct {
		r    *llm.Reasoning
		want string
	}{
		{nil, ""},
		{&llm.Reasoning{Effort: llm.EffortMinimal}, `"reasoning_effort":"minimal"`},
		{&llm.Reasoning{BudgetTokens: 1024}, `"reasoning_effort":"low"`},
		{&llm.Reasoning{BudgetTokens: 8000}, `"reasoning_effort":"medium"`},
		{&llm.Reasoning{BudgetTokens: 16000}, `"reasoning_effort":"high"`},
		{&llm.Reasoning{BudgetTokens: 32000}, `"reasoning_effort":"xhigh"`},
		{&llm.Reasoning{Adaptive: true}, `"reasoning_effort":"medium"`},
	} {
		req := &llm.Request{Model: "o3", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "x")}, Reasoning: c.r,
			Extra: map[string]json.RawMessage{"reasoning_effort": json.RawMessage(`"stale"`)}}
		body, err := EncodeChatRequest(req)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(body), "stale") {
			t.Errorf("%+v: Extra's reasoning_effort written: %s", c.r, body)
		}
		if c.want == "" && strings.Contains(string(body), "reasoning_effort") || !strings.Contains(string(body), c.want) {
			t.Errorf("%+v: got %s, want %s", c.r, body, c.want)
		}
	}
}
