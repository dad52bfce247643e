package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

const searchResult = `{"type":"search_result","source":"https://kb.example/lawn","title":"Lawn care","content":[{"type":"text","text":"The grass is green."},{"type":"text","text":"Mow weekly."}],"citations":{"enabled":true}}`

// A search result, at the top of a user turn or returned by a tool,
// becomes a document with its source, and goes back to a Claude
// deployment as the same search_result block.
func TestSearchResultRoundTrip(t *testing.T) {
	for name, body := range map[string]string{
		"user turn": `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[` + searchResult + `,{"type":"text","text":"Colour?"}]}]}`,
		"tool result": `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Colour?"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"search","input":{}}]},` +
			`{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[` + searchResult + `]}]}]}`,
	} {
		in, err := DecodeRequest([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var doc *llm.Document
		for _, m := range in.Messages {
			for i := range m.Content {
				if d := m.Content[i].Document(); d != nil {
					doc = d
				}
			}
		}
		if doc == nil || doc.SearchSource != "https://kb.example/lawn" || doc.Title != "Lawn care" || doc.ContentText() != "The grass is green.\n\nMow weekly." || !CitationsEnabled(in) {
			t.Fatalf("%s: document %+v", name, doc)
		}
		out, err := FromLLM(in)
		if err != nil {
			t.Fatalf("%s: FromLLM: %v", name, err)
		}
		data, _ := json.Marshal(out)
		if !strings.Contains(string(data), searchResult) {
			t.Errorf("%s: sent to Claude as %s", name, data)
		}
	}
	if h := (&llm.Document{SearchSource: "s", Title: "t"}).Heading(); h != "Search result: t\nSource: s" {
		t.Errorf("Heading %q", h)
	}
}

func TestSearchResultRejects(t *testing.T) {
	body := func(block string) string {
		return `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[` + block + `,{"type":"text","text":"x"}]}]}`
	}
	for _, tt := range []struct{ name, body, want string }{
		{"no source", body(`{"type":"search_result","title":"t","content":[{"type":"text","text":"x"}]}`), "messages.0.content.0.search_result.source: Field required"},
		{"no content", body(`{"type":"search_result","source":"s","title":"t"}`), "messages.0.content.0.search_result.content: Field required"},
		{"empty content", body(`{"type":"search_result","source":"s","title":"t","content":[]}`), "search_result.content: List should have at least 1 item"},
		{"an image in it", body(`{"type":"search_result","source":"s","title":"t","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}`),
			"search_result.content.0: Input tag 'image' found using 'type' does not match any of the expected tags: 'text'"},
		{"title a number", body(`{"type":"search_result","source":"s","title":5,"content":[{"type":"text","text":"x"}]}`), "search_result: title: Input should be a valid string"},
		{"citations a list", body(`{"type":"search_result","source":"s","title":"t","content":[{"type":"text","text":"x"}],"citations":[]}`), "search_result.citations: Input should be a valid dictionary"},
		{"in an assistant turn", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[` + searchResult + `]}]}`,
			"search_result blocks can only be in user messages"},
		{"in a tool result, empty", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"search_result","source":"s","title":"t","content":[]}]}]}]}`,
			"messages.2.content.0.tool_result.content.0.search_result.content: List should have at least 1 item"},
	} {
		_, err := DecodeRequest([]byte(tt.body))
		if e := llm.AsError(err); err == nil || e.Kind != llm.KindInvalidRequest || !strings.Contains(e.Message, tt.want) {
			t.Errorf("%s: %v, want invalid_request containing %q", tt.name, err, tt.want)
		}
	}
}
