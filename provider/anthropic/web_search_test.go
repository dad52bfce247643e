package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// lowerWebSearch declares Claude's web search for a Responses client's
// web_search tool and Chat's web_search_options (taking them out of the
// request), refuses any other hosted tool at its type, and leaves a
// request without them as it is.
func TestLowerWebSearch(t *testing.T) {
	plain := &llm.Request{Tools: []llm.Tool{{Name: "f"}}}
	if got, a, err := lowerWebSearch(plain); got != plain || a != nil || err != nil {
		t.Errorf("no web search: %p %v %v", got, a, err)
	}
	hosted := &llm.Request{Tools: []llm.Tool{{Name: "f"}}, OpenAIHosted: &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search_preview"}`)},
		Include: []string{"web_search_call.action.sources"}}}
	got, a, err := lowerWebSearch(hosted)
	if err != nil || got.OpenAIHosted != nil || len(got.Tools) != 2 || string(got.Tools[1].Anthropic.Server) != `{"type":"web_search_20250305","name":"web_search"}` || !a.Sources || len(hosted.Tools) != 1 {
		t.Errorf("responses: %+v %+v %v", got, a, err)
	}
	chat := &llm.Request{Extra: map[string]json.RawMessage{"web_search_options": json.RawMessage(`{}`), "top_k": json.RawMessage(`3`)}}
	if got, _, err := lowerWebSearch(chat); err != nil || len(got.Extra) != 1 || len(chat.Extra) != 2 || len(got.Tools) != 1 {
		t.Errorf("chat: %+v %v", got, err)
	}
	other := &llm.Request{OpenAIHosted: &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search"}`), json.RawMessage(`{"type":"file_search"}`)}}}
	if _, _, err := lowerWebSearch(other); err == nil || err.(*llm.Error).Param != "tools[1].type" || err.(*llm.Error).HTTPStatus() != 400 {
		t.Errorf("file search: %v", err)
	}
}

// A Responses tool_choice forcing the web search is Claude's tool choice
// of the web_search tool; an allowed_tools choice naming it keeps the web
// search among the allowed tools.
func TestLowerWebSearchChoice(t *testing.T) {
	decl := []json.RawMessage{json.RawMessage(`{"type":"web_search"}`)}
	for _, typ := range []string{"web_search", "web_search_preview", "web_search_preview_2025_03_11"} {
		req := &llm.Request{Tools: []llm.Tool{{Name: "f"}}, OpenAIHosted: &llm.OpenAIHosted{Tools: decl, ToolChoice: json.RawMessage(`{"type":"` + typ + `"}`)}}
		got, _, err := lowerWebSearch(req)
		if err != nil || got.ToolChoice == nil || got.ToolChoice.Mode != llm.ToolChoiceFunction || got.ToolChoice.Name != "web_search" || req.ToolChoice != nil {
			t.Errorf("%s: %+v %v", typ, got.ToolChoice, err)
		}
	}
	allowed := &llm.Request{Tools: []llm.Tool{{Name: "f"}, {Name: "g"}}, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired, Allowed: []string{"f"}},
		OpenAIHosted: &llm.OpenAIHosted{Tools: decl, ToolChoice: json.RawMessage(`{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"f"},{"type":"web_search"}]}`)}}
	got, _, err := lowerWebSearch(allowed)
	if err != nil || got.ToolChoice.Mode != llm.ToolChoiceRequired || strings.Join(got.ToolChoice.Allowed, ",") != "f,web_search" || len(allowed.ToolChoice.Allowed) != 1 {
		t.Errorf("allowed_tools: %+v %v", got.ToolChoice, err)
	}
	if ts := llm.AllowedOnly(got).Tools; len(ts) != 2 || ts[1].Name != "web_search" {
		t.Errorf("allowed_tools: tools sent %+v", ts)
	}
}
