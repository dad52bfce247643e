package anthropic

import (
	"strings"
	"testing"
)

func TestContextManagement(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{``, ``, ``},
		{`null`, ``, ``},
		{`{"edits": [ {"type":"clear_tool_uses_20250919","keep":{"type":"tool_uses","value":3}} ]}`, `{"edits":[{"type":"clear_tool_uses_20250919","keep":{"type":"tool_uses","value":3}}]}`, ``},
		{`{}`, `{}`, ``},
		{`[]`, ``, `context_management: Input should be a valid dictionary`},
		{`{"edits":[{"keep":1}]}`, ``, `context_management.edits.0.type: Field required`},
		{`{"edits":[1]}`, ``, `context_management: Input should be a valid dictionary`},
	} {
		got, err := contextManagement([]byte(c.in))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: err %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || string(got) != c.want {
			t.Errorf("%s: %s, %v; want %s", c.in, got, err, c.want)
		}
	}
}
