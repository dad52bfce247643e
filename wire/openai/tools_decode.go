package openai

import (
	"encoding/json"
	"slices"
	"strconv"

	"switchyard/llm"
)

// validName reports whether s matches ^[a-zA-Z0-9_-]{1,64}$, OpenAI's rule
// for function and schema names.
func validName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// errName is the API's refusal of name: its length first (OpenAI's
// wording: "string too long. Expected a string with maximum length 64,
// but got a string with length 70 instead."), else its pattern.
func errName(name string) *fieldError {
	if len(name) > 64 {
		return errInvalid("string too long. Expected a string with maximum length 64, but got a string with length " + strconv.Itoa(len(name)) + " instead.")
	}
	return errInvalid("string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]{1,64}$' (letters, digits, underscores and dashes, at most 64).")
}

// decodeTools reads the tools array; empty means none.
func decodeTools(s *scanner, req *llm.Request) error {
	req.Tools = nil
	if s.null() {
		return nil
	}
	var tools []llm.Tool
	err := s.array(func(int) error {
		tools = append(tools, llm.Tool{})
		return decodeTool(s, &tools[len(tools)-1])
	})
	if len(tools) > 0 {
		req.Tools = tools
	}
	return err
}

// decodeTool reads {"type": "function", "function": {...}} or
// {"type": "custom", "custom": {...}}.
func decodeTool(s *scanner, t *llm.Tool) error {
	hasFunction, hasCustom := false, false
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "type":
			t.Type, err = s.str()
		case "function":
			hasFunction = true
			return decodeFunction(s, t)
		case "custom":
			hasCustom = true
			return decodeCustomTool(s, t)
		default:
			return s.skip()
		}
		return err
	})
	switch {
	case err != nil:
		return err
	case t.Type == "":
		return errMissing().in("type")
	case t.Type == llm.ToolCustom:
		if !hasCustom || hasFunction {
			return errMissing().in("custom")
		}
		return nil
	case t.Type != "function":
		return errEnum(t.Type, "'function' and 'custom'").in("type")
	case !hasFunction || hasCustom:
		return errMissing().in("function")
	}
	return nil
}

func decodeFunction(s *scanner, t *llm.Tool) error {
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "name":
			t.Name, err = s.str()
		case "description":
			t.Description, err = s.optStr()
		case "parameters":
			t.Parameters, err = optObject(s)
		case "strict":
			t.Strict, err = optBool(s)
		default:
			return s.skip()
		}
		return err
	})
	return toolNameErr(t.Name, err)
}

// toolNameErr is err, else the error of a tool name that is missing or
// not one the API accepts.
func toolNameErr(name string, err error) error {
	if err == nil && !validName(name) {
		if name == "" {
			return errMissing().in("name")
		}
		return errName(name).in("name")
	}
	return err
}

// optObject reads an object verbatim, or null (as nil).
func optObject(s *scanner) (json.RawMessage, error) {
	switch s.peek() {
	case 'n':
		s.null()
		return nil, nil
	case '{':
		return s.raw()
	}
	return nil, s.typeErr("an object")
}

// decodeToolChoice reads "auto" | "none" | "required" |
// {"type": "function", "function": {"name": ...}} | {"type": "custom",
// "custom": {"name": ...}} | {"type": "allowed_tools", "allowed_tools":
// {...}} (allowed_tools.go).
func decodeToolChoice(s *scanner, req *llm.Request) error {
	req.ToolChoice = nil
	switch s.peek() {
	case 'n':
		s.null()
		return nil
	case '"':
		v, err := s.str()
		if err != nil {
			return err
		}
		switch m := llm.ToolChoiceMode(v); m {
		case llm.ToolChoiceAuto, llm.ToolChoiceNone, llm.ToolChoiceRequired:
			req.ToolChoice = &llm.ToolChoice{Mode: m}
			return nil
		}
		return errEnum(v, "'none', 'auto' and 'required', or {\"type\": \"function\", \"function\": {\"name\": ...}}")
	case '{':
	default:
		return s.typeErr("one of a string or an object")
	}
	typ, name, hasFunction, hasCustom := "", "", false, false
	var allowed *llm.ToolChoice
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "type":
			typ, err = s.str()
		case typeAllowedTools:
			allowed = &llm.ToolChoice{}
			return decodeAllowedTools(s, allowed)
		case "function", "custom":
			hasFunction, hasCustom = hasFunction || key[0] == 'f', hasCustom || key[0] == 'c'
			return s.object(func(key []byte) error {
				if string(key) != "name" {
					return s.skip()
				}
				var err error
				name, err = s.str()
				return err
			})
		default:
			return s.skip()
		}
		return err
	})
	switch {
	case err != nil:
		return err
	case typ == "":
		return errMissing().in("type")
	case typ == typeAllowedTools && allowed == nil:
		return errMissing().in(typeAllowedTools)
	case typ == typeAllowedTools:
		req.ToolChoice = allowed
		return nil
	case typ == llm.ToolCustom && !hasCustom:
		return errMissing().in("custom")
	case typ == llm.ToolCustom && name == "":
		return errMissing().in("name").in("custom")
	case typ == llm.ToolCustom:
	case typ != "function":
		return errEnum(typ, "'function', 'custom' and 'allowed_tools'").in("type")
	case !hasFunction:
		return errMissing().in("function")
	case name == "":
		return errMissing().in("name").in("function")
	}
	req.ToolChoice = &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: name}
	return nil
}

