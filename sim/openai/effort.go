package openai

import (
	"slices"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// effortError is the 400 a reasoning model gives a reasoning effort it
// does not take (the profile's Efforts, else wire.Efforts of its model;
// any effort for a model whose efforts are not known), as OpenAI words
// it, or nil. Chat
// Completions: "Unsupported value: 'reasoning_effort' does not support
// 'none' with this model. Supported values are: 'minimal', 'low',
// 'medium', and 'high'.", param reasoning_effort (Kilo-Org/cloud#3807,
// kaitranntt/ccs#344, which leave param out of the quote); the Responses
// API: "Unsupported value: 'minimal' is not supported with the 'gpt-5.1'
// model. Supported values are: 'none', 'low', 'medium', and 'high'.",
// param reasoning.effort (openai/codex#6647, anomalyco/opencode#4451);
// both invalid_request_error, code unsupported_value. One supported
// value reads "Supported values are: 'high'." (anomalyco/models.dev#331);
// two are taken to read "'medium' and 'high'" (no quote seen).
func effortError(req *llm.Request, p *sim.Profile, responsesAPI bool) *apiError {
	if req.Reasoning == nil || !p.Reasoning {
		return nil
	}
	levels, asked := p.Efforts, req.Reasoning.Level()
	if levels == nil {
		levels = wire.Efforts(p.Model)
	}
	if levels == nil || slices.Contains(levels, asked) {
		return nil
	}
	supported := " Supported values are: " + quotedList(levels) + "."
	if responsesAPI {
		return &apiError{Message: "Unsupported value: '" + string(asked) + "' is not supported with the '" + p.Model + "' model." + supported,
			Type: "invalid_request_error", Param: "reasoning.effort", Code: "unsupported_value"}
	}
	return &apiError{Message: "Unsupported value: 'reasoning_effort' does not support '" + string(asked) + "' with this model." + supported,
		Type: "invalid_request_error", Param: "reasoning_effort", Code: "unsupported_value"}
}

// quotedList lists levels as OpenAI's errors do: 'a', 'b', and 'c'.
func quotedList(levels []llm.Effort) string {
	var b strings.Builder
	for i, l := range levels {
		switch {
		case i == 0:
		case len(levels) == 2:
			b.WriteString(" and ")
		case i == len(levels)-1:
			b.WriteString(", and ")
		default:
			b.WriteString(", ")
		}
		b.WriteString("'" + string(l) + "'")
	}
	return b.String()
}
