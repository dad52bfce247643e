package openai

import (
	"slices"
	"strconv"

	"switchyard/llm"
)

// Allowed tools (ChatCompletionAllowedToolsChoice): a tool_choice
// {"type": "allowed_tools", "allowed_tools": {"mode": "auto" | "required",
// "tools": [{"type": "function", "function": {"name": ...}},
// {"type": "custom", "custom": {"name": ...}}]}} restricts the model to
// some of the request's tools while the tools stay as sent, so that the
// prompt cache holds from turn to turn. It is decoded into
// llm.ToolChoice.Allowed; an upstream that takes it (OpenAI's and Azure's
// Chat Completions) is sent it as the client wrote it (ChatOptions.
// AllowedTools), any other the allowed tools alone (llm.AllowedOnly).

// typeAllowedTools is the tool_choice type that restricts the tools.
const typeAllowedTools = "allowed_tools"

// decodeAllowedTools reads the allowed_tools member of a tool_choice:
// its mode and the names of its tools.
func decodeAllowedTools(s *scanner, tc *llm.ToolChoice) error {
	hasTools := false
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "mode":
			v, err := s.str()
			tc.Mode = llm.ToolChoiceMode(v)
			return err
		case "tools":
			hasTools = true
			tc.Allowed = []string{}
			return s.array(func(int) error {
				name, err := decodeAllowedTool(s)
				tc.Allowed = append(tc.Allowed, name)
				return err
			})
		}
		return s.skip()
	})
	switch {
	case err != nil:
		return err
	case tc.Mode == "":
		return errMissing().in("mode")
	case tc.Mode != llm.ToolChoiceAuto && tc.Mode != llm.ToolChoiceRequired:
		return errEnum(string(tc.Mode), "'auto' and 'required'").in("mode")
	case !hasTools:
		return errMissing().in("tools")
	case len(tc.Allowed) == 0:
		return errEmptyArray().in("tools")
	}
	return nil
}

// decodeAllowedTool reads one of allowed_tools' tools: {"type":
// "function", "function": {"name": ...}} or {"type": "custom", "custom":
// {"name": ...}}, and returns its name.
func decodeAllowedTool(s *scanner) (string, error) {
	typ, name, inner := "", "", ""
	err := s.object(func(key []byte) error {
		switch k := string(key); k {
		case "type":
			var err error
			typ, err = s.str()
			return err
		case "function", llm.ToolCustom:
			inner = k
			return s.object(func(key []byte) error {
				if string(key) != "name" {
					return s.skip()
				}
				var err error
				name, err = s.str()
				return err
			})
		}
		return s.skip()
	})
	switch {
	case err != nil:
		return "", err
	case typ == "":
		return "", errMissing().in("type")
	case typ != "function" && typ != llm.ToolCustom:
		return "", errEnum(typ, "'function' and 'custom'").in("type")
	case inner != typ:
		return "", errMissing().in(typ)
	case name == "":
		return "", errMissing().in("name").in(typ)
	}
	return name, nil
}

// checkAllowedTools refuses allowed tools that are not among the
// request's tools.
func checkAllowedTools(tc *llm.ToolChoice, tools []llm.Tool) error {
	for i, name := range tc.Allowed {
		if !slices.ContainsFunc(tools, func(t llm.Tool) bool { return t.Name == name }) {
			return errInvalid("there is no tool named '" + clip(name) + "' in 'tools'.").
				in("[" + strconv.Itoa(i) + "]").in("tools").in(typeAllowedTools).in("tool_choice")
		}
	}
	return nil
}

// appendAllowedTools appends tc, which has Allowed, as an allowed_tools
// tool_choice; each name's type is its tool's.
func appendAllowedTools(dst []byte, tc *llm.ToolChoice, tools []llm.Tool) []byte {
	dst = append(dst, `{"type":"allowed_tools","allowed_tools":{"mode":`...)
	dst = appendString(dst, string(tc.Mode))
	dst = append(dst, `,"tools":[`...)
	for i, name := range tc.Allowed {
		if i > 0 {
			dst = append(dst, ',')
		}
		typ := "function"
		if j := slices.IndexFunc(tools, func(t llm.Tool) bool { return t.Name == name }); j >= 0 && tools[j].IsCustom() {
			typ = llm.ToolCustom
		}
		dst = append(dst, `{"type":"`...)
		dst = append(dst, typ...)
		dst = append(dst, `","`...)
		dst = append(dst, typ...)
		dst = append(dst, `":{"name":`...)
		dst = appendString(dst, name)
		dst = append(dst, `}}`...)
	}
	return append(dst, `]}}`...)
}
