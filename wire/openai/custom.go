package openai

import (
	"encoding/json"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// Custom tools in Chat Completions (the spec's CustomToolChatCompletions,
// ChatCompletionMessageCustomToolCall, ChatCompletionNamedToolChoiceCustom):
// {"type":"custom","custom":{"name","description","format"}}, a call
// {"id","type":"custom","custom":{"name","input"}}. The chat format nests
// a grammar ({"type":"grammar","grammar":{"definition","syntax"}}); the
// canonical llm.Tool.Format is the Responses API's flat shape
// ({"type":"grammar","syntax","definition"}), converted both ways here.

// chatFormat is a custom tool's format as Chat Completions writes it.
type chatFormat struct {
	Type    string `json:"type"`
	Grammar *struct {
		Definition *string `json:"definition"`
		Syntax     *string `json:"syntax"`
	} `json:"grammar"`
}

// flatFormat is a custom tool's format as llm.Tool.Format holds it.
type flatFormat struct {
	Type       string `json:"type"`
	Syntax     string `json:"syntax,omitempty"`
	Definition string `json:"definition,omitempty"`
}

// decodeCustomTool reads a custom tool's "custom" object into t.
func decodeCustomTool(s *scanner, t *llm.Tool) error {
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "name":
			t.Name, err = s.str()
		case "description":
			t.Description, err = s.optStr()
		case "format":
			var raw json.RawMessage
			if raw, err = optObject(s); err == nil && raw != nil {
				t.Format, err = flattenFormat(raw)
			}
			return err
		default:
			return s.skip()
		}
		return err
	})
	return toolNameErr(t.Name, err)
}

// flattenFormat turns a chat custom tool's format into llm.Tool.Format's
// shape, checking it.
func flattenFormat(raw json.RawMessage) (json.RawMessage, error) {
	var f chatFormat
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, errInvalid("expected {\"type\": \"text\"} or {\"type\": \"grammar\", \"grammar\": {\"definition\": ..., \"syntax\": ...}}.")
	}
	switch f.Type {
	case "text":
		return json.RawMessage(`{"type":"text"}`), nil
	case "grammar":
	case "":
		return nil, errMissing().in("type")
	default:
		return nil, errEnum(f.Type, "'text' and 'grammar'").in("type")
	}
	g := f.Grammar
	switch {
	case g == nil:
		return nil, errMissing().in("grammar")
	case g.Definition == nil:
		return nil, errMissing().in("definition").in("grammar")
	case g.Syntax == nil:
		return nil, errMissing().in("syntax").in("grammar")
	case *g.Syntax != "lark" && *g.Syntax != "regex":
		return nil, errEnum(*g.Syntax, "'lark' and 'regex'").in("syntax").in("grammar")
	}
	return json.Marshal(flatFormat{Type: "grammar", Syntax: *g.Syntax, Definition: *g.Definition})
}

// appendCustomTool writes the custom tool t in Chat Completions' shape.
func appendCustomTool(dst []byte, t *llm.Tool) []byte {
	dst = append(dst, `{"type":"custom","custom":{"name":`...)
	dst = appendString(dst, t.Name)
	if t.Description != "" {
		dst = append(dst, `,"description":`...)
		dst = appendString(dst, t.Description)
	}
	var f flatFormat
	if len(t.Format) > 0 && json.Unmarshal(t.Format, &f) == nil && f.Type == "grammar" {
		dst = append(dst, `,"format":{"type":"grammar","grammar":{"definition":`...)
		dst = jsonw.String(dst, f.Definition)
		dst = append(dst, `,"syntax":`...)
		dst = jsonw.String(dst, f.Syntax)
		dst = append(dst, "}}"...)
	} else if len(t.Format) > 0 {
		dst = append(dst, `,"format":{"type":"text"}`...)
	}
	return append(dst, '}', '}')
}

// appendCustomCall writes the custom tool call c in Chat Completions'
// shape.
func appendCustomCall(dst []byte, c *llm.ToolCall) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, c.ID)
	dst = append(dst, `,"type":"custom","custom":{"name":`...)
	dst = appendString(dst, c.Name)
	dst = append(dst, `,"input":`...)
	dst = appendString(dst, c.Arguments)
	return append(dst, '}', '}')
}

// decodeCustomCall reads a custom call's {"name", "input"} (null is
// nothing).
func decodeCustomCall(s *scanner, name, input *string) error {
	if s.null() {
		return nil
	}
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "name":
			*name, err = s.optStr()
		case "input":
			*input, err = s.optStr()
		default:
			return s.skip()
		}
		return err
	})
}

// appendCustomCallDelta writes a streamed custom call's fragment: the
// call's "custom" object holds its name (first fragment) and a piece of
// its input. The spec documents no streamed custom call in chat chunks
// (its ChatCompletionMessageToolCallChunk knows functions only); this is
// the shape reported from OpenAI's API in openai/openai-openapi#576 and
// openai/openai-python#2530, the function call's delta with "custom".
func appendCustomCallDelta(dst []byte, t *llm.ToolCallDelta) []byte {
	dst = append(dst, `"custom":{`...)
	if t.Name != "" {
		dst = append(dst, `"name":`...)
		dst = appendString(dst, t.Name)
		dst = append(dst, ',')
	}
	dst = append(dst, `"input":`...)
	dst = appendString(dst, t.Arguments)
	return append(dst, '}', '}')
}

// isCustomChoice reports whether tc forces a custom tool of tools.
func isCustomChoice(tc *llm.ToolChoice, tools []llm.Tool) bool {
	if tc == nil || tc.Mode != llm.ToolChoiceFunction {
		return false
	}
	for i := range tools {
		if tools[i].Name == tc.Name {
			return tools[i].IsCustom()
		}
	}
	return false
}

// decodeSentCustomCall reads the "custom" object of a custom call a
// client sent back; got says which of name and input it held.
func decodeSentCustomCall(s *scanner, c *llm.ToolCall, got *[2]bool) error {
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "name":
			c.Name, err = s.str()
			got[0] = true
		case "input":
			c.Arguments, err = s.str()
			got[1] = true
		default:
			return s.skip()
		}
		return err
	})
}

// checkSentCustomCall checks a custom call a client sent back.
func checkSentCustomCall(c *llm.ToolCall, hasCustom bool, got [2]bool) error {
	switch {
	case !hasCustom:
		return errMissing().in("custom")
	case !got[0] || c.Name == "":
		return errMissing().in("name").in("custom")
	case !got[1]:
		return errMissing().in("input").in("custom")
	}
	return nil
}
