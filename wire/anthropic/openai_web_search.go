package anthropic

import (
	"encoding/json"
	"slices"
	"strings"

	"switchyard/llm"
)

// This file writes an OpenAI client's web search (the Responses API's
// web_search tool, Chat Completions' web_search_options) as Claude's web
// search server tool, which Claude runs on Anthropic's side as OpenAI's
// runs on OpenAI's.

// WebSearchType is the type of Claude's web search tool the router
// declares for an OpenAI client's web search; WebSearchName its name.
const (
	WebSearchType = "web_search_20250305"
	WebSearchName = "web_search"
)

// openAILocation is OpenAI's approximate user location: the Responses
// tool's user_location, Chat's web_search_options.user_location.approximate.
type openAILocation struct {
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Country  string `json:"country,omitempty"`
	Timezone string `json:"timezone,omitempty"`
}

// webSearchTool is Claude's web search tool declaration, members in the
// documented order
// (https://docs.claude.com/en/docs/agents-and-tools/tool-use/web-search-tool).
type webSearchTool struct {
	Type           string        `json:"type"`
	Name           string        `json:"name"`
	MaxUses        int           `json:"max_uses,omitempty"`
	AllowedDomains []string      `json:"allowed_domains,omitempty"`
	UserLocation   *userLocation `json:"user_location,omitempty"`
}

type userLocation struct {
	Type string `json:"type"`
	openAILocation
}

// WebSearchFromResponses returns Claude's web search tool for a Responses
// client's web_search (or web_search_preview) declaration: its
// filters.allowed_domains and user_location carried over,
// search_context_size as max_uses (maxUses); an invalid_request error at
// param when the declaration does not decode.
func WebSearchFromResponses(raw json.RawMessage, param string) (json.RawMessage, error) {
	var t struct {
		Filters *struct {
			AllowedDomains []string `json:"allowed_domains"`
		} `json:"filters"`
		UserLocation *openAILocation `json:"user_location"`
		ContextSize  string          `json:"search_context_size"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, invalidAt(param, "invalid web search tool: %v", err)
	}
	var domains []string
	if t.Filters != nil {
		domains = t.Filters.AllowedDomains
	}
	return webSearchDecl(domains, t.UserLocation, t.ContextSize), nil
}

// WebSearchFromChat returns Claude's web search tool for a Chat
// Completions client's web_search_options: its
// user_location.approximate carried over, search_context_size as
// max_uses (maxUses); an invalid_request error when the options do not
// decode.
func WebSearchFromChat(raw json.RawMessage) (json.RawMessage, error) {
	var o struct {
		UserLocation *struct {
			Approximate *openAILocation `json:"approximate"`
		} `json:"user_location"`
		ContextSize string `json:"search_context_size"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, invalidAt("web_search_options", "invalid web_search_options: %v", err)
	}
	var loc *openAILocation
	if o.UserLocation != nil {
		loc = o.UserLocation.Approximate
	}
	return webSearchDecl(nil, loc, o.ContextSize), nil
}

// maxUses is the max_uses Claude's web search tool is given for OpenAI's
// search_context_size: low 1, medium 5, high 10, as LiteLLM maps it
// (BerriAI/litellm: ANTHROPIC_WEB_SEARCH_TOOL_MAX_USES in
// litellm/constants.py, applied by AnthropicConfig.map_web_search_tool).
// OpenAI's size sets how much of the pages found the model reads; Claude
// has no such control, and the number of searches is its nearest lever
// (fewer searches, less context, a lower bill). Zero, left out — Claude's
// own default — for none or another value.
func maxUses(contextSize string) int {
	switch contextSize {
	case "low":
		return 1
	case "medium":
		return 5
	case "high":
		return 10
	}
	return 0
}

// webSearchDecl writes the declaration: domains without a scheme or a
// trailing slash, as Anthropic's allowed_domains takes them; a location
// with no member is left out.
func webSearchDecl(domains []string, loc *openAILocation, contextSize string) json.RawMessage {
	t := webSearchTool{Type: WebSearchType, Name: WebSearchName, MaxUses: maxUses(contextSize)}
	for _, d := range domains {
		d = strings.TrimPrefix(strings.TrimPrefix(d, "https://"), "http://")
		if d = strings.TrimSuffix(d, "/"); d != "" {
			t.AllowedDomains = append(t.AllowedDomains, d)
		}
	}
	if loc != nil && *loc != (openAILocation{}) {
		t.UserLocation = &userLocation{"approximate", *loc}
	}
	out, _ := json.Marshal(t)
	return out
}

// invalidAt is an invalid_request error naming param.
func invalidAt(param, format string, args ...any) *llm.Error {
	e := rejectf(format, args...)
	e.Param = param
	return e
}

// WebSearchChoice returns req's tool choice as a Claude deployment sends
// it beside Claude's web search tool (named WebSearchName): a Responses
// tool_choice forcing OpenAI's web search (llm.OpenAIHosted's
// WebSearchChoice) forces the web_search tool ({"type":"tool","name":
// "web_search"}); an allowed_tools choice naming it keeps web_search
// among the allowed tools (llm.AllowedOnly would leave it out
// otherwise); any other choice is req.ToolChoice itself. Chat Completions
// has no choice that forces web_search_options.
func WebSearchChoice(req *llm.Request) *llm.ToolChoice {
	forced, allowed := req.OpenAIHosted.WebSearchChoice()
	switch {
	case forced:
		return &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: WebSearchName}
	case allowed && req.ToolChoice != nil:
		tc := *req.ToolChoice
		tc.Allowed = append(slices.Clip(tc.Allowed), WebSearchName)
		return &tc
	}
	return req.ToolChoice
}
