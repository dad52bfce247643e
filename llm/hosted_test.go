package llm

import (
	"encoding/json"
	"testing"
)

// TestHostedToolsCost checks that OpenAI's hosted calls are priced on top
// of the tokens: web searches at $10 per 1,000, file searches at $2.50
// per 1,000, code interpreter containers at $0.03 a session, whatever
// the tier; and that Usage.Add sums their counts.
func TestHostedToolsCost(t *testing.T) {
	d := Deployment{InputPricePerM: 1, OutputPricePerM: 2}
	tokens := d.Cost(Usage{PromptTokens: 1000, CompletionTokens: 100})
	u := Usage{PromptTokens: 1000, CompletionTokens: 100, WebSearchRequests: 1, FileSearchCalls: 4, ContainerSessions: 2}
	if got, want := d.Cost(u), RoundUSD(tokens+0.01+0.01+0.06); got != want {
		t.Errorf("cost %v, want %v", got, want)
	}
	sum := Usage{FileSearchCalls: 1}
	sum.Add(Usage{FileSearchCalls: 2, ContainerSessions: 1})
	if sum.FileSearchCalls != 3 || sum.ContainerSessions != 1 {
		t.Errorf("sum %+v", sum)
	}
}

// TestAccumulateHosted checks that a stream's hosted item deltas and
// Responses annotations fold into the answer: each item at the text
// before it, whole when done; the annotations in order.
func TestAccumulateHosted(t *testing.T) {
	var acc Accumulator
	out := func(o *OutputDelta) *Chunk { return &Chunk{Choices: []ChunkChoice{{Delta: Delta{Output: o}}}} }
	acc.Add(out(&OutputDelta{Hosted: &BlockDelta{Index: 0, Start: json.RawMessage(`{"type":"web_search_call","status":"in_progress"}`)}}))
	acc.Add(out(&OutputDelta{Hosted: &BlockDelta{Index: 0, Whole: json.RawMessage(`{"type":"web_search_call","status":"completed"}`)}}))
	acc.Add(&Chunk{Choices: []ChunkChoice{{Delta: Delta{Content: "Sunny."}}}})
	acc.Add(out(&OutputDelta{Hosted: &BlockDelta{Index: 5, Start: json.RawMessage(`{}`)}})) // a gap: not trusted
	acc.Add(out(&OutputDelta{TextAnnotations: json.RawMessage(`[{"type":"url_citation"}]`)}))
	acc.Add(out(&OutputDelta{TextAnnotations: json.RawMessage(`[{"type":"file_citation"}]`)}))
	m := acc.Response().Choices[0].Message
	h := m.Hosted()
	if len(h) != 1 || h[0].At != 0 || string(h[0].Raw) != `{"type":"web_search_call","status":"completed"}` {
		t.Errorf("hosted %+v", h)
	}
	if got := string(m.TextAnnotations()); got != `[{"type":"url_citation"},{"type":"file_citation"}]` {
		t.Errorf("annotations %s", got)
	}
	req := Request{Messages: []Message{m}}
	if !req.OpenAIHostedTools() {
		t.Error("a conversation holding a hosted item does not need hosted tools")
	}
}
