package provider

import (
	"mime"
	"net/http"
	"testing"
)

// TestIsEventStream: the Content-Types upstreams send, including the
// ones answered without parsing, agree with the media type parsed.
func TestIsEventStream(t *testing.T) {
	tests := []struct {
		ct   string
		want bool
	}{
		{"", true},
		{"text/event-stream", true},
		{"text/event-stream; charset=utf-8", true},
		{"text/event-stream;charset=UTF-8", true},
		{"Text/Event-Stream", true},
		{"text/plain; charset=utf-8", true},
		{"application/json", false},
		{"text/html; charset=utf-8", false},
		{"text/event-stream; charset", true}, // a malformed parameter: the media type still counts
		{"text/event-streamx", false},
	}
	for _, tt := range tests {
		resp := &http.Response{Header: http.Header{}}
		if tt.ct != "" {
			resp.Header.Set("Content-Type", tt.ct)
		}
		if got := IsEventStream(resp); got != tt.want {
			t.Errorf("IsEventStream(%q) = %v, want %v", tt.ct, got, tt.want)
		}
		if tt.ct != "" {
			mt, _, _ := mime.ParseMediaType(tt.ct)
			if parsed := mt == "text/event-stream" || mt == "text/plain"; parsed != tt.want {
				t.Errorf("%q: the table disagrees with ParseMediaType (%v)", tt.ct, parsed)
			}
		}
	}
	resp := &http.Response{Header: http.Header{"Content-Type": {"text/event-stream; charset=utf-8"}}}
	if n := testing.AllocsPerRun(100, func() { IsEventStream(resp) }); n != 0 {
		t.Errorf("IsEventStream allocates %v times for an upstream's usual Content-Type", n)
	}
}