// decodeResponseFormat reads {"type": "text" | "json_object"} or
// {"type": "json_schema", "json_schema": {name, description, schema, strict}}.
func decodeResponseFormat(s *scanner, req *llm.Request) error {
	req.ResponseFormat = nil
	if s.null() {
		return nil
	}
	rf := &llm.ResponseFormat{}
	hasSchemaObj, hasName := false, false
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "type":
			var v string
			v, err = s.str()
			rf.Type = llm.ResponseFormatType(v)
		case "json_schema":
			hasSchemaObj = true
			return s.object(func(key []byte) error {
				var err error
				switch string(key) {
				case "name":
					rf.Name, err = s.str()
					hasName = true
				case "description":
					rf.Description, err = s.optStr()
				case "schema":
					rf.Schema, err = optObject(s)
				case "strict":
					rf.Strict, err = optBool(s)
				default:
					return s.skip()
				}
				return err
			})
		default:
			return s.skip()
		}
		return err
	})
	if err != nil {
		return err
	}
	if err := checkResponseFormat(rf, hasSchemaObj, hasName); err != nil {
		return err
	}
	req.ResponseFormat = rf
	return nil
}

func checkResponseFormat(rf *llm.ResponseFormat, hasSchemaObj, hasName bool) error {
	switch rf.Type {
	case llm.FormatText, llm.FormatJSONObject:
		*rf = llm.ResponseFormat{Type: rf.Type}
		return nil
	case llm.FormatJSONSchema:
	case "":
		return errMissing().in("type")
	default:
		return errEnum(string(rf.Type), "'text', 'json_object' and 'json_schema'").in("type")
	}
	switch {
	case !hasSchemaObj:
		return errMissing().in("json_schema")
	case !hasName:
		return errMissing().in("name").in("json_schema")
	case !validName(rf.Name):
		return errName(rf.Name).in("name").in("json_schema")
	case rf.Schema == nil:
		return errMissing().in("schema").in("json_schema")
	}
	return nil
}

// checkToolChoice refuses a tool_choice that forces a call the request
// cannot make, as the Responses decoder does: "required" without tools,
// or a function not among them. ("auto" and "none" without tools are
// accepted: they ask nothing of the model.) Without this check the answer
// depended on the deployment: Anthropic's adapter refused it, OpenAI-format
// and Gemini upstreams answered in text or with their own 400.
func checkToolChoice(req *llm.Request) error {
	tc := req.ToolChoice
	switch {
	case tc == nil:
	case tc.Mode == llm.ToolChoiceRequired && len(req.Tools) == 0:
		return errInvalid("'required' needs at least one tool in 'tools'.").in("tool_choice")
	case tc.Mode == llm.ToolChoiceFunction && !slices.ContainsFunc(req.Tools, func(t llm.Tool) bool { return t.Name == tc.Name }):
		return errInvalid("there is no function named '" + clip(tc.Name) + "' in 'tools'.").in("name").in("function").in("tool_choice")
	case tc.Allowed != nil:
		return checkAllowedTools(tc, req.Tools)
	}
	return nil
}

// decodeToolCalls reads an assistant's tool_calls; empty means none.
func decodeToolCalls(s *scanner, m *llm.Message) error {
	m.SetToolCalls(nil)
	if s.null() {
		return nil
	}
	var calls []llm.ToolCall
	err := s.array(func(int) error {
		calls = append(calls, llm.ToolCall{})
		return decodeToolCall(s, &calls[len(calls)-1])
	})
	if len(calls) > 0 {
		m.SetToolCalls(calls)
	}
	return err
}

func decodeToolCall(s *scanner, c *llm.ToolCall) error {
	hasFunction, hasName, hasArgs, hasCustom := false, false, false, false
	var gotCustom [2]bool
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "id":
			c.ID, err = s.str()
		case "type":
			c.Type, err = s.str()
		case "custom":
			hasCustom = true
			return decodeSentCustomCall(s, c, &gotCustom)
		case keyExtraContent:
			return readExtraContent(s, &c.Signature, &c.SignatureModel)
		case "function":
			hasFunction = true
			return s.object(func(key []byte) error {
				var err error
				switch string(key) {
				case "name":
					c.Name, err = s.str()
					hasName = true
				case "arguments":
					c.Arguments, err = s.str()
					hasArgs = true
				default:
					return s.skip()
				}
				return err
			})
		default:
			return s.skip()
		}
		return err
	})
	switch {
	case err != nil:
		return err
	case c.ID == "":
		return errMissing().in("id")
	case c.Type == llm.ToolCustom:
		return checkSentCustomCall(c, hasCustom, gotCustom)
	case c.Type == "":
		c.Type = "function"
	case c.Type != "function":
		return errEnum(c.Type, "'function' and 'custom'").in("type")
	}
	switch {
	case !hasFunction:
		return errMissing().in("function")
	case !hasName:
		return errMissing().in("name").in("function")
	case !hasArgs:
		return errMissing().in("arguments").in("function")
	}
	return nil
}
