package gemini

import (
	"encoding/json"
	"maps"
	"strconv"

	"switchyard/llm"
	wire "switchyard/wire/gemini"
)

// lowerWebSearch returns req with an OpenAI client's web search — the
// Responses API's web_search tools (llm.OpenAIHosted), Chat Completions'
// web_search_options — taken off, and whether the request asked for one
// (then the body gets Gemini's googleSearch tool and the answer's
// groundingMetadata becomes OpenAI's shapes: wire.StreamTranslator's
// WebSearch; a tool_choice naming the web search as wire.SearchChoice
// writes it); req itself and false when it asks for none, without
// allocating. Any other hosted tool, an OpenAI-only member or a domain
// filter is an invalid_request error: the route sends Gemini deployments
// OpenAI's web search alone (route.Deployment.hosted).
func lowerWebSearch(req *llm.Request) (*llm.Request, bool, error) {
	opts, chat := req.Extra["web_search_options"]
	h := req.OpenAIHosted
	if h == nil && !chat {
		return req, false, nil
	}
	r := *req
	search := true
	if wire.SearchLeftOut(req) { // named dropped (wire.DroppedWebSearch)
		search = false
	} else if h != nil && len(req.Tools) > 0 && wire.RefusesSearchWithTools(req.ModelID()) {
		e := llm.Errorf(llm.KindInvalidRequest, "%s does not search the web beside function tools (Gemini before 3 refuses googleSearch with function calling); pick a model that does (GET /v1/models)", req.ModelID())
		e.Param = "tools"
		return nil, false, e
	}
	if h != nil {
		if len(h.Params) > 0 {
			return nil, false, llm.Errorf(llm.KindInvalidRequest, "%s is served by OpenAI's Responses API alone, not by a Gemini deployment", h.Params[0].Name)
		}
		for i, raw := range h.Tools {
			param := "tools[" + strconv.Itoa(i) + "]"
			if typ := typeOf(raw); llm.HostedKindOf(typ) != llm.HostedWebSearch {
				e := llm.Errorf(llm.KindInvalidRequest, "a Gemini deployment serves OpenAI's web_search among the hosted tools, not %s", typ)
				e.Param = param + ".type"
				return nil, false, e
			}
			if err := wire.CheckWebSearchTool(raw, param); err != nil {
				return nil, false, err
			}
		}
		r.ToolChoice = wire.SearchChoice(req)
		r.OpenAIHosted = nil
	}
	if chat {
		if err := wire.CheckWebSearchOptions(opts); err != nil {
			return nil, false, err
		}
		r.Extra = maps.Clone(req.Extra)
		delete(r.Extra, "web_search_options")
	}
	return &r, search, nil
}

// typeOf is the "type" member of a JSON object; "" when it has none.
func typeOf(raw json.RawMessage) string {
	var h struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &h)
	return h.Type
}
