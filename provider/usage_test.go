package provider

import (
	"log/slog"
	"testing"

	"switchyard/llm"
)

func TestPlausibleUsage(t *testing.T) {
	tests := []struct {
		u    *llm.Usage
		want bool
	}{
		{nil, true},
		{&llm.Usage{}, true},
		{&llm.Usage{PromptTokens: 3, CompletionTokens: 5, TotalTokens: 8}, true},
		{&llm.Usage{PromptTokens: MaxUsageTokens, TotalTokens: MaxUsageTokens}, true},
		{&llm.Usage{PromptTokens: MaxUsageTokens + 1}, false},
		{&llm.Usage{CompletionTokens: -1}, false},
		{&llm.Usage{CachedPromptTokens: -5}, false},
		{&llm.Usage{RejectedPredictionTokens: 1 << 62}, false},
		{&llm.Usage{CostReported: true, ReportedCostUSD: 0.02}, true},
		{&llm.Usage{CostReported: true}, true},
		{&llm.Usage{CostReported: true, ReportedCostUSD: MaxReportedCostUSD + 1}, false},
		{&llm.Usage{CostReported: true, ReportedCostUSD: -0.01}, false},
	}
	for _, tt := range tests {
		if got := PlausibleUsage(tt.u); got != tt.want {
			t.Errorf("PlausibleUsage(%+v) = %v, want %v", tt.u, got, tt.want)
		}
	}
}

// TestWithoutUsage checks that the usage members of each format go, at
// any depth, and that the rest stays.
func TestWithoutUsage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"openai", `{"choices":[{"index":0,"finish_reason":"stop"}],"usage":{"prompt_tokens":1e30}}`,
			`{"choices":[{"finish_reason":"stop","index":0}]}`},
		{"anthropic message_start", `{"type":"message_start","message":{"id":"m","usage":{"input_tokens":99999999999999999999999}}}`,
			`{"message":{"id":"m"},"type":"message_start"}`},
		{"gemini", `{"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":1e30}}`,
			`{"candidates":[{"finishReason":"STOP"}]}`},
		// The key spelled with a \u escape (valid JSON) is the same member.
		{"openai, key escaped", `{"choices":[{"index":0,"finish_reason":"stop"}],"\u0075sage":{"prompt_tokens":1e30}}`,
			`{"choices":[{"finish_reason":"stop","index":0}]}`},
		{"gemini, key escaped", `{"candidates":[{"finishReason":"STOP"}],"usage\u004detadata":{"promptTokenCount":1e30}}`,
			`{"candidates":[{"finishReason":"STOP"}]}`},
		// So is the key in another case, which encoding/json reads as it
		// (Gemini's decoder, an embeddings answer's).
		{"gemini, key in another case", `{"candidates":[{"finishReason":"STOP"}],"UsageMetadata":{"promptTokenCount":1e30}}`,
			`{"candidates":[{"finishReason":"STOP"}]}`},
		{"openai, key in upper case", `{"choices":[],"USAGE":{"prompt_tokens":1e30}}`, `{"choices":[]}`},
		{"a large number elsewhere is kept", `{"n":123456789012345678901234567890,"usage":null}`,
			`{"n":123456789012345678901234567890}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := WithoutUsage([]byte(tt.in))
			if !ok || string(got) != tt.want {
				t.Errorf("got %s, %v; want %s", got, ok, tt.want)
			}
		})
	}
	for _, in := range []string{`{"choices":[]}`, `{"usage":`, `not json "usage"`, `{"text":"my usage"}`} {
		if got, ok := WithoutUsage([]byte(in)); ok {
			t.Errorf("WithoutUsage(%s) = %s, true; want nothing to drop", in, got)
		}
	}
}

func TestLeadingJSON(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{`{"a":1} x`, `{"a":1}`, true},
		{`{"a":"}"}garbage`, `{"a":"}"}`, true},
		{` [1]]`, ` [1]`, true},
		{`{"a":1}{"b":2}`, `{"a":1}`, true},
		{`{"a":1}`, "", false},
		{"{\"a\":1} \r\n\t", "", false},
		{`{"a":`, "", false},
		{`garbage {"a":1}`, "", false},
		{``, "", false},
	} {
		got, ok := LeadingJSON([]byte(tt.in))
		if ok != tt.ok || string(got) != tt.want {
			t.Errorf("LeadingJSON(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// A usage reported on the way (UsageSoFar) is screened as the final one:
// an implausible one is dropped, and after it none of the stream's
// reports, so-far or final, is believed.
func TestScreenUsageSoFar(t *testing.T) {
	s := &EventStream{log: slog.New(slog.DiscardHandler)}
	ok := &llm.Usage{PromptTokens: 10, TotalTokens: 10}
	kept := s.screenUsage([]*llm.Chunk{{UsageSoFar: ok, Choices: []llm.ChunkChoice{{}}}})
	if len(kept) != 1 || kept[0].UsageSoFar != ok {
		t.Fatalf("a plausible report dropped: %+v", kept)
	}
	kept = s.screenUsage([]*llm.Chunk{{UsageSoFar: &llm.Usage{PromptTokens: -1}, Choices: []llm.ChunkChoice{{}}}, {UsageSoFar: ok}, {Usage: ok}})
	if len(kept) != 1 || kept[0].UsageSoFar != nil || !s.usageDropped {
		t.Errorf("after an implausible report: %d chunks kept, first %+v", len(kept), kept[0])
	}
}
