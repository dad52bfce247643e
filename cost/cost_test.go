package cost

import (
	"strings"
	"testing"

	"switchyard/llm"
)

func TestTokensUsesTheRealVocabulary(t *testing.T) {
	if !Warm() {
		t.Fatal("the embedded vocabulary did not load: counts are the 4-bytes heuristic")
	}
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"hello world", 2},
		{"Switchyard routes every request.", 6},
	} {
		if got := Tokens(tc.in); got != tc.want {
			t.Errorf("Tokens(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// Usage keeps what the upstream reported, and otherwise estimates it from
// the prompt and the partial answer, marking it estimated.
func TestUsage(t *testing.T) {
	Warm()
	req := &llm.Request{Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hello world")}}
	pt := PromptTokens(req)
	reported := &llm.Usage{PromptTokens: 100, CompletionTokens: 7}
	if u := Usage(pt, &llm.Response{Usage: reported}); u != *reported {
		t.Errorf("reported usage replaced: %+v", u)
	}
	partial := &llm.Response{Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "hello world")}}}
	u := Usage(pt, partial)
	want := llm.Usage{PromptTokens: llm.TokensReplyPriming + llm.TokensPerMessage + 2, CompletionTokens: 2, TotalTokens: llm.TokensReplyPriming + llm.TokensPerMessage + 4, Estimated: true}
	if u != want {
		t.Errorf("estimate %+v, want %+v", u, want)
	}
	if u := Usage(pt, nil); u.CompletionTokens != 0 || u.PromptTokens == 0 || !u.Estimated {
		t.Errorf("estimate without output: %+v", u)
	}
	d := &llm.Deployment{InputPricePerM: 1e6, OutputPricePerM: 2e6}
	if c := Of(d, want); c != float64(want.PromptTokens)+2*float64(want.CompletionTokens) {
		t.Errorf("cost %v", c)
	}
}

// A document counts in the prompt's estimate: its title, text, base64
// bytes (a quarter of their length) and a page when fetched by URL; count
// tokens of a document sent to /v1/messages was its message's overhead
// alone.
func TestPromptTokensDocuments(t *testing.T) {
	Warm()
	req := &llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{
		llm.DocumentPart(&llm.Document{Title: "hello world", Text: "hello world"}),
		llm.DocumentPart(&llm.Document{MediaType: llm.MediaTypePDF, Data: strings.Repeat("QUJD", 100)}),
		llm.DocumentPart(&llm.Document{URL: "https://example.com/a.pdf"}),
	}}}}
	if got, want := PromptTokens(req), llm.TokensReplyPriming+llm.TokensPerMessage+2+2+100+llm.TokensURLDocument; got != want {
		t.Errorf("PromptTokens = %d, want %d", got, want)
	}
}

// A stream that broke after the upstream reported its usage on the way
// (llm.Chunk.UsageSoFar) is billed the upstream's numbers: its prompt
// side (the cache reads and writes too) always; its output when the
// upstream counted some (Gemini's every fragment, Anthropic's
// message_delta), else the estimate of the text it sent (Anthropic's
// message_start counts none), marked estimated. Without a report, the
// whole estimate as before.
func TestUsageSoFar(t *testing.T) {
	Warm()
	text := llm.TextMessage(llm.RoleAssistant, "hello world")
	start := &llm.Usage{PromptTokens: 2000, CachedPromptTokens: 1500, CacheWriteTokens: 300, CacheWrite1hTokens: 100, TotalTokens: 2000, WebSearchRequests: 1}
	u := Usage(9, &llm.Response{Choices: []llm.Choice{{Message: text}}, UsageSoFar: start})
	want := *start
	want.CompletionTokens, want.TotalTokens, want.Estimated = 2, 2002, true
	if u != want {
		t.Errorf("after the prompt's report: %+v, want %+v", u, want)
	}
	counted := &llm.Usage{PromptTokens: 2000, CompletionTokens: 40, ReasoningTokens: 30, TotalTokens: 2040}
	if u := Usage(9, &llm.Response{Choices: []llm.Choice{{Message: text}}, UsageSoFar: counted}); u != *counted {
		t.Errorf("after a report counting the output: %+v, want %+v", u, *counted)
	}
	if u := SoFar(start, 9, 0); u != *start {
		t.Errorf("nothing after the prompt's report: %+v, want %+v", u, *start)
	}
	if u := SoFar(nil, 9, 2); u != Estimate(9, 2) {
		t.Errorf("no report: %+v", u)
	}
}
