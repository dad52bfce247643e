package gemini

import (
	"testing"

	"switchyard/llm"
)

// A thinking model's grounded answer is written as OpenAI's reasoning
// models write a web search: the thought summary, then the
// web_search_call item's start, then the text. The search starts at the
// first text (not at a thought-only fragment), and a thought that came
// in the same fragment as that text goes out ahead of it, with the role.
func TestWebSearchAnswerAfterThoughts(t *testing.T) {
	for name, frags := range map[string][]string{
		"thought alone first": {
			`{"candidates":[{"content":{"parts":[{"text":"Looking up Paris.","thought":true}],"role":"model"},"index":0}],"responseId":"r1"}`,
			groundedStream[0], groundedStream[1],
		},
		"thought with the text": {
			`{"candidates":[{"content":{"parts":[{"text":"Looking up Paris.","thought":true},{"text":"Café news: the Louvre"}],"role":"model"},"index":0}],"responseId":"r1"}`,
			groundedStream[1],
		},
	} {
		tr := NewStreamTranslator("gemini-2.5-flash")
		tr.WebSearch, tr.Thinking = true, true
		var order []string
		for _, ev := range frags {
			out, err := tr.Translate([]byte(ev))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range out {
				for _, ch := range c.Choices {
					order = append(order, kindsOf(ch)...)
				}
			}
		}
		want := []string{"role", "thought", "search", "text", "text", "done"}
		if len(order) != len(want) {
			t.Errorf("%s: deltas %v, want %v", name, order, want)
			continue
		}
		for i := range want {
			if order[i] != want[i] {
				t.Errorf("%s: deltas %v, want %v", name, order, want)
				break
			}
		}
	}
}

// kindsOf names what a chunk choice carries, in the order a client
// reads it.
func kindsOf(ch llm.ChunkChoice) []string {
	var out []string
	if ch.Delta.Role != "" {
		out = append(out, "role")
	}
	if ch.Delta.Thinking != nil {
		out = append(out, "thought")
	}
	if o := ch.Delta.Output; o != nil && o.Hosted != nil && o.Hosted.Start != nil {
		out = append(out, "search")
	}
	if ch.Delta.Content != "" {
		out = append(out, "text")
	}
	if o := ch.Delta.Output; o != nil && o.Hosted != nil && o.Hosted.Whole != nil {
		out = append(out, "done")
	}
	return out
}
