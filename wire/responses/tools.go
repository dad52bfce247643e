package responses

import (
	"encoding/json"
	"strconv"

	"switchyard/llm"
)

// functionTool is a function tool definition.
type functionTool struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Description *string         `json:"description"`
	Parameters  json.RawMessage `json:"parameters"`
	Strict      *bool           `json:"strict"`
}

// builtinTools are OpenAI's hosted tools: they run on OpenAI's side, and
// only an OpenAI deployment called on the Responses API serves them
// (hosted.go). (local_shell, shell and apply_patch run on the client's:
// shelltools.go.)
var builtinTools = map[string]bool{
	"web_search": true, "web_search_preview": true, "web_search_preview_2025_03_11": true, "web_search_2025_08_26": true,
	"file_search": true, "code_interpreter": true, "image_generation": true, "computer": true, "computer_use": true,
	"computer_use_preview": true, "mcp": true, "tool_search": true,
}

// toolHosted marks a hosted tool's declaration in decodeTool's answer.
const toolHosted = "hosted"

// decodeTooling decodes tools, tool_choice and parallel_tool_calls.
func decodeTooling(cr *createRequest, out *Request) error {
	req := out.Chat
	for i, raw := range cr.Tools {
		t, err := decodeTool(raw, "tools["+strconv.Itoa(i)+"]")
		if err != nil {
			return err
		}
		if t.Type == toolHosted {
			hostedTool(req, raw, "tools["+strconv.Itoa(i)+"]")
			continue
		}
		if t.Type == toolNamespace {
			if err := decodeNamespace(raw, "tools["+strconv.Itoa(i)+"]", out); err != nil {
				return err
			}
			continue
		}
		req.Tools = append(req.Tools, t)
	}
	if err := checkClientTools(req.Tools); err != nil {
		return err
	}
	req.ParallelToolCalls = cr.ParallelToolCalls
	if isNull(cr.ToolChoice) {
		return nil
	}
	if isAllowedChoice(cr.ToolChoice) {
		return allowedChoice(req, cr.ToolChoice)
	}
	if hosted, err := hostedChoice(req, cr.ToolChoice); hosted || err != nil {
		return err
	}
	tc, err := decodeToolChoice(cr.ToolChoice)
	if err != nil {
		return err
	}
	// "auto" and "none" without tools ask nothing of the model (OpenAI's
	// default is "auto", tools or not, and clients send it so); a forced
	// call needs a tool.
	if tc.Mode != llm.ToolChoiceNone && tc.Mode != llm.ToolChoiceAuto && len(req.Tools) == 0 && req.OpenAIHosted == nil {
		return invalid("tool_choice", "Invalid 'tool_choice': '%s' needs at least one tool in 'tools'.", llm.Clip(choiceName(tc)))
	}
	if tc.Mode == llm.ToolChoiceFunction && clientToolFunctions[tc.Name].Name != "" {
		if err := checkClientChoice(cr.ToolChoice, req.Tools); err != nil {
			return err
		}
	}
	if tc.Mode == llm.ToolChoiceFunction && !hasTool(req.Tools, tc.Name) {
		return invalid("tool_choice.name", "Invalid 'tool_choice': there is no function named '%s' in 'tools'.", llm.Clip(tc.Name))
	}
	req.ToolChoice = tc
	return nil
}

