package anthropic

import (
	"strings"

	"switchyard/llm"
)

// HasWebSearch reports whether the Claude model of an id has Claude's web
// search tool (web_search_20250305). Anthropic's web search tool page
// lists the models it runs on: at its launch (May 2025) Claude 3.5 Haiku,
// Claude 3.5 Sonnet (new, claude-3-5-sonnet-20241022), Claude 3.7 Sonnet,
// Claude Sonnet 4 and Opus 4; every Claude model since (Opus 4.1,
// Sonnet and Haiku 4.5, Opus 4.5 and later, generation 5) has it. Claude
// 3 Haiku, Sonnet and Opus and the first Claude 3.5 Sonnet
// (claude-3-5-sonnet-20240620) do not: the API refuses the tool on them
// ("tool type 'web_search_20250305' is not supported for this model").
// An id that is not a Claude model's, or a family or version the table
// does not know (a future model), is taken to have it.
func HasWebSearch(model string) bool {
	t := ModelTraits(model)
	switch t.Family {
	case "opus":
		return t.Version >= 400
	case "haiku":
		return t.Version >= 305
	case "sonnet":
		if t.Version == 305 { // the new 3.5 Sonnet has it, the first not
			return !strings.Contains(model, "20240620")
		}
		return t.Version >= 305
	}
	return true
}

// SearchLeftOut reports whether a Chat Completions request's
// web_search_options is left out for req's Claude model: one without the
// web search tool (HasWebSearch), which would refuse the request with it.
// The answer comes without a search, the option named dropped. A
// Responses web_search tool is not left out: the route passes such a
// deployment over for it (a pinned one is a 400).
func SearchLeftOut(req *llm.Request) bool {
	_, chat := req.Extra["web_search_options"]
	return chat && !HasWebSearch(req.ModelID())
}
