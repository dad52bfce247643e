package gemini

import (
	"encoding/json"

	"switchyard/llm"
)

// This file writes an OpenAI client's web search (the Responses API's
// web_search tool, Chat Completions' web_search_options) as Gemini's
// Grounding with Google Search (tools: [{"googleSearch": {}}],
// https://ai.google.dev/gemini-api/docs/google-search), which Gemini runs
// on Google's side as OpenAI's runs on OpenAI's. googleSearch takes no
// domain filter and no user location.

// GoogleSearchTool is the tool the router adds for an OpenAI client's
// web search.
var GoogleSearchTool = Tool{GoogleSearch: json.RawMessage(`{}`)}

// CheckWebSearchTool checks a Responses client's web_search declaration
// for Gemini: filters.allowed_domains, a restriction googleSearch cannot
// keep, is an invalid_request error at param (dropping it would search
// the whole web where the client asked for some sites); user_location
// and search_context_size, hints, are left out (DroppedWebSearch names
// them).
func CheckWebSearchTool(raw json.RawMessage, param string) error {
	var t struct {
		Filters *struct {
			AllowedDomains []string `json:"allowed_domains"`
		} `json:"filters"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return &llm.Error{Kind: llm.KindInvalidRequest, Param: param, Message: "invalid web search tool: " + err.Error()}
	}
	if t.Filters != nil && len(t.Filters.AllowedDomains) > 0 {
		return &llm.Error{Kind: llm.KindInvalidRequest, Param: param + ".filters.allowed_domains",
			Message: "a Gemini deployment searches with Google Search, which takes no allowed_domains"}
	}
	return nil
}

// CheckWebSearchOptions checks a Chat Completions client's
// web_search_options: an invalid_request error when they do not decode.
func CheckWebSearchOptions(raw json.RawMessage) error {
	var o map[string]json.RawMessage
	if err := json.Unmarshal(raw, &o); err != nil {
		return &llm.Error{Kind: llm.KindInvalidRequest, Param: "web_search_options", Message: "invalid web_search_options: " + err.Error()}
	}
	return nil
}

// DroppedWebSearch names the members of req's web search that a Gemini
// deployment leaves out (x-switchyard-route's dropped=):
// web_search.user_location and web_search.search_context_size, from a
// Responses web_search tool or Chat's web_search_options; or Chat's whole
// web_search_options beside function tools for a model that refuses the
// pair (SearchLeftOut); then "tool_choice" for a Responses tool_choice
// that forces the web search (SearchForced).
func DroppedWebSearch(req *llm.Request) []string {
	if SearchLeftOut(req) {
		return []string{"web_search_options"}
	}
	out := droppedSearchMembers(req)
	if SearchForced(req) {
		out = append(out, "tool_choice")
	}
	return out
}

// droppedSearchMembers names web_search.user_location and
// web_search.search_context_size when req's web search has them.
func droppedSearchMembers(req *llm.Request) []string {
	var has struct {
		UserLocation json.RawMessage `json:"user_location"`
		ContextSize  json.RawMessage `json:"search_context_size"`
	}
	var loc, size bool
	look := func(raw json.RawMessage) {
		has.UserLocation, has.ContextSize = nil, nil
		if json.Unmarshal(raw, &has) == nil {
			loc = loc || len(has.UserLocation) > 0 && string(has.UserLocation) != "null"
			size = size || len(has.ContextSize) > 0 && string(has.ContextSize) != "null"
		}
	}
	if h := req.OpenAIHosted; h != nil {
		for _, raw := range h.Tools {
			look(raw)
		}
	}
	if raw, ok := req.Extra["web_search_options"]; ok {
		look(raw)
	}
	var out []string
	if loc {
		out = append(out, "web_search.user_location")
	}
	if size {
		out = append(out, "web_search.search_context_size")
	}
	return out
}

// SearchLeftOut reports whether a Chat Completions request's
// web_search_options is left out for req's Gemini model: it also has
// function tools, which a model before Gemini 3 refuses beside
// googleSearch (RefusesSearchWithTools). A Responses web_search tool is
// not left out: the route passes such a deployment over for it.
func SearchLeftOut(req *llm.Request) bool {
	_, chat := req.Extra["web_search_options"]
	return chat && req.OpenAIHosted == nil && len(req.Tools) > 0 && RefusesSearchWithTools(req.ModelID())
}

// SearchForced reports whether a Responses request forces its web search
// — tool_choice {"type":"web_search"}, or allowed_tools of mode required
// allowing the web search and no function — which Gemini cannot:
// googleSearch has no forcing (functionCallingConfig concerns functions
// alone), so Gemini is sent the tool and decides whether to search
// (DroppedWebSearch names the choice dropped).
func SearchForced(req *llm.Request) bool {
	forced, allowed := req.OpenAIHosted.WebSearchChoice()
	tc := req.ToolChoice
	return forced || allowed && tc != nil && tc.Mode == llm.ToolChoiceRequired && len(tc.Allowed) == 0
}

// SearchChoice returns req's tool choice as a Gemini deployment sends it
// beside googleSearch: an allowed_tools choice allowing the web search
// and no function is mode none (no function call; Gemini's empty
// allowedFunctionNames would allow every function); any other is
// req.ToolChoice itself (a tool_choice forcing the web search is none:
// SearchForced).
func SearchChoice(req *llm.Request) *llm.ToolChoice {
	if _, allowed := req.OpenAIHosted.WebSearchChoice(); allowed && req.ToolChoice != nil && len(req.ToolChoice.Allowed) == 0 {
		return &llm.ToolChoice{Mode: llm.ToolChoiceNone}
	}
	return req.ToolChoice
}
