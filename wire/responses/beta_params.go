package responses

import (
	"encoding/json"

	"switchyard/llm"
)

// This file is the members of OpenAI's beta Responses API (what its SDKs
// send to POST /responses?beta=true: openai-go's client.Beta.Responses,
// the npm package's client.beta.responses) that the router passes
// through as prompt and context_management are (hosted_params.go), to an
// OpenAI deployment called on the Responses API only, upstream on the
// beta path too (llm.OpenAIHosted.Beta):
//
//   - multi_agent ({enabled, max_concurrent_subagents?}): server-hosted
//     multi-agent execution. Its items (multi_agent_call,
//     multi_agent_call_output, agent_message) and every item a subagent
//     wrote (tagged with its agent) come back in place as OpenAI wrote
//     them (hostedItems, agentTagged). A multi_agent that is not enabled
//     asks nothing and is not passed on.
//   - moderation ({model, policy?: {input?: {mode}, output?: {mode}}}):
//     OpenAI moderating the response's input and output, its results
//     relayed as the response's moderation member (llm.Response.
//     Moderation). The router does not moderate itself in its stead:
//     what OpenAI's moderated completions score (which parts of the
//     input, which output) and how a block policy ends a streamed
//     answer are OpenAI's, which no other deployment could reproduce
//     faithfully (docs/responses.md).

// multiAgentParam is the multi_agent member's shape.
type multiAgentParam struct {
	Enabled                *bool  `json:"enabled"`
	MaxConcurrentSubagents *int64 `json:"max_concurrent_subagents"`
}

// moderationParam is the moderation member's shape.
type moderationParam struct {
	Model  *string         `json:"model"`
	Policy json.RawMessage `json:"policy"`
}

// moderationPolicies is a moderation's policy.
type moderationPolicies struct {
	Input  json.RawMessage `json:"input"`
	Output json.RawMessage `json:"output"`
}

// moderationPolicy is a policy's input or output entry.
type moderationPolicy struct {
	Mode *string `json:"mode"`
}

// decodeBetaParams checks multi_agent and moderation and keeps them raw
// for the upstream's beta path.
func decodeBetaParams(cr *createRequest, out *Request) error {
	if !isNull(cr.MultiAgent) {
		enabled, err := checkMultiAgent(cr.MultiAgent)
		if err != nil {
			return err
		}
		if enabled {
			hostedParam(out.Chat, "multi_agent", cr.MultiAgent)
			out.Chat.OpenAIHosted.Beta = true
		}
	}
	if !isNull(cr.Moderation) {
		if err := checkModeration(cr.Moderation); err != nil {
			return err
		}
		hostedParam(out.Chat, "moderation", cr.Moderation)
		out.Chat.OpenAIHosted.Beta = true
	}
	return nil
}

// checkMultiAgent checks multi_agent: an object with a boolean enabled
// and, optionally, a positive max_concurrent_subagents. It reports
// whether multi-agent execution is enabled.
func checkMultiAgent(raw json.RawMessage) (bool, error) {
	if first(raw) != '{' {
		return false, invalid("multi_agent", "Invalid type for 'multi_agent': expected an object, but got %s instead.", kindOf(raw))
	}
	var m multiAgentParam
	if err := decodeStrict(raw, "multi_agent", &m); err != nil {
		return false, err
	}
	if m.Enabled == nil {
		return false, invalid("multi_agent.enabled", "Missing required parameter: 'multi_agent.enabled'.")
	}
	if n := m.MaxConcurrentSubagents; n != nil && *n < 1 {
		return false, invalid("multi_agent.max_concurrent_subagents", "Invalid 'multi_agent.max_concurrent_subagents': integer below minimum value. Expected a value >= 1, but got %d instead.", *n)
	}
	return *m.Enabled, nil
}

// checkModeration checks moderation: an object naming a moderation model
// and, optionally, the input and output policies' modes.
func checkModeration(raw json.RawMessage) error {
	if first(raw) != '{' {
		return invalid("moderation", "Invalid type for 'moderation': expected an object, but got %s instead.", kindOf(raw))
	}
	var m moderationParam
	if err := decodeStrict(raw, "moderation", &m); err != nil {
		return err
	}
	if m.Model == nil || *m.Model == "" {
		return invalid("moderation.model", "Missing required parameter: 'moderation.model'.")
	}
	if isNull(m.Policy) {
		return nil
	}
	if first(m.Policy) != '{' {
		return invalid("moderation.policy", "Invalid type for 'moderation.policy': expected an object, but got %s instead.", kindOf(m.Policy))
	}
	var policy moderationPolicies
	if err := decodeStrict(m.Policy, "moderation.policy", &policy); err != nil {
		return err
	}
	for _, p := range [...]struct {
		at  string
		raw json.RawMessage
	}{{"moderation.policy.input", policy.Input}, {"moderation.policy.output", policy.Output}} {
		if err := checkModerationPolicy(p.raw, p.at); err != nil {
			return err
		}
	}
	return nil
}

// checkModerationPolicy checks one policy entry at path: absent, null, or
// {mode: "score" | "block"}.
func checkModerationPolicy(raw json.RawMessage, path string) error {
	if isNull(raw) {
		return nil
	}
	if first(raw) != '{' {
		return invalid(path, "Invalid type for '%s': expected an object, but got %s instead.", path, kindOf(raw))
	}
	var p moderationPolicy
	if err := decodeStrict(raw, path, &p); err != nil {
		return err
	}
	switch {
	case p.Mode == nil:
		return invalid(path+".mode", "Missing required parameter: '%s.mode'.", path)
	case *p.Mode != ModerationScore && *p.Mode != ModerationBlock:
		return invalid(path+".mode", "Invalid value: '%s'. Supported values are: 'score' and 'block'.", llm.Clip(*p.Mode))
	}
	return nil
}

// The modes of a moderation policy: score reports the results, block
// also stops a flagged response.
const (
	ModerationScore = "score"
	ModerationBlock = "block"
)

// refuseCounted refuses, in a count of input tokens, a stored prompt
// (which the router cannot read) and multi_agent and moderation (which
// its body, POST /responses/input_tokens, does not have).
func refuseCounted(cr *createRequest, needs createNeeds) error {
	if needs.prompt {
		return nil
	}
	if !isNull(cr.Prompt) {
		return unsupported("prompt", "A stored prompt ('prompt') cannot be counted here: it is kept on OpenAI's side, where the router cannot read it. Send the instructions and input themselves.")
	}
	for _, p := range [...]struct {
		name string
		raw  json.RawMessage
	}{{"multi_agent", cr.MultiAgent}, {"moderation", cr.Moderation}} {
		if p.raw != nil {
			e := invalid(p.name, "Unknown parameter: '%s'.", llm.Clip(p.name))
			e.Code = "unknown_parameter"
			return e
		}
	}
	return nil
}

// BetaHeader keeps the OpenAI-Beta header a client sent with req, for the
// upstream, when req holds a beta member.
func BetaHeader(req *llm.Request, header string) {
	if h := req.OpenAIHosted; h != nil && h.Beta {
		h.BetaHeader = header
	}
}
