package guard

import "testing"

func TestStripJSONFence(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":1}`, `{"a":1}`},
		{"```json\n{\"a\":1}\n```", `{"a":1}`},
		{"```\n[1,2]\n```", `[1,2]`},
		{"  ```{\"a\":1}```  ", `{"a":1}`},
		{"```JSON\r\n{\"b\":2}\r\n```", `{"b":2}`},
		{"```json {\"c\":3}```", `{"c":3}`},
		{"```42```", `42`},
		{"```json\n\"a string\"\n```", `"a string"`},
		// Left alone: text around the fence, several fences, invalid JSON
		// inside, an unterminated fence. The two copies this replaces
		// (gateway and the Anthropic adapter) mangled the second and
		// third of these into broken text.
		{"Here: ```json\n{}\n```", "Here: ```json\n{}\n```"},
		{"```json\n{\"a\":1}\n```\nand\n```json\n{\"b\":2}\n```", "```json\n{\"a\":1}\n```\nand\n```json\n{\"b\":2}\n```"},
		{"```python\nprint(1)\n```", "```python\nprint(1)\n```"},
		{"```", "```"},
		{"``````", "``````"},
		{"```json\n{\"a\":", "```json\n{\"a\":"},
	}
	for _, tt := range tests {
		if got := StripJSONFence(tt.in); got != tt.want {
			t.Errorf("StripJSONFence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
