package responses

import (
	"bytes"
	"encoding/json"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// Custom tools: a tool whose input is free text, optionally constrained by
// a grammar (the spec's CustomToolParam, CustomTextFormatParam and
// CustomGrammarFormatParam).

// customTool is a custom tool definition. defer_loading and
// allowed_callers belong to OpenAI's hosted tool search: refused as
// unknown fields.
type customTool struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Description *string         `json:"description"`
	Format      json.RawMessage `json:"format"`
}

// customFormat is a custom tool's format: {"type":"text"} or
// {"type":"grammar","syntax":"lark"|"regex","definition":...}.
type customFormat struct {
	Type       string  `json:"type"`
	Syntax     *string `json:"syntax"`
	Definition *string `json:"definition"`
}

// decodeCustomTool decodes the custom tool raw at path. Its format is kept
// as the client sent it, once checked (llm.Tool.Format).
func decodeCustomTool(raw json.RawMessage, path string) (llm.Tool, error) {
	var ct customTool
	if err := decodeStrict(raw, path, &ct); err != nil {
		return llm.Tool{}, err
	}
	if !validName(ct.Name) {
		return llm.Tool{}, invalid(path+".name", "Invalid '%s.name': expected a name of 1 to 64 letters, digits, underscores and dashes, but got '%s'.", path, llm.Clip(ct.Name))
	}
	t := llm.Tool{Type: llm.ToolCustom, Name: ct.Name}
	if ct.Description != nil {
		t.Description = *ct.Description
	}
	if isNull(ct.Format) {
		return t, nil
	}
	if err := checkCustomFormat(ct.Format, path+".format"); err != nil {
		return llm.Tool{}, err
	}
	var b bytes.Buffer
	json.Compact(&b, ct.Format) //nolint:errcheck // decoded before: valid JSON
	t.Format = b.Bytes()
	return t, nil
}

// checkCustomFormat checks a custom tool's format at path.
func checkCustomFormat(raw json.RawMessage, path string) error {
	if first(raw) != '{' {
		return invalid(path, "Invalid type for '%s': expected an object, but got %s instead.", path, kindOf(raw))
	}
	var f customFormat
	if err := decodeStrict(raw, path, &f); err != nil {
		return err
	}
	switch f.Type {
	case "text":
		if f.Syntax != nil || f.Definition != nil {
			return invalid(path, "Invalid '%s': a text format takes no 'syntax' or 'definition'.", path)
		}
		return nil
	case "grammar":
	case "":
		return invalid(path+".type", "Missing required parameter: '%s.type'.", path)
	default:
		return invalid(path+".type", "Invalid value: '%s'. Supported values are: 'text' and 'grammar'.", llm.Clip(f.Type))
	}
	switch {
	case f.Syntax == nil:
		return invalid(path+".syntax", "Missing required parameter: '%s.syntax'.", path)
	case *f.Syntax != "lark" && *f.Syntax != "regex":
		return invalid(path+".syntax", "Invalid value: '%s'. Supported values are: 'lark' and 'regex'.", llm.Clip(*f.Syntax))
	case f.Definition == nil:
		return invalid(path+".definition", "Missing required parameter: '%s.definition'.", path)
	}
	return nil
}

// customCallItem is a custom tool call the model made, sent back
// (CustomToolCall).
type customCallItem struct {
	Type   string  `json:"type"`
	ID     *string `json:"id"`
	CallID string  `json:"call_id"`
	Name   string  `json:"name"`
	Input  *string `json:"input"`
	Status *string `json:"status"`
	// Namespace is the namespace of the tool called (namespace.go).
	Namespace *string `json:"namespace"`
}

// customCallOutputItem is the result of a custom tool call
// (CustomToolCallOutput).
type customCallOutputItem struct {
	Type   string          `json:"type"`
	ID     *string         `json:"id"`
	CallID string          `json:"call_id"`
	Output json.RawMessage `json:"output"`
	Status *string         `json:"status"`
}

// customCall decodes a custom tool call item: a tool call of type custom,
// its input as the call's Arguments.
func (d *inputDecoder) customCall(raw json.RawMessage, path string) error {
	var cc customCallItem
	if err := decodeStrict(raw, path, &cc); err != nil {
		return err
	}
	if cc.Input == nil {
		return invalid(path+".input", "Missing required parameter: '%s.input'.", path)
	}
	fc := functionCallItem{CallID: cc.CallID, Name: cc.Name, Arguments: *cc.Input, Namespace: cc.Namespace}
	return d.addCall(&fc, llm.ToolCustom, path)
}

// customCallOutput decodes a custom tool call's result: a tool message.
func (d *inputDecoder) customCallOutput(raw json.RawMessage, path string) error {
	var co customCallOutputItem
	if err := decodeStrict(raw, path, &co); err != nil {
		return err
	}
	return d.addFunctionCallOutput(&functionCallOutputItem{CallID: co.CallID, Output: co.Output}, path)
}

// forcedType is the tool_choice type that forces the tool named name:
// custom for a custom tool, else function.
func forcedType(name string, tools []llm.Tool) string {
	for i := range tools {
		if tools[i].Name == name && tools[i].IsCustom() {
			return llm.ToolCustom
		}
	}
	return "function"
}

// appendCustomTool appends the custom tool t as the request declared it.
func appendCustomTool(dst []byte, t *llm.Tool) []byte {
	dst = append(dst, `{"type":"custom","name":`...)
	dst = jsonw.String(dst, t.Name)
	if t.Description != "" {
		dst = append(dst, `,"description":`...)
		dst = jsonw.String(dst, t.Description)
	}
	dst = append(dst, `,"format":`...)
	if len(t.Format) == 0 {
		dst = append(dst, `{"type":"text"}`...)
	} else {
		dst = append(dst, t.Format...)
	}
	return append(dst, '}')
}

// appendCustomCall appends the custom tool call item it with the given
// status (CustomToolCallResource).
func appendCustomCall(dst []byte, it *Item, status string) []byte {
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, it.ID)
	dst = append(dst, `,"type":"custom_tool_call","status":"`...)
	dst = append(dst, status...)
	dst = append(dst, `","call_id":`...)
	dst = jsonw.String(dst, it.CallID)
	dst = append(dst, `,"input":`...)
	dst = jsonw.String(dst, it.Arguments)
	dst = append(dst, `,"name":`...)
	dst = jsonw.String(dst, it.Name)
	return append(appendNamespace(dst, it), '}')
}

// inputDelta appends response.custom_tool_call_input.delta
// (ResponseCustomToolCallInputDeltaEvent).
func (s *Streamer) inputDelta(dst []byte, i int, delta string) []byte {
	dst = s.begin(dst, "response.custom_tool_call_input.delta")
	dst = s.appendIndexes(dst, i)
	dst = append(dst, `,"delta":`...)
	dst = jsonw.String(dst, delta)
	return end(dst)
}

// inputDone appends response.custom_tool_call_input.done
// (ResponseCustomToolCallInputDoneEvent) with the whole input.
func (s *Streamer) inputDone(dst []byte, i int) []byte {
	dst = s.begin(dst, "response.custom_tool_call_input.done")
	dst = s.appendIndexes(dst, i)
	dst = append(dst, `,"input":`...)
	dst = jsonw.String(dst, s.items[i].Arguments)
	return end(dst)
}
