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
// that it does not force and holds no items of: a tool_choice naming one
// ({"type":"web_search"}) forces it, an allowed_tools choice of mode
// required allowing hosted tools alone forces those it names, and
// tool_choice required with no function tool forces every declared one.
// HostedOpenAIOnly (a stored prompt, context_management, a hosted type
// the router does not know) is never optional; 0 when r declares none.
func (r *Request) OptionalHostedKinds() HostedKinds {
	h := r.OpenAIHosted
	if h == nil || len(h.Tools) == 0 {
		return 0
	}
	declared := declaredHostedKinds(h)
	if tc := r.ToolChoice; tc != nil && tc.Mode == ToolChoiceRequired && len(r.Tools) == 0 {
		return 0 // a call of a hosted tool is required: nothing else to call
	}
	forced := hostedItemKinds(r)
	switch t := typeOf(h.ToolChoice); t {
	case "":
	case "allowed_tools":
		if tc := r.ToolChoice; tc != nil && tc.Mode == ToolChoiceRequired && len(tc.Allowed) == 0 {
			forced |= allowedHostedKinds(h.ToolChoice)
		}
	default:
		forced |= HostedKindOf(t)
	}
	return declared &^ forced &^ HostedOpenAIOnly
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
// holds (Message.Hosted).
func hostedItemKinds(r *Request) HostedKinds {
	var k HostedKinds
	for i := range r.Messages {
		if e := r.Messages[i].Extra; e != nil {
			for _, b := range e.Hosted {
				k |= HostedKindOf(typeOf(b.Raw))
			}
		}
	}
	return k
}

// allowedHostedKinds are the hosted tools an allowed_tools tool_choice
// names.
func allowedHostedKinds(raw json.RawMessage) HostedKinds {
	var c struct {
		Tools []struct {
			Type string `json:"type"`
		} `json:"tools"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return 0
	}
	var k HostedKinds
	for _, t := range c.Tools {
		if t.Type != "function" && t.Type != ToolCustom {
			k |= HostedKindOf(t.Type)
		}
	}
	return k
}

// WithoutHosted returns r without the hosted tools of kinds k: their
// declarations, the include values asking for their output, and an
// allowed_tools choice's naming them (a choice left allowing nothing is
// tool_choice none); r itself is not changed. OpenAIHosted becomes nil
// when nothing of it is left. With k 0 it returns r, without allocating.
func (r *Request) WithoutHosted(k HostedKinds) *Request {
	h := r.OpenAIHosted
	if k == 0 || h == nil {
		return r
	}
	out := *r
	nh := *h
	nh.Tools = slices.DeleteFunc(slices.Clone(h.Tools), func(raw json.RawMessage) bool { return k&HostedKindOf(typeOf(raw)) != 0 })
	nh.Include = slices.DeleteFunc(slices.Clone(h.Include), func(v string) bool {
		kind, _, _ := strings.Cut(v, ".")
		return k&HostedKindOf(kind) != 0
	})
	if typeOf(h.ToolChoice) == "allowed_tools" && allowedHostedKinds(h.ToolChoice)&^k == 0 {
		nh.ToolChoice = nil // it allowed only dropped hosted tools besides r.ToolChoice.Allowed
		if tc := r.ToolChoice; tc != nil && len(tc.Allowed) == 0 {
			out.ToolChoice = &ToolChoice{Mode: ToolChoiceNone}
		}
	}
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
