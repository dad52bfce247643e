package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"switchyard/gateway"
	"switchyard/llm"
)

func TestValidTraceParent(t *testing.T) {
	const ok = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	tests := []struct {
		v    string
		want bool
	}{
		{ok, true},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", true},
		{"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true},        // a later version, as is
		{"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", true},  // a later version's added field
		{"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01extra", false},  // no dash before it
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", false}, // version 00 has nothing more
		{"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false},       // invalid version
		{"00-00000000000000000000000000000000-00f067aa0ba902b7-01", false},       // zero trace id
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false},       // zero parent id
		{"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", false},       // uppercase
		{"00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01", false},       // dashes misplaced
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g", false},       // not hex
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", false},          // short
		{"", false},
		{"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-" + strings.Repeat("a", 300), false}, // too long to keep
	}
	for _, tt := range tests {
		if got := validTraceParent(tt.v); got != tt.want {
			t.Errorf("validTraceParent(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
	two := http.Header{"Traceparent": {ok, ok}}
	if _, found := traceParent(two); found {
		t.Error("two traceparent headers accepted")
	}
}

// The client's traceparent reaches the gateway through the request's
// context; a malformed one does not.
func TestTraceParentReachesTheBackend(t *testing.T) {
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	got := make(chan string, 1)
	s := newServer(&backend{ChatFunc: func(ctx context.Context, _ *llm.Request) (*llm.Response, error) {
		got <- gateway.TraceParentFrom(ctx)
		return answer("hi"), nil
	}}, Options{})
	for _, tt := range []struct{ sent, want string }{{tp, tp}, {"00-garbage", ""}, {"", ""}} {
		h := map[string]string{}
		if tt.sent != "" {
			h["traceparent"] = tt.sent
		}
		if w := do(s, "POST", "/v1/chat/completions", chatBody, h); w.Code != 200 {
			t.Fatalf("status %d", w.Code)
		}
		if g := <-got; g != tt.want {
			t.Errorf("sent %q: the backend saw %q, want %q", tt.sent, g, tt.want)
		}
	}
}
