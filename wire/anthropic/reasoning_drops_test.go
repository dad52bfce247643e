package anthropic

import (
	"encoding/json"
	"slices"
	"testing"

	"switchyard/llm"
)

// ReasoningDrops names exactly what FromLLM leaves out: each case is
// encoded too, and the names must match the fields missing from the body.
func TestReasoningDrops(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	n := func(v int) *int { return &v }
	tools := []llm.Tool{{Name: "f"}}
	for _, tt := range []struct {
		name string
		req  llm.Request
		want []string
	}{
		{"no reasoning", llm.Request{Temperature: f(0.2)}, nil},
		{"effort none", llm.Request{Reasoning: &llm.Reasoning{Effort: llm.EffortNone}, Temperature: f(0.2)}, nil},
		{"sampling kept at defaults", llm.Request{Reasoning: &llm.Reasoning{Effort: "high"}, Temperature: f(1), TopP: f(0.95)}, nil},
		{"sampling dropped", llm.Request{Reasoning: &llm.Reasoning{Effort: "high"}, Temperature: f(0.2), TopP: f(0.5), TopK: n(5)},
			[]string{"temperature", "top_k", "top_p"}},
		{"forced tool drops the thinking", llm.Request{Reasoning: &llm.Reasoning{Effort: "high"}, Temperature: f(0.2), Tools: tools,
			ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}}, []string{"reasoning"}},
		{"no room to think", llm.Request{Reasoning: &llm.Reasoning{Effort: "low"}, MaxTokens: n(1000)}, []string{"reasoning"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Model = "claude-sonnet-4-20250514" // takes temperature and top_p together (one_sampler_test.go has the later models)
			tt.req.Messages = []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}
			got := ReasoningDrops(&tt.req)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("ReasoningDrops = %v, want %v", got, tt.want)
			}
			out, err := FromLLM(&tt.req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(out)
			var body map[string]any
			_ = json.Unmarshal(b, &body)
			thinks := body["thinking"] != nil
			if tt.req.Reasoning != nil && tt.req.Reasoning.Effort != llm.EffortNone && thinks == slices.Contains(got, "reasoning") {
				t.Errorf("thinking in the body %v, dropped %v", thinks, got)
			}
			for _, name := range got {
				if name != "reasoning" && body[name] != nil {
					t.Errorf("%s named dropped but sent: %s", name, b)
				}
			}
		})
	}
}
