package openai

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

// openCounter is a RealtimeBackend that counts the sessions asked of it
// and opens none.
type openCounter struct {
	Backend
	opened int
}

func (o *openCounter) OpenRealtime(context.Context, string, time.Duration, *llm.Served) (RealtimeSession, error) {
	o.opened++
	return nil, llm.Errorf(llm.KindUnavailable, "no session in this test")
}

// A WebSocket handshake the WebSocket library would refuse (a version
// other than 13, no or a bad Sec-WebSocket-Key, no Connection: Upgrade,
// HTTP/1.0) is answered in OpenAI's error shape with the library's
// status and headers, before any upstream session is opened — not in
// the library's plain text after one was.
func TestRealtimeHandshakeRefused(t *testing.T) {
	const key = "dGhlIHNhbXBsZSBub25jZQ=="
	for _, tt := range []struct {
		name           string
		edit           func(r *http.Request)
		status         int
		code, header   string
		wantHeaderVals string
	}{
		{"version 8", func(r *http.Request) { r.Header.Set("Sec-WebSocket-Version", "8") }, 400, "invalid_websocket_handshake", "Sec-WebSocket-Version", "13"},
		{"no version", func(r *http.Request) { r.Header.Del("Sec-WebSocket-Version") }, 400, "invalid_websocket_handshake", "Sec-WebSocket-Version", "13"},
		{"no key", func(r *http.Request) { r.Header.Del("Sec-WebSocket-Key") }, 400, "invalid_websocket_handshake", "", ""},
		{"short key", func(r *http.Request) { r.Header.Set("Sec-WebSocket-Key", "YWJj") }, 400, "invalid_websocket_handshake", "", ""},
		{"two keys", func(r *http.Request) { r.Header.Add("Sec-WebSocket-Key", key) }, 400, "invalid_websocket_handshake", "", ""},
		{"no Connection: Upgrade", func(r *http.Request) { r.Header.Set("Connection", "keep-alive") }, 426, "websocket_required", "Upgrade", "websocket"},
		{"HTTP/1.0", func(r *http.Request) { r.Proto, r.ProtoMinor = "HTTP/1.0", 0 }, 426, "websocket_required", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := &openCounter{}
			h := &Handler{Backend: b}
			r := httptest.NewRequest("GET", "/v1/realtime?model=gpt-realtime", nil)
			r.Header.Set("Connection", "Upgrade")
			r.Header.Set("Upgrade", "websocket")
			r.Header.Set("Sec-WebSocket-Version", "13")
			r.Header.Set("Sec-WebSocket-Key", key)
			tt.edit(r)
			w := httptest.NewRecorder()
			h.realtime(w, r)
			var e struct {
				Error struct{ Message, Type, Code string } `json:"error"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || w.Code != tt.status || e.Error.Code != tt.code || e.Error.Type != "invalid_request_error" {
				t.Fatalf("%d %q (%v); want %d code %s", w.Code, w.Body, err, tt.status, tt.code)
			}
			if tt.header != "" && w.Header().Get(tt.header) != tt.wantHeaderVals {
				t.Errorf("%s: %q, want %q", tt.header, w.Header().Get(tt.header), tt.wantHeaderVals)
			}
			if b.opened != 0 || strings.Contains(e.Error.Message, "protocol violation") {
				t.Errorf("sessions opened %d; message %q", b.opened, e.Error.Message)
			}
		})
	}
}
