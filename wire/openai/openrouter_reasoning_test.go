package openai

import (
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// orReasoningBody is a request whose top-level members are extra, a
// reasoning object among them.
func orReasoningBody(extra string) string {
	return `{"model":"m","messages":[{"role":"user","content":"x"}],` + extra + `}`
}

// TestDecodeOpenRouterReasoning: OpenRouter's reasoning object sets the
// request's reasoning (level, budget, shown unless excluded), the object
// itself kept for an OpenRouter upstream and never left in Extra; its
// level wins over reasoning_effort's in either order.
func TestDecodeOpenRouterReasoning(t *testing.T) {
	for _, tc := range []struct {
		name, extra string
		want        *llm.Reasoning
		hide        bool
	}{
		{"effort", `"reasoning":{"effort":"high"}`, &llm.Reasoning{Effort: llm.EffortHigh, Show: true}, false},
		{"effort excluded", `"reasoning":{"effort":"low","exclude":true}`, &llm.Reasoning{Effort: llm.EffortLow}, true},
		{"budget", `"reasoning":{"max_tokens":3000}`, &llm.Reasoning{BudgetTokens: 3000, Show: true}, false},
		{"enabled", `"reasoning":{"enabled":true}`, &llm.Reasoning{Effort: llm.EffortMedium, Show: true}, false},
		{"disabled", `"reasoning":{"enabled":false}`, &llm.Reasoning{Effort: llm.EffortNone}, false},
		{"effort none", `"reasoning":{"effort":"none"}`, &llm.Reasoning{Effort: llm.EffortNone}, false},
		{"exclude alone", `"reasoning":{"exclude":true}`, nil, true},
		{"empty", `"reasoning":{}`, nil, false},
		{"unmodeled members", `"reasoning":{"effort":"xhigh","summary":"auto","mode":"standard"}`, &llm.Reasoning{Effort: llm.EffortXHigh, Show: true}, false},
		{"nulls", `"reasoning":{"effort":null,"max_tokens":null,"enabled":null,"exclude":null}`, nil, false},
		{"object wins after", `"reasoning_effort":"low","reasoning":{"effort":"high"}`, &llm.Reasoning{Effort: llm.EffortHigh, Show: true}, false},
		{"object wins before", `"reasoning":{"max_tokens":20000},"reasoning_effort":"low"`, &llm.Reasoning{BudgetTokens: 20000, Show: true}, false},
		{"exclude keeps reasoning_effort", `"reasoning_effort":"high","reasoning":{"exclude":true}`, &llm.Reasoning{Effort: llm.EffortHigh}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := DecodeChatRequest([]byte(orReasoningBody(tc.extra)))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(req.Reasoning, tc.want) {
				t.Errorf("Reasoning = %+v, want %+v", req.Reasoning, tc.want)
			}
			if req.HideReasoning != tc.hide {
				t.Errorf("HideReasoning = %v, want %v", req.HideReasoning, tc.hide)
			}
			if _, ok := req.Extra["reasoning"]; ok {
				t.Error("reasoning left in Extra: it would reach an OpenAI upstream raw")
			}
			start := strings.Index(tc.extra, `"reasoning":`) + len(`"reasoning":`)
			raw := tc.extra[start : start+strings.Index(tc.extra[start:], "}")+1]
			if string(req.OpenRouterReasoning) != raw {
				t.Errorf("OpenRouterReasoning = %s, want %s", req.OpenRouterReasoning, raw)
			}
		})
	}
	req, err := DecodeChatRequest([]byte(orReasoningBody(`"reasoning":null`)))
	if err != nil || req.Reasoning != nil || req.OpenRouterReasoning != nil || req.Extra["reasoning"] != nil {
		t.Errorf("reasoning null: %+v, %v", req, err)
	}
}

// orReasoningErrorCases are reasoning objects DecodeChatRequest refuses,
// with the param and message of the 400.
var orReasoningErrorCases = []struct{ body, param, msg string }{
	{orReasoningBody(`"reasoning":{"effort":"extreme"}`), "reasoning.effort", "Invalid value for 'reasoning.effort': 'extreme'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh' and 'max'."},
	{orReasoningBody(`"reasoning":{"effort":3}`), "reasoning.effort", "Invalid type for 'reasoning.effort': expected a string"},
	{orReasoningBody(`"reasoning":{"max_tokens":0}`), "reasoning.max_tokens", "Invalid 'reasoning.max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead."},
	{orReasoningBody(`"reasoning":{"max_tokens":1.5}`), "reasoning.max_tokens", "expected an integer"},
	{orReasoningBody(`"reasoning":{"exclude":"yes"}`), "reasoning.exclude", "Invalid type for 'reasoning.exclude': expected a boolean"},
	{orReasoningBody(`"reasoning":{"enabled":1}`), "reasoning.enabled", "Invalid type for 'reasoning.enabled': expected a boolean"},
	{orReasoningBody(`"reasoning":"high"`), "reasoning", "Invalid type for 'reasoning': expected an object"},
	{orReasoningBody(`"reasoning":{"effort":"high","max_tokens":2000}`), "reasoning", "Invalid 'reasoning': 'effort' and 'max_tokens' cannot both be set. Send one of them."},
	{orReasoningBody(`"reasoning":{"enabled":false,"effort":"low"}`), "reasoning", "Invalid 'reasoning': 'enabled' is false but an 'effort' or 'max_tokens' is set. Remove one of them."},
}

// TestDecodeOpenRouterReasoningErrors: a bad reasoning object is a 400
// in OpenAI's shape naming the member.
func TestDecodeOpenRouterReasoningErrors(t *testing.T) {
	for _, tc := range orReasoningErrorCases {
		_, err := DecodeChatRequest([]byte(tc.body))
		e, ok := err.(*llm.Error)
		if !ok {
			t.Errorf("%s: err = %v, want *llm.Error", tc.body, err)
			continue
		}
		if e.Kind != llm.KindInvalidRequest || e.Param != tc.param || !strings.Contains(e.Message, tc.msg) {
			t.Errorf("%s: %v param %q %q; want param %q, message with %q", tc.body, e.Kind, e.Param, e.Message, tc.param, tc.msg)
		}
	}
}
