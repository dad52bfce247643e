package llm

import "strings"

// HostedKinds is a set of OpenAI's hosted tools, by what a deployment
// must run: the tools a request declares or holds items of
// (Request.OpenAIHostedKinds), the tools a deployment's upstream serves.
// OpenAI's Responses API serves every kind; Azure OpenAI's v1 Responses
// API some (wire/openai.AzureHostedTools).
type HostedKinds uint16

// The hosted tool kinds.
const (
	// HostedWebSearch: web_search, web_search_preview and their dated
	// names; web_search_call items.
	HostedWebSearch HostedKinds = 1 << iota
	// HostedFileSearch: file_search; file_search_call items.
	HostedFileSearch
	// HostedCodeInterpreter: code_interpreter; code_interpreter_call items.
	HostedCodeInterpreter
	// HostedImageGeneration: image_generation; image_generation_call items.
	HostedImageGeneration
	// HostedComputerPreview: computer_use_preview (the computer-use-preview
	// model's tool); computer_call and computer_call_output items.
	HostedComputerPreview
	// HostedComputer: the computer tool of later models (computer,
	// computer_use).
	HostedComputer
	// HostedMCP: remote MCP servers (mcp); mcp_call, mcp_list_tools,
	// mcp_approval_request and mcp_approval_response items.
	HostedMCP
	// HostedToolSearch: tool_search; tool_search_call and
	// tool_search_output items.
	HostedToolSearch
	// HostedOpenAIOnly: what only OpenAI's own API serves: a stored
	// prompt, context_management and its compaction items, and any hosted
	// type the router does not know.
	HostedOpenAIOnly
)

// AllHosted is every kind: what OpenAI's Responses API serves.
const AllHosted = HostedOpenAIOnly<<1 - 1

// hostedNames are the kinds' names, in bit order.
var hostedNames = [...]string{"web_search", "file_search", "code_interpreter", "image_generation", "computer_use_preview", "computer", "mcp", "tool_search", "prompt/context_management"}

// HostedKindOf is the kind of a hosted tool's declaration type
// ("web_search", "mcp"…) or of a hosted item's type ("web_search_call",
// "mcp_call"…); HostedOpenAIOnly for any other.
func HostedKindOf(typ string) HostedKinds {
	switch typ {
	case "web_search", "web_search_preview", "web_search_preview_2025_03_11", "web_search_2025_08_26", "web_search_call":
		return HostedWebSearch
	case "file_search", "file_search_call":
		return HostedFileSearch
	case "code_interpreter", "code_interpreter_call":
		return HostedCodeInterpreter
	case "image_generation", "image_generation_call":
		return HostedImageGeneration
	case "computer_use_preview", "computer_call", "computer_call_output":
		return HostedComputerPreview
	case "computer", "computer_use":
		return HostedComputer
	case "mcp", "mcp_call", "mcp_list_tools", "mcp_approval_request", "mcp_approval_response":
		return HostedMCP
	case "tool_search", "tool_search_call", "tool_search_output":
		return HostedToolSearch
	}
	return HostedOpenAIOnly
}

// String names the kinds of k, comma-separated ("web_search, mcp").
func (k HostedKinds) String() string {
	var names []string
	for i, n := range hostedNames {
		if k&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// OpenAIHostedKinds returns the hosted tools r declares, forces (a
// hosted tool_choice: {"type":"file_search"}) or holds items of
// (OpenAIHosted, Message.Hosted), its OpenAI-only members (prompt,
// context_management) as HostedOpenAIOnly; 0 when OpenAIHostedTools is
// false. It reads each declaration's and item's type: call it for a
// request with hosted tools only.
func (r *Request) OpenAIHostedKinds() HostedKinds {
	past, pending := hostedItemKinds(r)
	k := past | pending
	if h := r.OpenAIHosted; h != nil {
		k |= declaredHostedKinds(h)
		if len(h.Params) > 0 {
			k |= HostedOpenAIOnly
		}
		if t := typeOf(h.ToolChoice); t != "" && t != "allowed_tools" {
			k |= HostedKindOf(t) // a forced hosted tool: the deployment must run it, declared or not
		}
	}
	return k
}

// WantsWebSearch reports whether r asks for web search: OpenAI's
// web_search tool declared (a Responses request), web_search_options (a
// Chat Completions request), or Claude's own web search tool (an
// Anthropic Messages request). The model may search more than once, or
// not at all: the estimates made before a request runs count one search.
func (r *Request) WantsWebSearch() bool {
	if _, ok := r.Extra["web_search_options"]; ok || r.AnthropicWebSearch() >= 0 {
		return true
	}
	if h := r.OpenAIHosted; h != nil {
		for _, raw := range h.Tools {
			if HostedKindOf(typeOf(raw)) == HostedWebSearch {
				return true
			}
		}
	}
	return false
}
