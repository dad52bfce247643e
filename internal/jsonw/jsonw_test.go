package jsonw

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

// FuzzString fences String by encoding/json, which it must match byte for
// byte (without HTML escaping). wire/openai's tests run the same check on
// fixed and random strings.
func FuzzString(f *testing.F) {
	for _, s := range []string{"", "plain", "quote\" back\\", "\x00\x1f\x7f", "é 中文 😀", "\u2028\u2029", "bad \xff", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		if got, want := string(String(nil, s)), strings.TrimSuffix(b.String(), "\n"); got != want {
			t.Fatalf("String(%q) = %s, want %s", s, got, want)
		}
	})
}

// FuzzHTMLString fences HTMLString by json.Marshal (HTML escaping on),
// which it must match byte for byte.
func FuzzHTMLString(f *testing.F) {
	for _, s := range []string{"", "plain", "<a href=\"x&y\">", "quote\" back\\", "\x00\x1f\x7f", "é 中文 😀", "\u2028<\u2029", "bad \xff&", "\xe2<\x82"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := HTMLString(nil, s); string(got) != string(want) {
			t.Fatalf("HTMLString(%q) = %s, want %s", s, got, want)
		}
	})
}

// LogString writes a string as log/slog's JSON handler does: \b and \f
// as \u00XX, no HTML escaping.
func TestLogStringMatchesSlog(t *testing.T) {
	s := "a\bb\fc\n\"<&>\u2028\x01é\xff"
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key != "k" {
			return slog.Attr{}
		}
		return a
	}})).Info("", "k", s)
	want := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(buf.String()), `{"k":`), "}")
	if got := string(LogString(nil, s)); got != want {
		t.Errorf("LogString = %s, slog writes %s", got, want)
	}
}
