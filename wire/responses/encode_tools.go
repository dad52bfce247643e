package responses

import (
	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file writes a response's tools and tool_choice, as the client
// sent them.

// appendToolChoice appends tool_choice: "auto" when unset.
func appendToolChoice(dst []byte, tc *llm.ToolChoice, tools []llm.Tool) []byte {
	switch {
	case tc == nil:
		return append(dst, `"auto"`...)
	case tc.Allowed != nil:
		return appendAllowedTools(dst, tc, tools)
	case tc.Mode == llm.ToolChoiceFunction && clientTool(tools, tc.Name) != nil:
		dst = append(dst, `{"type":`...)
		dst = jsonw.String(dst, clientTool(tools, tc.Name).Type)
		return append(dst, '}')
	case tc.Mode == llm.ToolChoiceFunction:
		dst = append(dst, `{"type":"`...)
		dst = append(dst, forcedType(tc.Name, tools)...)
		dst = append(dst, `","name":`...)
		dst = jsonw.String(dst, tc.Name)
		return append(dst, '}')
	}
	dst = append(dst, '"')
	dst = append(dst, tc.Mode...)
	return append(dst, '"')
}

// appendTools appends the function tools as the request declared them.
func appendTools(dst []byte, tools []llm.Tool) []byte {
	dst = append(dst, '[')
	for i := range tools {
		t := &tools[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		if t.IsCustom() {
			dst = appendCustomTool(dst, t)
			continue
		}
		if t.OpenAIClient != nil {
			dst = appendClientTool(dst, t.OpenAIClient)
			continue
		}
		dst = append(dst, `{"type":"function","name":`...)
		dst = jsonw.String(dst, t.Name)
		dst = append(dst, `,"description":`...)
		dst = appendNullString(dst, t.Description)
		dst = append(dst, `,"parameters":`...)
		if len(t.Parameters) == 0 {
			dst = append(dst, "null"...)
		} else {
			dst = append(dst, t.Parameters...)
		}
		dst = append(dst, `,"strict":`...)
		dst = appendOptBool(dst, t.Strict)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}
