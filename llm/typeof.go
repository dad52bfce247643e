package llm

import "encoding/json"

// typeOf is the "type" member of a JSON object, as json.Unmarshal into
// struct{ Type string `json:"type"` } reads it; "" when it has none. It
// is read for every hosted tool and hosted item of a request, several
// times (classifying, each candidate's checks), so a plain object — no
// escape in its keys or in its type, which is ASCII — is read by one
// allocation-free pass (scanType); anything else by json.Unmarshal, the
// reference.
func typeOf(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "" // no tool_choice: not JSON, json.Unmarshal's error
	}
	if t, ok := scanType(raw); ok {
		return t
	}
	var h struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &h)
	return h.Type
}

// knownTypes are the type names typeOf returns without allocating.
var knownTypes = [...]string{
	"web_search", "web_search_preview", "web_search_preview_2025_03_11", "web_search_2025_08_26", "web_search_call",
	"file_search", "file_search_call", "code_interpreter", "code_interpreter_call",
	"image_generation", "image_generation_call", "computer_use_preview", "computer_call", "computer_call_output",
	"computer", "computer_use", "mcp", "mcp_call", "mcp_list_tools", "mcp_approval_request", "mcp_approval_response",
	"tool_search", "tool_search_call", "tool_search_output", "allowed_tools", "function", ToolCustom,
}

// internType is b as a string: one of knownTypes without allocating.
func internType(b []byte) string {
	for _, s := range knownTypes {
		if string(b) == s {
			return s
		}
	}
	return string(b)
}

// scanType reads raw's "type" as typeOf does, reporting false when raw
// is not a valid JSON object that it reads alike: a key with an escape,
// a type member whose value is not a string of printable ASCII without
// escapes, nesting deeper than it follows.
func scanType(raw []byte) (string, bool) {
	s := typeScanner{b: raw}
	s.space()
	if !s.byte('{') {
		return "", false
	}
	var typ []byte
	found := false
	s.space()
	if !s.byte('}') {
		for {
			s.space()
			key, ok := s.plainString()
			if !ok {
				return "", false
			}
			s.space()
			if !s.byte(':') {
				return "", false
			}
			s.space()
			if isTypeKey(key) {
				if typ, ok = s.plainString(); !ok || !printableASCII(typ) {
					return "", false
				}
				found = true
			} else if !s.value(0) {
				return "", false
			}
			s.space()
			if s.byte('}') {
				break
			}
			if !s.byte(',') {
				return "", false
			}
		}
	}
	s.space()
	if s.i != len(s.b) {
		return "", false
	}
	if !found {
		return "", true
	}
	return internType(typ), true
}

// isTypeKey reports whether key names the type member as
// encoding/json matches it: "type" in any case.
func isTypeKey(key []byte) bool {
	return len(key) == 4 && key[0]|0x20 == 't' && key[1]|0x20 == 'y' && key[2]|0x20 == 'p' && key[3]|0x20 == 'e'
}

func printableASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}
