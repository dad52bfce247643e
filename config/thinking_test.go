package config

import (
	"testing"
	"time"
)

func TestThinking(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       Thinking
	}{
		{"defaults", "", Thinking{MaxBytes: DefaultThinkingMaxBytes, TTL: time.Hour, SharedLookupTimeout: 50 * time.Millisecond}},
		{"every field", "thinking: {max_bytes: 1048576, ttl: 30m, shared_lookup_timeout: 120ms}\n",
			Thinking{MaxBytes: 1 << 20, TTL: 30 * time.Minute, SharedLookupTimeout: 120 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, []byte(stateBase+tt.yaml), nil)
			if c.Thinking != tt.want {
				t.Errorf("Thinking = %+v, want %+v", c.Thinking, tt.want)
			}
		})
	}
}

func TestThinkingMistakes(t *testing.T) {
	tests := []struct {
		name, yaml    string
		path, problem string
	}{
		{"max_bytes too small", "thinking: {max_bytes: 1000}\n", "thinking.max_bytes", "must be at least 65536 (64 KiB), got 1000"},
		{"negative max_bytes", "thinking: {max_bytes: -1}\n", "thinking.max_bytes", "must be at least 65536"},
		{"ttl too long", "thinking: {ttl: 200h}\n", "thinking.ttl", "must be > 0 and at most 168h, got 200h0m0s"},
		{"ttl zero", "thinking: {ttl: 0s}\n", "thinking.ttl", "must be > 0, got 0s"},
		{"timeout not a duration", "thinking: {shared_lookup_timeout: 50}\n", "thinking.shared_lookup_timeout", "must be a duration"},
		{"timeout too long", "thinking: {shared_lookup_timeout: 10s}\n", "thinking.shared_lookup_timeout", "must be > 0 and at most 5s, got 10s"},
		{"unknown field", "thinking: {max_entries: 10}\n", "thinking", `unknown field "max_entries"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(stateBase+tt.yaml), nil)
			findError(t, err, tt.path, tt.problem)
		})
	}
}

// The thinking memory is built once: a reload that changes it is told to
// restart, field by field.
func TestThinkingRestartOnly(t *testing.T) {
	running := mustParse(t, []byte(stateBase), nil)
	next := mustParse(t, []byte(stateBase+"thinking: {ttl: 2h}\n"), nil)
	findError(t, next.CheckReload(running), "thinking.ttl", "takes effect only when the router starts")
}
