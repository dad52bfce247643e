package anthropic

import (
	"strings"
	"testing"
)

// A held turn's cache_control spelled with a \u escape (valid JSON, which
// Claude reads) goes like the plain one: a thread's history replayed
// whole must not bring its turns' breakpoints past the four Claude takes.
func TestWithoutCacheControlEscaped(t *testing.T) {
	in := `[{"role":"user","content":[{"type":"text","text":"a","cache\u005fcontrol":{"type":"ephemeral"}}]}]`
	out, err := withoutCacheControl([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "cache") || !strings.Contains(string(out), `"text":"a"`) {
		t.Errorf("withoutCacheControl(%s) = %s", in, out)
	}
}
