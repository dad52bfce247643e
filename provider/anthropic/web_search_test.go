package anthropic

import (
	"encoding/json"
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
