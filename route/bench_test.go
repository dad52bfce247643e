package route

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// BenchmarkPlan measures one decision (no classification) for a 500-token
// prompt on a route with category policies, rules and a split.
func BenchmarkPlan(b *testing.B) {
	p := testPolicy(b)
	cases := []struct {
		name string
		in   *Input
	}{
		{"chat-rules", req("support", llm.CategoryChat)},
		{"code-split", req("support", llm.CategoryCode)},
		{"builtin-auto", req(Auto, llm.CategoryReasoning)},
		{"pinned", req("big", llm.CategoryChat)},
		{"rejections", req("support", llm.CategoryReasoning, func(in *Input) { in.Features.Language = "es" })},
	}
	for _, c := range cases {
		c.in.Features.PromptTokens = 500
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				c.in.Seed = uint64(i)
				if _, err := p.Plan(c.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSummary measures the x-switchyard-route header value.
func BenchmarkSummary(b *testing.B) {
	p := testPolicy(b)
	plan, err := p.Plan(req("support", llm.CategoryChat))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = plan.Summary(0, plan.First(), 1)
	}
}

// BenchmarkPlanAdaptive compares one decision on a three-deployment
// route ranked by the static scorer with the same route learning
// (adaptive: every deployment learned, 5% exploration): the cost of the
// pooled estimates, the greedy order, the seeded draw and the propensity.
func BenchmarkPlanAdaptive(b *testing.B) {
	p := adaptivePolicy(b)
	s := outcomes("learn", "", map[string]map[llm.Category][2]float64{
		"dear": {llm.CategoryChat: {100, 0.9}}, "cheap": {llm.CategoryChat: {100, 0.85}}, "other": {llm.CategoryChat: {100, 0.6}},
	})
	for _, c := range []struct {
		name, model string
	}{{"static", "static3"}, {"adaptive", "learn"}} {
		b.Run(c.name, func(b *testing.B) {
			in := chatInput(c.model, llm.CategoryChat, 0, s)
			in.Tenant = "acme"
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				in.Seed = uint64(i) * 0x9e3779b97f4a7c15
				if _, err := p.Plan(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPlanTools measures one decision for a request with function
// tools on a route of OpenAI deployments, the tools-on-Chat rule read per
// candidate (toolsRefused): ids in lower case and with capitals, as
// OpenAI-compatible hosts name theirs, at no effort and at low.
func BenchmarkPlanTools(b *testing.B) {
	cfg, err := config.Parse([]byte(`
providers:
  oa: {kind: openai, api_key: k}
deployments:
  mini:  {provider: oa, model: gpt-4o-mini, capabilities: [tools]}
  g54:   {provider: oa, model: gpt-5.4, capabilities: [tools]}
  llama: {provider: oa, model: meta-llama/Llama-3.3-70B-Instruct, capabilities: [tools]}
routes:
  tools: {deployments: [mini, g54, llama]}
`), nil)
	if err != nil {
		b.Fatal(err)
	}
	p := New(cfg, Options{})
	for _, effort := range []llm.Effort{"", llm.EffortLow} {
		in := req("tools", llm.CategoryChat, withTools(effort))
		b.Run("effort="+string(effort), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Plan(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
