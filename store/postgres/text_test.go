package postgres

import (
	"encoding/json"
	"testing"
)

func TestStorable(t *testing.T) {
	tests := []struct {
		in   any
		want any
	}{
		{"plain", "plain"},
		{"a\x00b", "a\uFFFDb"},
		{`{"t":"a\u0000b"}`, `{"t":"a\ufffdb"}`},
		{`{"t":"\\u0000"}`, `{"t":"\\u0000"}`},   // the text \u0000: a backslash, then u0000
		{`{"t":"\\\u0000"}`, `{"t":"\\\ufffd"}`}, // a backslash, then NUL
		{`{"t":"\u0000\u0000x\u0000"}`, `{"t":"\ufffd\ufffdx\ufffd"}`},
		{int64(7), int64(7)},
		{nil, nil},
	}
	for _, tt := range tests {
		if got := storable(tt.in); got != tt.want {
			t.Errorf("storable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// What json.Marshal writes for a text with NUL stays valid JSON, with
	// U+FFFD in its place.
	b, _ := json.Marshal(map[string]string{"t": "x\x00y\\u0000"})
	var back map[string]string
	if err := json.Unmarshal([]byte(storable(string(b)).(string)), &back); err != nil || back["t"] != "x\uFFFDy\\u0000" {
		t.Errorf("round trip: %q, %v", back["t"], err)
	}
}
