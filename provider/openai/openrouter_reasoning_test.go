package openai

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// OpenRouter's reasoning object as a client sent it reaches an OpenRouter
// upstream alone; OpenAI, Azure and any other OpenAI-compatible host get
// its meaning as reasoning_effort (o3-mini's level for a budget), never
// the object, which OpenAI refuses ("Unrecognized request argument
// supplied: reasoning").
func TestEncodeChatOpenRouterReasoning(t *testing.T) {
	raw := json.RawMessage(`{"max_tokens":20000,"exclude":true}`)
	for _, tt := range []struct {
		kind, base, want string
	}{
		{KindOpenAI, "https://openrouter.ai/api/v1", string(raw)},
		{KindOpenAI, "https://api.openai.com/v1", ""},
		{KindAzure, "https://res.openai.azure.com/openai/v1", ""},
		{KindOpenAI, "https://api.x.ai/v1", ""},
	} {
		c, err := New(provider.Config{Kind: tt.kind, BaseURL: tt.base, APIKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		req := &llm.Request{Model: "o3-mini", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")},
			Reasoning: &llm.Reasoning{BudgetTokens: 20000}, HideReasoning: true, OpenRouterReasoning: raw}
		body, err := c.encodeChat(req, false)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%s: %v in %s", tt.base, err, body)
		}
		if string(m["reasoning"]) != tt.want || string(m["reasoning_effort"]) != `"high"` {
			t.Errorf("%s: %s reasoning %s, reasoning_effort %s; want reasoning %q, effort high", tt.base, body, m["reasoning"], m["reasoning_effort"], tt.want)
		}
	}
}

// An OpenRouter deployment that declares its model's reasoning efforts
// is sent, for the object's effort it does not take, the nearest
// declared both as reasoning_effort and in the object (which OpenRouter
// reads first), its other members kept; an effort it takes and a budget
// go as the client sent them.
func TestEncodeChatOpenRouterReasoningDeclared(t *testing.T) {
	c, err := New(provider.Config{Kind: KindOpenAI, BaseURL: "https://openrouter.ai/api/v1", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	declared := []llm.Effort{llm.EffortLow, llm.EffortMedium, llm.EffortHigh}
	for _, tt := range []struct {
		obj          string
		asked        llm.Reasoning
		want, effort string
	}{
		{`{"effort":"xhigh","exclude":true}`, llm.Reasoning{Effort: llm.EffortXHigh}, `{"effort":"high","exclude":true}`, `"high"`},
		{`{"effort":"minimal","summary":"auto"}`, llm.Reasoning{Effort: llm.EffortMinimal, Show: true}, `{"effort":"low","summary":"auto"}`, `"low"`},
		{`{"effort":"medium"}`, llm.Reasoning{Effort: llm.EffortMedium}, `{"effort":"medium"}`, `"medium"`},
		{`{"max_tokens":20000}`, llm.Reasoning{BudgetTokens: 20000}, `{"max_tokens":20000}`, `"high"`},
	} {
		r := tt.asked
		req := &llm.Request{Model: "acme/reasoner-x", ReasoningEfforts: declared, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")},
			Reasoning: &r, OpenRouterReasoning: json.RawMessage(tt.obj)}
		body, err := c.encodeChat(req, false)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%s: %v in %s", tt.obj, err, body)
		}
		if string(m["reasoning"]) != tt.want || string(m["reasoning_effort"]) != tt.effort {
			t.Errorf("%s: reasoning %s, reasoning_effort %s; want %s, %s", tt.obj, m["reasoning"], m["reasoning_effort"], tt.want, tt.effort)
		}
		if string(req.OpenRouterReasoning) != tt.obj {
			t.Errorf("%s: the caller's object was changed to %s", tt.obj, req.OpenRouterReasoning)
		}
	}
}
