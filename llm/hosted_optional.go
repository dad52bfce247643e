package llm

import (
	"encoding/json"
	"slices"
	"strings"
)

// Optional hosted tools: a hosted tool the request declares but does not
// force may be left out for a deployment that cannot run it, where the
// route allows it (config hosted_tools: drop_optional). The Codex CLI
// declares OpenAI's web_search beside its function tools on every
// request; a route of Azure, Gemini 2.5 or local deployments would
// otherwise refuse it.

// OptionalHostedKinds are the hosted tools r declares (OpenAIHosted.Tools)
// or holds past calls of (pastHostedItem: a web_search_call…) that it
// does not force: a tool_choice naming one ({"type":"web_search"}) forces
// it, an allowed_tools choice of mode required allowing hosted tools
// alone forces those it names, tool_choice required with no function
// tool forces every declared one, and an item the next turn answers or
// continues (an MCP approval, a computer call) forces its tool.
// HostedOpenAIOnly (a stored prompt, context_management, a hosted type
// the router does not know) is never optional; 0 when r has none.
func (r *Request) OptionalHostedKinds() HostedKinds {
	h := r.OpenAIHosted
	past, pending := hostedItemKinds(r)
	var declared HostedKinds
	if h != nil {
		declared = declaredHostedKinds(h)
	}
	if declared|past == 0 {
		return 0
	}
	if tc := r.ToolChoice; tc != nil && tc.Mode == ToolChoiceRequired && len(r.Tools) == 0 {
		return 0 // a call of a hosted tool is required: nothing else to call
	}
	forced := pending
	if h != nil {
		switch t := typeOf(h.ToolChoice); t {
		case "":
		case "allowed_tools":
			if tc := r.ToolChoice; tc != nil && tc.Mode == ToolChoiceRequired && len(tc.Allowed) == 0 {
				forced |= allowedHostedKinds(h.ToolChoice)
			}
		default:
			forced |= HostedKindOf(t)
		}
	}
	return (declared | past) &^ forced &^ HostedOpenAIOnly
}

// declaredHostedKinds are the kinds of the hosted tools h declares.
func declaredHostedKinds(h *OpenAIHosted) HostedKinds {
	var k HostedKinds
	for _, raw := range h.Tools {
		k |= HostedKindOf(typeOf(raw))
	}
	return k
}

// hostedItemKinds are the kinds of the hosted items r's conversation
// holds (Message.Hosted): past, of the finished calls alone
// (pastHostedItem); pending, of any other item.
func hostedItemKinds(r *Request) (past, pending HostedKinds) {
	for i := range r.Messages {
		if e := r.Messages[i].Extra; e != nil {
			for _, b := range e.Hosted {
				t := typeOf(b.Raw)
				if pastHostedItem(t) {
					past |= HostedKindOf(t)
				} else {
					pending |= HostedKindOf(t)
				}
			}
		}
	}
	return past, pending
}

// pastHostedItem reports whether a hosted item of type typ is a finished
// call of a hosted tool that the next turn does not answer or continue —
// a search, a file search, code the interpreter ran, a generated image,
// an MCP call or tool list — which a deployment that cannot run the tool
// may be sent the conversation without (WithoutHosted), the answer that
// followed it staying. An MCP approval request or response, a computer
// call or its output (the client's screenshot), a tool search's output
// (the tools it loaded) and a compaction item are not.
func pastHostedItem(typ string) bool {
	switch typ {
	case "web_search_call", "file_search_call", "code_interpreter_call", "image_generation_call", "mcp_call", "mcp_list_tools":
		return true
	}
	return false
}

// allowedHostedKinds are the hosted tools an allowed_tools tool_choice
// names (not its function, custom and client tools: shell, local_shell,
// apply_patch).
func allowedHostedKinds(raw json.RawMessage) HostedKinds {
	var c struct {
		Tools []json.RawMessage `json:"tools"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return 0
	}
	var k HostedKinds
	for _, t := range c.Tools {
		k |= knownHostedKind(typeOf(t))
	}
	return k
}

// knownHostedKind is the kind of a hosted tool's type, 0 for any type
// HostedKindOf does not know (a function, custom or client tool's).
func knownHostedKind(typ string) HostedKinds {
	if k := HostedKindOf(typ); k != HostedOpenAIOnly {
		return k
	}
	return 0
}

// WithoutHosted returns r without the hosted tools of kinds k: their
// declarations, the include values asking for their output, an
// allowed_tools choice's naming them (withoutHostedChoice) and the past
// calls of them its conversation holds (withoutHostedItems); r itself is
// not changed. OpenAIHosted becomes nil when nothing of it is left. With
// k 0 it returns r, without allocating.
func (r *Request) WithoutHosted(k HostedKinds) *Request {
	if k == 0 {
		return r
	}
	out := *r
	if msgs, ok := withoutHostedItems(r.Messages, k); ok {
		out.Messages = msgs
	}
	h := r.OpenAIHosted
	if h == nil {
		return &out
	}
	nh := *h
	nh.Tools = slices.DeleteFunc(slices.Clone(h.Tools), func(raw json.RawMessage) bool { return k&HostedKindOf(typeOf(raw)) != 0 })
	nh.Include = slices.DeleteFunc(slices.Clone(h.Include), func(v string) bool {
		kind, _, _ := strings.Cut(v, ".")
		return k&HostedKindOf(kind) != 0
	})
	nh.ToolChoice, out.ToolChoice = withoutHostedChoice(h.ToolChoice, r.ToolChoice, k)
	if len(nh.Tools) == 0 && len(nh.ToolChoice) == 0 && len(nh.Params) == 0 && len(nh.Include) == 0 {
		out.OpenAIHosted = nil
	} else {
		out.OpenAIHosted = &nh
	}
	return &out
}

// Names lists the kinds of k by name, in bit order: "web_search".
func (k HostedKinds) Names() []string {
	var names []string
	for i, n := range hostedNames {
		if k&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return names
}
