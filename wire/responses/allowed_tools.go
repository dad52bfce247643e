package responses

import (
	"encoding/json"
	"strconv"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// Allowed tools (ToolChoiceAllowed): a tool_choice {"type":
// "allowed_tools", "mode": "auto" | "required", "tools": [{"type":
// "function", "name": ...}, {"type": "custom", "name": ...}, {"type":
// "shell"}, {"type": "mcp", "server_label": ...}, ...]} restricts the
// model to some of the request's tools while the tools stay as sent, so
// that the prompt cache holds from turn to turn. The client tools it
// names go to llm.ToolChoice.Allowed; one naming a hosted tool is kept as
// written besides (llm.OpenAIHosted.ToolChoice), since only the Responses
// API serves hosted tools. The Responses upstream is sent the choice
// (appendAllowedTools), other upstreams the allowed tools alone.

// typeAllowedTools is the tool_choice type that restricts the tools.
const typeAllowedTools = "allowed_tools"

// isAllowedChoice reports whether raw is a tool_choice of type
// allowed_tools.
func isAllowedChoice(raw json.RawMessage) bool {
	var h itemHeader
	return first(raw) == '{' && json.Unmarshal(raw, &h) == nil && deref(h.Type) == typeAllowedTools
}

// allowedChoice decodes an allowed_tools tool_choice raw into req, whose
// tools are decoded.
func allowedChoice(req *llm.Request, raw json.RawMessage) error {
	var d struct {
		Type  string            `json:"type"`
		Mode  *string           `json:"mode"`
		Tools []json.RawMessage `json:"tools"`
	}
	if err := decodeStrict(raw, "tool_choice", &d); err != nil {
		return err
	}
	switch {
	case d.Mode == nil:
		return invalid("tool_choice.mode", "Missing required parameter: 'tool_choice.mode'.")
	case *d.Mode != string(llm.ToolChoiceAuto) && *d.Mode != string(llm.ToolChoiceRequired):
		return invalid("tool_choice.mode", "Invalid value for 'tool_choice.mode': '%s'. Supported values are: 'auto' and 'required'.", llm.Clip(*d.Mode))
	case d.Tools == nil:
		return invalid("tool_choice.tools", "Missing required parameter: 'tool_choice.tools'.")
	case len(d.Tools) == 0:
		return invalid("tool_choice.tools", "Invalid 'tool_choice.tools': empty array. Expected an array with minimum length 1, but got an empty array instead.")
	}
	tc := &llm.ToolChoice{Mode: llm.ToolChoiceMode(*d.Mode), Allowed: make([]string, 0, len(d.Tools))}
	hosted := false
	for i, t := range d.Tools {
		name, isHosted, err := allowedTool(req, t, "tool_choice.tools["+strconv.Itoa(i)+"]")
		if err != nil {
			return err
		}
		if isHosted {
			hosted = true
			continue
		}
		tc.Allowed = append(tc.Allowed, name)
	}
	if hosted {
		req.OpenAIHosted.ToolChoice = append(json.RawMessage(nil), raw...)
	}
	req.ToolChoice = tc
	return nil
}

// allowedTool decodes one of allowed_tools' tools at path: the name of
// the client tool it names, or that it names a hosted tool.
func allowedTool(req *llm.Request, raw json.RawMessage, path string) (string, bool, error) {
	var h itemHeader
	if first(raw) != '{' {
		return "", false, invalid(path, "Invalid type for '%s': expected an object, but got %s instead.", path, kindOf(raw))
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return "", false, jsonError(err, path)
	}
	switch t := deref(h.Type); {
	case t == "":
		return "", false, invalid(path+".type", "Missing required parameter: '%s.type'.", path)
	case builtinTools[t]:
		if req.OpenAIHosted == nil {
			return "", false, invalid(path+".type", "Invalid '%s': the hosted tool '%s' is not in 'tools'.", path, llm.Clip(t))
		}
		return "", true, nil
	case clientToolFunctions[t].Name != "":
		if clientTool(req.Tools, t) == nil {
			return "", false, invalid(path+".type", "Invalid '%s': there is no '%s' tool in 'tools'.", path, llm.Clip(t))
		}
		return t, false, nil
	case t != "function" && t != llm.ToolCustom:
		return "", false, invalid(path+".type", "Invalid value for '%s.type': '%s'. Supported values are: 'function', 'custom', a client tool's type ('shell', 'apply_patch', 'local_shell') or a hosted tool's.", path, llm.Clip(t))
	}
	var fc struct {
		Type string `json:"type"`
		Name string `json:"name"`
	}
	if err := decodeStrict(raw, path, &fc); err != nil {
		return "", false, err
	}
	switch {
	case fc.Name == "":
		return "", false, invalid(path+".name", "Missing required parameter: '%s.name'.", path)
	case !hasTool(req.Tools, fc.Name):
		return "", false, invalid(path+".name", "Invalid '%s': there is no tool named '%s' in 'tools'.", path, llm.Clip(fc.Name))
	}
	return fc.Name, false, nil
}

// appendAllowedTools appends tc, which has Allowed, as an allowed_tools
// tool_choice: each name with its tool's type.
func appendAllowedTools(dst []byte, tc *llm.ToolChoice, tools []llm.Tool) []byte {
	dst = append(dst, `{"type":"allowed_tools","mode":`...)
	dst = jsonw.String(dst, string(tc.Mode))
	dst = append(dst, `,"tools":[`...)
	for i, name := range tc.Allowed {
		if i > 0 {
			dst = append(dst, ',')
		}
		if ct := clientTool(tools, name); ct != nil {
			dst = append(dst, `{"type":`...)
			dst = jsonw.String(dst, ct.Type)
			dst = append(dst, '}')
			continue
		}
		dst = append(dst, `{"type":"`...)
		dst = append(dst, forcedType(name, tools)...)
		dst = append(dst, `","name":`...)
		dst = jsonw.String(dst, name)
		dst = append(dst, '}')
	}
	return append(dst, "]}"...)
}
