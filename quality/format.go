package quality

import (
	"encoding/json"
	"slices"
	"strings"

	"switchyard/guard"
	"switchyard/llm"
	"switchyard/store"
)

// checkFormat sets the format signals of an answer (its text and tool
// calls) to req. A format is checked when req asks for JSON
// (response_format json_object or json_schema), offers tools, or the
// answer calls tools anyway; FormatOK then reports that every part held:
//
//   - JSON asked, and the answer has text or no tool call: the text, less a
//     Markdown fence around it (guard.StripJSONFence, as the gateway strips
//     for the client), is a JSON object for json_object, and a JSON value
//     valid against the schema for json_schema. A json_schema without a
//     schema, or with one the validator cannot compile (not the model's
//     fault), is checked as JSON of any type.
//   - Every tool call names one of req's tools, and its arguments are a
//     JSON object (empty arguments count as {}) valid against the tool's
//     parameters schema (when it has one that compiles); each call that is
//     not counts in InvalidToolCalls.
//   - The tool choice is honoured: required asks for a call, a forced
//     function for a call of it, none for no call.
func (c *Checker) checkFormat(s *store.Signals, req *llm.Request, text string, calls []llm.ToolCall) {
	rf := req.ResponseFormat
	wantsJSON := rf != nil && (rf.Type == llm.FormatJSONObject || rf.Type == llm.FormatJSONSchema)
	if !wantsJSON && len(req.Tools) == 0 && len(calls) == 0 {
		return
	}
	s.FormatChecked = true
	ok := true
	if wantsJSON && (len(calls) == 0 || strings.TrimSpace(text) != "") {
		ok = c.jsonAdheres(rf, text)
	}
	s.InvalidToolCalls = c.invalidCalls(req.Tools, calls)
	s.FormatOK = ok && s.InvalidToolCalls == 0 && choiceHonoured(req.ToolChoice, calls)
}

// jsonAdheres reports whether text is the JSON rf asks for.
func (c *Checker) jsonAdheres(rf *llm.ResponseFormat, text string) bool {
	doc := strings.TrimSpace(guard.StripJSONFence(text))
	if rf.Type == llm.FormatJSONObject {
		return strings.HasPrefix(doc, "{") && json.Valid([]byte(doc))
	}
	sch := c.schemas.get(rf.Schema)
	if sch == nil {
		return json.Valid([]byte(doc))
	}
	return sch.valid(doc)
}

// invalidCalls counts the calls that name no tool of tools or whose
// arguments do not fit its parameters.
func (c *Checker) invalidCalls(tools []llm.Tool, calls []llm.ToolCall) int {
	bad := 0
	for i := range calls {
		if !c.validCall(tools, &calls[i]) {
			bad++
		}
	}
	return bad
}

func (c *Checker) validCall(tools []llm.Tool, call *llm.ToolCall) bool {
	t := findTool(tools, call.Name)
	if t == nil {
		return false
	}
	if t.IsCustom() || call.Type == llm.ToolCustom { // free text: its grammar is not checked
		return t.IsCustom() && call.Type == llm.ToolCustom
	}
	args := strings.TrimSpace(call.Arguments)
	if args == "" {
		args = "{}"
	}
	if !strings.HasPrefix(args, "{") || !json.Valid([]byte(args)) {
		return false
	}
	if sch := c.schemas.get(t.Parameters); sch != nil {
		return sch.valid(args)
	}
	return true
}

func findTool(tools []llm.Tool, name string) *llm.Tool {
	for i := range tools {
		if tools[i].Name == name {
			return &tools[i]
		}
	}
	return nil
}

// choiceHonoured reports whether calls obey the tool choice tc (nil: auto).
func choiceHonoured(tc *llm.ToolChoice, calls []llm.ToolCall) bool {
	if tc == nil {
		return true
	}
	for i := range calls {
		if tc.Allowed != nil && !slices.Contains(tc.Allowed, calls[i].Name) {
			return false // a tool the choice does not allow
		}
	}
	switch tc.Mode {
	case llm.ToolChoiceRequired:
		return len(calls) > 0
	case llm.ToolChoiceNone:
		return len(calls) == 0
	case llm.ToolChoiceFunction:
		for i := range calls {
			if calls[i].Name == tc.Name {
				return true
			}
		}
		return false
	}
	return true
}