// decodeTool decodes one tool definition at path.
func decodeTool(raw json.RawMessage, path string) (llm.Tool, error) {
	if first(raw) != '{' {
		return llm.Tool{}, invalid(path, "Invalid type for '%s': expected a tool object, but got %s instead.", path, kindOf(raw))
	}
	var h itemHeader
	if err := json.Unmarshal(raw, &h); err != nil {
		return llm.Tool{}, jsonError(err, path)
	}
	switch {
	case h.Type == nil || *h.Type == "":
		return llm.Tool{}, invalid(path+".type", "Missing required parameter: '%s.type'.", path)
	case builtinTools[*h.Type]:
		return llm.Tool{Type: toolHosted}, nil // kept raw: hosted.go
	case *h.Type == llm.ToolCustom:
		return decodeCustomTool(raw, path)
	case *h.Type == toolNamespace:
		return llm.Tool{Type: toolNamespace}, nil // its tools: namespace.go
	case clientToolFunctions[*h.Type].Name != "":
		return decodeClientTool(raw, *h.Type, path)
	case *h.Type != "function":
		e := unsupported(path+".type", "Tools of type '%s' are not supported by this router; only function, custom, namespace, local_shell, shell and apply_patch tools are.", llm.Clip(*h.Type))
		e.Code = "unsupported_value"
		return llm.Tool{}, e
	}
	var ft functionTool
	if err := decodeStrict(raw, path, &ft); err != nil {
		return llm.Tool{}, err
	}
	if !validName(ft.Name) {
		return llm.Tool{}, invalid(path+".name", "Invalid '%s.name': expected a name of 1 to 64 letters, digits, underscores and dashes, but got '%s'.", path, llm.Clip(ft.Name))
	}
	if !isNull(ft.Parameters) && first(ft.Parameters) != '{' {
		return llm.Tool{}, invalid(path+".parameters", "Invalid type for '%s.parameters': expected a JSON Schema object, but got %s instead.", path, kindOf(ft.Parameters))
	}
	t := llm.Tool{Type: "function", Name: ft.Name, Strict: ft.Strict}
	if ft.Description != nil {
		t.Description = *ft.Description
	}
	if !isNull(ft.Parameters) {
		t.Parameters = append(json.RawMessage(nil), ft.Parameters...)
	}
	return t, nil
}

// validName reports whether name is a valid function name.
func validName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// decodeToolChoice decodes tool_choice: a mode, or a function to call.
func decodeToolChoice(raw json.RawMessage) (*llm.ToolChoice, error) {
	if first(raw) == '"' {
		var mode string
		if err := json.Unmarshal(raw, &mode); err != nil {
			return nil, jsonError(err, "tool_choice")
		}
		switch m := llm.ToolChoiceMode(mode); m {
		case llm.ToolChoiceAuto, llm.ToolChoiceNone, llm.ToolChoiceRequired:
			return &llm.ToolChoice{Mode: m}, nil
		}
		return nil, invalid("tool_choice", "Invalid value for 'tool_choice': '%s'. Supported values are: 'none', 'auto', 'required', or {\"type\": \"function\", \"name\": ...}.", llm.Clip(mode))
	}
	if first(raw) != '{' {
		return nil, invalid("tool_choice", "Invalid type for 'tool_choice': expected one of a string or an object, but got %s instead.", kindOf(raw))
	}
	var h itemHeader
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, jsonError(err, "tool_choice")
	}
	if t := deref(h.Type); t == ToolShell || t == ToolApplyPatch {
		return clientChoice(raw, t)
	}
	if h.Type == nil || *h.Type != "function" && *h.Type != llm.ToolCustom {
		typ := ""
		if h.Type != nil {
			typ = *h.Type
		}
		return nil, unsupported("tool_choice.type", "tool_choice of type '%s' is not supported by this router; use 'none', 'auto', 'required', {\"type\": \"function\", \"name\": ...}, {\"type\": \"custom\", \"name\": ...}, {\"type\": \"allowed_tools\", ...}, {\"type\": \"shell\"} or {\"type\": \"apply_patch\"}.", llm.Clip(typ))
	}
	var fc struct {
		Type string `json:"type"`
		Name string `json:"name"`
	}
	if err := decodeStrict(raw, "tool_choice", &fc); err != nil {
		return nil, err
	}
	if fc.Name == "" {
		return nil, invalid("tool_choice.name", "Missing required parameter: 'tool_choice.name'.")
	}
	return &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: fc.Name}, nil
}

func choiceName(tc *llm.ToolChoice) string {
	if tc.Mode == llm.ToolChoiceFunction {
		return "function " + tc.Name
	}
	return string(tc.Mode)
}

func hasTool(tools []llm.Tool, name string) bool {
	for i := range tools {
		if tools[i].Name == name {
			return true
		}
	}
	return false
}
