package route

import (
	"testing"

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
