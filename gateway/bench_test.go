package gateway

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/demo"
	"switchyard/llm"
	_ "switchyard/provider/all" // the demo's provider kinds
)

// prompt500 is an English prompt of about 500 tokens.
var prompt500 = strings.Repeat("Our customer reports that the invoice total does not match the order "+
	"confirmation they received last week, and they would like to know whether the discount code was applied "+
	"before or after tax. ", 10) + "Please explain what happened and what we should tell them."

// BenchmarkClassifyAndRoute measures the whole decision on the hot path —
// classification of a 500-token prompt, then the policy — against the demo
// configuration, and reports its p50 and p99.
func BenchmarkClassifyAndRoute(b *testing.B) {
	cfg := demo.Config("127.0.0.1:9", "")
	if err := cfg.Validate(); err != nil {
		b.Fatal(err)
	}
	g, err := New(cfg, Options{})
	if err != nil {
		b.Fatal(err)
	}
	req := &llm.Request{Model: "auto", Messages: []llm.Message{
		llm.TextMessage(llm.RoleSystem, "You are a helpful support assistant."),
		llm.TextMessage(llm.RoleUser, prompt500),
	}}
	ctx := llm.WithRequestID(context.Background(), "req_0123456789abcdef")
	if f := g.classify(req); f.PromptTokens < 400 || f.PromptTokens > 700 {
		b.Fatalf("prompt is %d tokens, want about 500", f.PromptTokens)
	}
	var times []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		if _, err := g.decide(ctx, req, nil, nil); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns")
}
