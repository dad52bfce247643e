package openai

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/internal/alloctest"
)

// joined returns n pieces made by piece, joined with commas.
func joined(n int, piece func(i int) string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(piece(i))
	}
	return b.String()
}

// Answering a request is linear in its messages, items and tool calls:
// the implicit prompt cache keyed each message's prefix by hashing a copy
// of the whole prefix (model + prefix), and 8,000 messages of a few words
// allocated ~1 GB. 4,000 against 250 (16 times) allocates some 20 times
// the bytes now; it was ~250 times.
func TestLongRequestsCostLinearBytes(t *testing.T) {
	h := New(testCatalog(), nil)
	tests := []struct {
		name, path string
		body       func(n int) string
	}{
		{"chat messages", "/v1/chat/completions", func(n int) string {
			return `{"model":"gpt-sim","messages":[` + joined(n, func(int) string { return `{"role":"user","content":"hi there"}` }) + `]}`
		}},
		{"chat tool calls", "/v1/chat/completions", func(n int) string {
			return `{"model":"gpt-sim","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],` +
				`"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[` + joined(n, func(i int) string {
				return fmt.Sprintf(`{"id":"call_%d","type":"function","function":{"name":"f","arguments":"{}"}}`, i)
			}) + `]},` + joined(n, func(i int) string { return fmt.Sprintf(`{"role":"tool","tool_call_id":"call_%d","content":"r"}`, i) }) + `]}`
		}},
		{"responses items", "/v1/responses", func(n int) string {
			return `{"model":"gpt-sim","input":[` + joined(n, func(int) string { return `{"role":"user","content":"hi there"}` }) + `]}`
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			post := func(n int) {
				req := httptest.NewRequest(http.MethodPost, tt.path, strings.NewReader(tt.body(n)))
				req.Header.Set("Authorization", "Bearer sk-sim")
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("%d: %s", rec.Code, rec.Body)
				}
			}
			small, large := alloctest.Bytes(2, func() { post(250) }), alloctest.Bytes(2, func() { post(4000) })
			t.Logf("250: %d bytes, 4000: %d", small, large)
			if ratio := float64(large) / float64(max(small, 1)); ratio > 60 {
				t.Errorf("250: %d bytes allocated, 4000: %d (%.0f times for 16 times the input)", small, large, ratio)
			}
		})
	}
}
