package responses

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// upstreamSummaryStream is a reasoning item with a summary of two parts,
// streamed, then a message.
var upstreamSummaryStream = []string{
	`{"type":"response.output_item.added","output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]}}`,
	`{"type":"response.reasoning_summary_part.added","item_id":"rs_1","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":""}}`,
	`{"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":0,"delta":"**Plan**"}`,
	`{"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":0,"delta":" first."}`,
	`{"type":"response.reasoning_summary_text.done","item_id":"rs_1","output_index":0,"summary_index":0,"text":"**Plan** first."}`,
	`{"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":1,"delta":"Then act."}`,
	`{"type":"response.output_item.done","output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"**Plan** first."},{"type":"summary_text","text":"Then act."}],"encrypted_content":"gAAAAABx"}}`,
	`{"type":"response.output_text.delta","output_index":1,"content_index":0,"delta":"Hi"}`,
	`{"type":"response.completed","response":{"id":"r","status":"completed"}}`,
}

// TestUpstreamReasoningSummary: a reasoning item's summary is an
// unsigned thinking block (streamed, or whole when no delta came), before
// the block carrying the encrypted reasoning; the summary asked for is
// sent as reasoning.summary.
func TestUpstreamReasoningSummary(t *testing.T) {
	want := []llm.Thinking{{Text: "**Plan** first.\n\nThen act."}, llm.OpenAIReasoning("rs_1", "gAAAAABx")}
	var d UpstreamDecoder
	var acc llm.Accumulator
	for _, ev := range upstreamSummaryStream {
		out, _, err := d.Event([]byte(ev), nil)
		if err != nil {
			t.Fatalf("%s: %v", ev, err)
		}
		for _, ch := range out {
			acc.Add(ch)
		}
	}
	if th := acc.Response().Choices[0].Message.Thinking(); len(th) != 2 || th[0] != want[0] || th[1] != want[1] {
		t.Errorf("streamed thinking %+v", th)
	}
	whole := `{"id":"r","status":"completed","output":[{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"**Plan** first."},{"type":"summary_text","text":"Then act."}],"encrypted_content":"gAAAAABx"},` +
		`{"id":"rs_2","type":"reasoning","summary":[]},{"type":"message","content":[{"type":"output_text","text":"Hi"}]}]}`
	resp, err := DecodeUpstreamResponse([]byte(whole))
	if err != nil {
		t.Fatal(err)
	}
	if th := resp.Choices[0].Message.Thinking(); len(th) != 2 || th[0] != want[0] || th[1] != want[1] {
		t.Errorf("whole thinking %+v", th)
	}

	req := &llm.Request{Model: "gpt-5.5-pro", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")},
		Reasoning: &llm.Reasoning{Effort: llm.EffortLow, Summary: "concise"}}
	body, err := EncodeUpstream(req, UpstreamOptions{Reasoning: true})
	if err != nil || !strings.Contains(string(body), `"reasoning":{"effort":"low","summary":"concise"}`) {
		t.Errorf("sent %s (%v)", body, err)
	}
	r, err := DecodeRequest([]byte(`{"model":"m","input":"hi","reasoning":{"effort":"high","summary":"auto"}}`))
	if err != nil || r.Chat.Reasoning.Summary != "auto" {
		t.Errorf("decoded %+v (%v)", r.Chat.Reasoning, err)
	}
}
