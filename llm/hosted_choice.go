package llm

import "encoding/json"

// WebSearchChoice reports what h's hosted tool_choice (ToolChoice) asks
// of OpenAI's web search: forced, a choice of the tool itself
// ({"type":"web_search"}, web_search_preview and the dated names);
// allowed, an allowed_tools choice that names it among the tools the
// model may call. Both are false for any other choice, none, or a nil h.
func (h *OpenAIHosted) WebSearchChoice() (forced, allowed bool) {
	if h == nil || len(h.ToolChoice) == 0 {
		return false, false
	}
	var c struct {
		Type  string `json:"type"`
		Tools []struct {
			Type string `json:"type"`
		} `json:"tools"`
	}
	if json.Unmarshal(h.ToolChoice, &c) != nil {
		return false, false
	}
	if c.Type != "allowed_tools" {
		return isWebSearchTool(c.Type), false
	}
	for _, t := range c.Tools {
		if isWebSearchTool(t.Type) {
			return false, true
		}
	}
	return false, false
}

// isWebSearchTool reports whether typ is a web search tool's type (not
// its item's, web_search_call).
func isWebSearchTool(typ string) bool {
	return typ != "web_search_call" && HostedKindOf(typ) == HostedWebSearch
}
