package gemini

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// lowerWebSearch takes an OpenAI client's web search off the request
// (the Responses tool, Chat's web_search_options) and says to add
// googleSearch; another hosted tool, an OpenAI-only member or a domain
// filter is an invalid_request error at its param; a request without a
// web search passes as it is, without allocating.
func TestLowerWebSearch(t *testing.T) {
	plain := &llm.Request{Model: "gemini-2.5-flash"}
	if r, search, err := lowerWebSearch(plain); r != plain || search || err != nil {
		t.Errorf("plain request: %v %v %v", r, search, err)
	}
	if n := testing.AllocsPerRun(10, func() { _, _, _ = lowerWebSearch(plain) }); n != 0 {
		t.Errorf("plain request: %v allocations", n)
	}
	hosted := &llm.Request{OpenAIHosted: &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search","user_location":{"city":"Paris"}}`)}}}
	if r, search, err := lowerWebSearch(hosted); err != nil || !search || r.OpenAIHosted != nil || hosted.OpenAIHosted == nil {
		t.Errorf("web_search: %+v %v %v", r, search, err)
	}
	chat := &llm.Request{Extra: map[string]json.RawMessage{"web_search_options": json.RawMessage(`{}`), "seed": json.RawMessage(`1`)}}
	if r, search, err := lowerWebSearch(chat); err != nil || !search || len(r.Extra) != 1 || len(chat.Extra) != 2 {
		t.Errorf("web_search_options: %+v %v %v", r, search, err)
	}
	for _, tt := range []struct {
		req   *llm.Request
		param string
	}{
		{&llm.Request{OpenAIHosted: &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search"}`), json.RawMessage(`{"type":"file_search"}`)}}}, "tools[1].type"},
		{&llm.Request{OpenAIHosted: &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search","filters":{"allowed_domains":["paris.fr"]}}`)}}}, "tools[0].filters.allowed_domains"},
		{&llm.Request{Extra: map[string]json.RawMessage{"web_search_options": json.RawMessage(`[]`)}}, "web_search_options"},
	} {
		_, _, err := lowerWebSearch(tt.req)
		if e, ok := err.(*llm.Error); !ok || e.Kind != llm.KindInvalidRequest || e.Param != tt.param {
			t.Errorf("want an invalid_request at %s, got %v", tt.param, err)
		}
	}
}

// Gemini cannot force googleSearch: a tool_choice forcing the web search
// is left out (wire.DroppedWebSearch names it), and an allowed_tools
// choice that allows the web search and no function calls no function
// (mode none), where Gemini's allowedFunctionNames, empty, would let it
// call any.
func TestLowerWebSearchChoice(t *testing.T) {
	decl := []json.RawMessage{json.RawMessage(`{"type":"web_search"}`)}
	forced := &llm.Request{Model: "gemini-3-flash", Tools: []llm.Tool{{Name: "f"}}, OpenAIHosted: &llm.OpenAIHosted{Tools: decl, ToolChoice: json.RawMessage(`{"type":"web_search"}`)}}
	if r, search, err := lowerWebSearch(forced); err != nil || !search || r.ToolChoice != nil {
		t.Errorf("forced: %+v %v %v", r.ToolChoice, search, err)
	}
	allowed := &llm.Request{Model: "gemini-3-flash", Tools: []llm.Tool{{Name: "f"}}, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceAuto, Allowed: []string{}},
		OpenAIHosted: &llm.OpenAIHosted{Tools: decl, ToolChoice: json.RawMessage(`{"type":"allowed_tools","mode":"auto","tools":[{"type":"web_search"}]}`)}}
	if r, _, err := lowerWebSearch(allowed); err != nil || r.ToolChoice == nil || r.ToolChoice.Mode != llm.ToolChoiceNone || r.ToolChoice.Allowed != nil {
		t.Errorf("allowed web search alone: %+v %v", r.ToolChoice, err)
	}
	allowed.ToolChoice = &llm.ToolChoice{Mode: llm.ToolChoiceAuto, Allowed: []string{"f"}}
	if r, _, err := lowerWebSearch(allowed); err != nil || r.ToolChoice != allowed.ToolChoice {
		t.Errorf("allowed web search and f: %+v %v", r.ToolChoice, err)
	}
}
