package openai

import (
	"encoding/json"
	"slices"
	"strings"

	"switchyard/llm"
)

// This file is the sim's stand-in for OpenAI's reusable prompts: the sim
// keeps no prompt templates, so a request's prompt ({id, version?,
// variables?}) is rendered as one user message before its input, whose
// text is the prompt's variables as "name: value" lines in name order (a
// variable given as an input_text part gives its text; any other part
// its type), or the prompt's id when it has none. The answer then uses
// the variables as any user text is used. context_management is taken
// and never compacts (the sim writes no compaction item).

// renderPrompt adds the message req's prompt stands for, if it names one.
func renderPrompt(req *llm.Request) {
	if req.OpenAIHosted == nil {
		return
	}
	for _, p := range req.OpenAIHosted.Params {
		if p.Name != "prompt" {
			continue
		}
		var pr struct {
			ID        string                     `json:"id"`
			Variables map[string]json.RawMessage `json:"variables"`
		}
		_ = json.Unmarshal(p.Value, &pr) // the decoder checked its shape
		at := 0
		if len(req.Messages) > 0 && req.Messages[0].Role == llm.RoleSystem {
			at = 1
		}
		req.Messages = slices.Insert(req.Messages, at, llm.TextMessage(llm.RoleUser, storedPromptText(pr.ID, pr.Variables)))
		return
	}
}

// storedPromptText is the text of a prompt named id with variables.
func storedPromptText(id string, variables map[string]json.RawMessage) string {
	if len(variables) == 0 {
		return id
	}
	names := make([]string, 0, len(variables))
	for name := range variables {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	for i, name := range names {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(name + ": " + variableText(variables[name]))
	}
	return b.String()
}

// variableText is a prompt variable's value as text: a string itself, an
// input_text part its text, another part its type.
func variableText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var part struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	_ = json.Unmarshal(raw, &part)
	if part.Type == "input_text" {
		return part.Text
	}
	return part.Type
}
