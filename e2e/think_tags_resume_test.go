package e2e

import (
	"net/http/httptest"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// A stream of a <think>-writing model cut by its host is continued by
// prefill on a vLLM deployment of the same model (continuation: vllm):
// cut inside the block, the prefill is the block so far ("<think>\n" and
// the reasoning relayed) and the continuation is reasoning up to its
// </think>, then text; cut in the text, the continuation is text, even
// for think_tags on (whose answers need no opening tag). Either way the
// Chat client reads the reasoning_content and content an unbroken
// stream gives, in one stream.
func TestThinkTagsResume(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, model, tags string
		opens             bool
		after             int
	}{
		{"in the block", "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "", false, 4},
		{"in the block, the tag in the prompt", "DeepSeek-R1-0528", "on", true, 4},
		{"in the text, the tag in the prompt", "DeepSeek-R1-0528", "on", true, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			faults := &sim.Faults{}
			faults.Add(sim.Fault{Kind: sim.FaultCut, Model: tc.model, Count: 1, After: tc.after})
			srv := httptest.NewServer(simopenai.New(sim.NewCatalog(sim.Profile{Model: tc.model, Reasoning: true, ThinkTags: true, PromptOpensThink: tc.opens}), faults))
			t.Cleanup(srv.Close)
			e := newEnv(t, func(c *config.Config) {
				c.Providers["vllm"] = &config.Provider{Name: "vllm", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
				for _, name := range []string{"first", "second"} {
					c.Deployments[name] = &config.Deployment{Name: name, Provider: "vllm", Model: tc.model, ThinkTags: tc.tags, Continuation: "vllm",
						Capabilities: []llm.Capability{llm.CapStreaming, llm.CapReasoning}}
				}
				c.Routes["think"] = &config.Route{Name: "think", Deployments: []string{"first", "second"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
			})
			ask := func(model string) (string, string) {
				got, rc := askDeepSeek(t, e, openai.ChatCompletionNewParams{Model: model,
					Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")}}, true)
				return rc, got.Choices[0].Message.Content
			}
			rc, text := ask("think")
			rec := e.recorded(t, 1)[0]
			if rec.ResumedFrom != "first" || rec.ResumeMode != "prefill" {
				t.Fatalf("not resumed by prefill: from %q mode %q", rec.ResumedFrom, rec.ResumeMode)
			}
			wantRC, wantText := ask("second") // the fault spent: unbroken
			if rc != wantRC || text != wantText || rc != thinkTagsReasoning {
				t.Errorf("resumed: reasoning_content %q, content %q\nunbroken: %q, %q", rc, text, wantRC, wantText)
			}
		})
	}
}
