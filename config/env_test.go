package config

import (
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	getenv := env(map[string]string{"A": "alpha", "EMPTY": "", "B_2": "beta"})
	tests := []struct {
		in, want string
		problem  string // substring; "" means success
	}{
		{"plain", "plain", ""},
		{"${A}", "alpha", ""},
		{"x-${A}-${B_2}-y", "x-alpha-beta-y", ""},
		{"${MISSING:-fallback}", "fallback", ""},
		{"${EMPTY:-fallback}", "fallback", ""},
		{"${A:-fallback}", "alpha", ""},
		{"${MISSING:-}", "", ""},
		{"${MISSING:-a:-b}", "a:-b", ""},
		{"${EMPTY}", "", ""},
		{"$$", "$", ""},
		{"$${A}", "${A}", ""},
		{"$$$${A}", "$${A}", ""},
		{"cost $5", "cost $5", ""},
		{"$A", "$A", ""},
		{"trailing $", "trailing $", ""},
		{"${MISSING}", "", "environment variable MISSING is not set"},
		{"${A", "", "unterminated ${"},
		{"${}", "", "invalid environment variable name"},
		{"${1X}", "", "invalid environment variable name"},
		{"${A B}", "", "invalid environment variable name"},
	}
	for _, tt := range tests {
		got, problem, hint := expand(tt.in, getenv)
		if tt.problem == "" {
			if problem != "" || got != tt.want {
				t.Errorf("expand(%q) = %q, %q; want %q", tt.in, got, problem, tt.want)
			}
			continue
		}
		if !strings.Contains(problem, tt.problem) || hint == "" {
			t.Errorf("expand(%q) problem = %q (hint %q), want %q and a hint", tt.in, problem, hint, tt.problem)
		}
	}
}

func TestParseEnv(t *testing.T) {
	src := `deployments: {d: {provider: p}}
providers: {p: {kind: openai, api_key: k}}
server:
  addr: ${HOST:-127.0.0.1}:${PORT}
  max_body_bytes: ${MAX_BODY:-1024}
  request_timeout: ${TIMEOUT}
auth:
  keys: ["${KEY}", "lit$$eral"]
`
	c := mustParse(t, []byte(src), env(map[string]string{"PORT": "9000", "TIMEOUT": "90s", "KEY": "k1"}))
	if c.Server.Addr != "127.0.0.1:9000" || c.Server.MaxBodyBytes != 1024 || c.Server.RequestTimeout.String() != "1m30s" {
		t.Errorf("Server = %+v", c.Server)
	}
	if got := c.Auth.Keys; len(got) != 2 || got[0].Key != "k1" || got[1].Key != "lit$eral" {
		t.Errorf("Auth.Keys = %+v", got)
	}

	// A variable that expands to a bad value is reported at its field.
	_, err := Parse([]byte(src), env(map[string]string{"PORT": "9000", "TIMEOUT": "soon", "KEY": "k1"}))
	fe := findError(t, err, "server.request_timeout", `must be a duration, got the value of "${TIMEOUT}"`)
	if fe.Line != 6 {
		t.Errorf("line = %d, want 6", fe.Line)
	}

	// Every unset variable is reported, each at its own field.
	_, err = Parse([]byte(src), nil)
	for _, want := range []struct {
		path, name string
		line       int
	}{{"server.addr", "PORT", 4}, {"server.request_timeout", "TIMEOUT", 6}, {"auth.keys[0]", "KEY", 8}} {
		fe := findError(t, err, want.path, "environment variable "+want.name+" is not set")
		if fe.Line != want.line {
			t.Errorf("%s: line = %d, want %d", want.path, fe.Line, want.line)
		}
		if fe.Hint != "export it, or use ${"+want.name+":-default}" {
			t.Errorf("%s: hint = %q", want.path, fe.Hint)
		}
	}
	// Keys are not expanded.
	_, err = Parse([]byte("providers:\n  ${X}: {kind: openai, api_key: k}\n"), nil)
	findError(t, err, "providers.${X}", `invalid name "${X}"`)
}
