package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A Responses API WebSocket handshake the WebSocket library would refuse
// (here a version other than 13) is answered in OpenAI's error shape,
// with Sec-WebSocket-Version: 13, not in the library's plain text.
func TestResponsesSocketHandshakeRefused(t *testing.T) {
	h := (&Server{}).responsesSockets(http.NotFoundHandler())
	r := httptest.NewRequest("GET", "/v1/responses", nil)
	r.Header.Set("Connection", "Upgrade")
	r.Header.Set("Upgrade", "websocket")
	r.Header.Set("Sec-WebSocket-Version", "8")
	r.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var e struct {
		Error struct{ Type, Code string } `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || w.Code != 400 || e.Error.Code != "invalid_websocket_handshake" || w.Header().Get("Sec-WebSocket-Version") != "13" {
		t.Errorf("%d %q (%v), Sec-WebSocket-Version %q", w.Code, w.Body, err, w.Header().Get("Sec-WebSocket-Version"))
	}
}
