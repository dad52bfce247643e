package openai

import (
	"strings"

	"switchyard/llm"
	"switchyard/sim"
)

// promptText joins messages into a cache key and counts their tokens the
// way OpenAI does: the text plus a few tokens of framing per message and
// three to prime the reply.
func promptText(msgs []llm.Message) (string, int) {
	var b strings.Builder
	tokens := 3
	for i := range msgs {
		tokens += messagePieces(&msgs[i], func(s string) { b.WriteString(s) })
	}
	return b.String(), tokens
}

// messagePieces writes the pieces of m the prompt text holds (its role,
// text and tool calls, with separators) and returns its tokens.
func messagePieces(m *llm.Message, write func(string)) (tokens int) {
	text := m.Text()
	write(string(m.Role))
	write("\x00")
	write(text)
	write("\x00")
	tokens = 4 + sim.CountTokens(text)
	for _, tc := range m.ToolCalls() {
		write(tc.Name + tc.Arguments)
		tokens += 4 + sim.CountTokens(tc.Name+tc.Arguments)
	}
	return tokens
}

// buildAsk extracts what the answer generator needs from req.
func buildAsk(req *llm.Request, promptTokens int) sim.Ask {
	a := sim.Ask{Model: req.Model, PromptTokens: promptTokens}
	var system []string
	for i := range req.Messages {
		m := &req.Messages[i]
		switch m.Role {
		case llm.RoleSystem, llm.RoleDeveloper:
			system = append(system, m.Text())
		case llm.RoleUser:
			a.Prompt = m.Text()
		}
	}
	a.System = strings.Join(system, "\n")
	if n := len(req.Messages); n > 0 && req.Messages[n-1].Role == llm.RoleTool {
		a.HasToolResult = true
		a.ToolResult = req.Messages[n-1].Text()
	}
	// An allowed_tools choice leaves the model the tools it allows
	// alone: its answer calls no other.
	for _, t := range llm.AllowedOnly(req).Tools {
		a.Tools = append(a.Tools, sim.ToolSpec{Name: t.Name, Parameters: t.Parameters, Custom: t.IsCustom(), Format: t.Format})
	}
	a.NoParallel = req.ParallelToolCalls != nil && !*req.ParallelToolCalls
	if tc := req.ToolChoice; tc != nil {
		switch tc.Mode {
		case llm.ToolChoiceNone:
			a.ToolsNone = true
		case llm.ToolChoiceRequired:
			a.ToolsRequired = true
		case llm.ToolChoiceFunction:
			a.ForceTool = tc.Name
		}
	}
	if rf := req.ResponseFormat; rf != nil && rf.Type != llm.FormatText {
		a.JSON = true
		a.Schema = rf.Schema
	}
	if req.MaxTokens != nil {
		a.MaxTokens = *req.MaxTokens
	}
	return a
}
