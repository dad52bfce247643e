package config

import (
	"strings"
	"testing"
)

// TestOnRefusal: routes answer with a refusal by default, `on_refusal:
// fallback` makes one try its next candidates, and another value is an
// error naming the two.
func TestOnRefusal(t *testing.T) {
	c := mustParse(t, []byte(routeBase+`routes:
  plain: {deployments: [mini]}
  said: {deployments: [mini], on_refusal: return}
  onward: {deployments: [mini], on_refusal: fallback}
`), nil)
	for name, want := range map[string]bool{"plain": false, "said": false, "onward": true} {
		if got := c.Routes[name].FallsBackOnRefusal(); got != want {
			t.Errorf("%s: falls back %v, want %v", name, got, want)
		}
	}
	_, err := Parse([]byte(routeBase+"routes:\n  r: {deployments: [mini], on_refusal: retry}\n"), nil)
	fe := findError(t, err, "routes.r.on_refusal", `unknown value "retry"`)
	if !strings.Contains(fe.Hint, "return, fallback") {
		t.Errorf("hint %q", fe.Hint)
	}
}
