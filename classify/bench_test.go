package classify

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"switchyard/llm"
)

// prompt500 is a realistic prompt of about 500 tokens: a passage with an
// instruction, sent with a system prompt after one earlier turn.
func prompt500() *llm.Request {
	passage := strings.Repeat("The city council voted 7 to 2 on Tuesday night to convert the disused rail yard "+
		"into a public park with a community garden, a skate area and a small amphitheater. ", 12)
	return &llm.Request{Messages: []llm.Message{
		systemMsg("You are a helpful assistant. Answer concisely."),
		userMsg("Hi, I have a document for you."),
		assistantMsg("Sure, send it over."),
		userMsg("Summarize the following article in three bullet points:\n\n" + passage),
	}}
}

func TestPrompt500IsAbout500Tokens(t *testing.T) {
	if n := Default().Classify(prompt500()).PromptTokens; n < 450 || n > 550 {
		t.Errorf("benchmark prompt has %d tokens, want about 500", n)
	}
}

func BenchmarkClassify500Tokens(b *testing.B) {
	c, req := Default(), prompt500()
	b.ReportAllocs()
	for b.Loop() {
		c.Classify(req)
	}
}

// BenchmarkClassify500TokensLatency reports the median and 99th
// percentile of single calls (the mean of BenchmarkClassify500Tokens hides
// the spread of a busy machine).
func BenchmarkClassify500TokensLatency(b *testing.B) {
	c, req := Default(), prompt500()
	lat := make([]time.Duration, 0, b.N)
	for b.Loop() {
		t0 := time.Now()
		c.Classify(req)
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

func BenchmarkClassifyShort(b *testing.B) {
	c := Default()
	req := &llm.Request{Messages: []llm.Message{userMsg("What is the capital of Australia?")}}
	b.ReportAllocs()
	for b.Loop() {
		c.Classify(req)
	}
}

func BenchmarkClassifyParallel(b *testing.B) {
	c, req := Default(), prompt500()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Classify(req)
		}
	})
}

func TestClassifyDoesNotAllocate(t *testing.T) {
	c, req := Default(), prompt500()
	c.Classify(req) // warm the pool
	if n := testing.AllocsPerRun(200, func() { c.Classify(req) }); n > 0.5 {
		t.Errorf("Classify allocates %v times per call", n)
	}
}

// languages are the codes Features.Language may hold besides "".
var languages = []string{"en", "es", "fr", "de", "pt", "zh", "ja", "ru", "ar"}

func FuzzClassifyText(f *testing.F) {
	for _, s := range []string{
		"", "hi", "Write a poem", "```go\nfunc main() {}\n```", "日本語のテキスト", "\xff\xfe\x00",
		"Summarize:\n\n" + strings.Repeat("word ", 2000), "¿Qué?", "{\"a\": 1}", "\n\n\n", "a\u0301\u200b",
	} {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, s string) {
		got := c.ClassifyText(s)
		if !got.Category.Valid() {
			t.Fatalf("invalid category %q", got.Category)
		}
		sum := 0.0
		for _, p := range got.Scores {
			if p < 0 || p > 1 || math.IsNaN(float64(p)) {
				t.Fatalf("score %v out of [0,1]", p)
			}
			sum += float64(p)
		}
		if math.Abs(sum-1) > 1e-4 {
			t.Fatalf("scores sum to %v", sum)
		}
		if got.Confidence < 0 || got.Confidence > 1 || got.PromptTokens < 0 {
			t.Fatalf("features out of range: %+v", got)
		}
		if utf8.ValidString(s) && got.Language != "" && !slices.Contains(languages, got.Language) {
			t.Fatalf("unknown language %q", got.Language)
		}
	})
}
