package inject

import (
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

// prompt500 is the classifier's benchmark request (classify/bench_test.go):
// about 500 tokens, a passage with an instruction, a system prompt and an
// earlier turn.
func prompt500() *llm.Request {
	passage := strings.Repeat("The city council voted 7 to 2 on Tuesday night to convert the disused rail yard "+
		"into a public park with a community garden, a skate area and a small amphitheater. ", 12)
	return &llm.Request{Messages: []llm.Message{
		llm.TextMessage(llm.RoleSystem, "You are a helpful assistant. Answer concisely."),
		llm.TextMessage(llm.RoleUser, "Hi, I have a document for you."),
		llm.TextMessage(llm.RoleAssistant, "Sure, send it over."),
		llm.TextMessage(llm.RoleUser, "Summarize the following article in three bullet points:\n\n"+passage),
	}}
}

// toolResult500 is an agent's request with a 500-token tool result.
func toolResult500() *llm.Request {
	req := prompt500()
	res := llm.TextMessage(llm.RoleTool, req.Messages[3].Text())
	res.SetToolCallID("call_1")
	call := llm.TextMessage(llm.RoleAssistant, "")
	call.Content = nil
	call.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "fetch", Arguments: `{"url":"https://example.com"}`}})
	req.Messages = append(req.Messages[:3], llm.TextMessage(llm.RoleUser, "Summarize the page."), call, res)
	return req
}

func BenchmarkScan500Tokens(b *testing.B) {
	s, req := Default(), prompt500()
	b.ReportAllocs()
	for b.Loop() {
		s.Scan(req)
	}
}

func BenchmarkScanToolResult500Tokens(b *testing.B) {
	s, req := Default(), toolResult500()
	b.ReportAllocs()
	for b.Loop() {
		s.Scan(req)
	}
}

// BenchmarkScan500TokensLatency reports the median and 99th percentile
// of single calls, as classify's BenchmarkClassify500TokensLatency does.
func BenchmarkScan500TokensLatency(b *testing.B) {
	s, req := Default(), prompt500()
	lat := make([]time.Duration, 0, b.N)
	for b.Loop() {
		t0 := time.Now()
		s.Scan(req)
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

func BenchmarkScanShort(b *testing.B) {
	s := Default()
	req := &llm.Request{Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "What is the capital of Australia?")}}
	b.ReportAllocs()
	for b.Loop() {
		s.Scan(req)
	}
}
