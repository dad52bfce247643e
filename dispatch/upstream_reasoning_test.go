package dispatch

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// A deployment that cannot reason is sent no reasoning controls: neither
// the reasoning nor OpenRouter's reasoning object a client sent, which
// the route header names dropped (reasoning) as it does the reasoning; a
// deployment that can reason gets both.
func TestUpstreamReasoningForModelThatCannotReason(t *testing.T) {
	obj := json.RawMessage(`{"effort":"high"}`)
	req := &llm.Request{Model: "auto", Reasoning: &llm.Reasoning{Effort: llm.EffortHigh}, OpenRouterReasoning: obj}
	plain := &llm.Deployment{Model: "openai/gpt-4o"}
	if up := Upstream(req, plain); up.Reasoning != nil || up.OpenRouterReasoning != nil {
		t.Errorf("a model that cannot reason is sent reasoning %+v, object %s", up.Reasoning, up.OpenRouterReasoning)
	}
	excluded := &llm.Request{Model: "auto", OpenRouterReasoning: json.RawMessage(`{"exclude":true}`)}
	if up := Upstream(excluded, plain); up.OpenRouterReasoning != nil {
		t.Errorf("a model that cannot reason is sent the object %s", up.OpenRouterReasoning)
	}
	thinker := &llm.Deployment{Model: "deepseek/deepseek-r1", Capabilities: []llm.Capability{llm.CapReasoning}}
	if up := Upstream(req, thinker); up.Reasoning == nil || string(up.OpenRouterReasoning) != string(obj) {
		t.Errorf("a model that reasons is sent reasoning %+v, object %s", up.Reasoning, up.OpenRouterReasoning)
	}
	if req.OpenRouterReasoning == nil || req.Reasoning == nil {
		t.Errorf("the request was changed: %+v", req)
	}
}
