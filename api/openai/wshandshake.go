package openai

import (
	"encoding/base64"
	"net/http"
	"strings"

	"switchyard/llm"
)

// HandshakeError checks a WebSocket handshake r (one whose Upgrade header
// asks for websocket) as websocket.Accept does (RFC 6455 §4.2.1), and
// returns the refusal — 426 with Upgrade: websocket when it is no
// upgrade, 400 for a version other than 13 (with Sec-WebSocket-Version:
// 13) or a Sec-WebSocket-Key that is not one 16-byte base64 value — in
// OpenAI's error shape, its headers set on w; nil when Accept would take
// it. Checked before anything else is done for the request, it keeps
// Accept's plain-text refusals from the client and a refused handshake
// from opening an upstream session first.
func HandshakeError(w http.ResponseWriter, r *http.Request) *llm.Error {
	if !r.ProtoAtLeast(1, 1) || !headerHasToken(r.Header, "Connection", "upgrade") || !headerHasToken(r.Header, "Upgrade", "websocket") {
		e := llm.Errorf(llm.KindInvalidRequest, "%s is served over WebSocket: the handshake must be an HTTP/1.1 GET with Connection: Upgrade and Upgrade: websocket.", r.URL.Path)
		e.Status, e.Code = http.StatusUpgradeRequired, "websocket_required"
		w.Header().Set("Connection", "Upgrade")
		w.Header().Set("Upgrade", "websocket")
		return e
	}
	if v := r.Header.Get("Sec-WebSocket-Version"); v != "13" {
		w.Header().Set("Sec-WebSocket-Version", "13")
		return badHandshake("The WebSocket handshake's Sec-WebSocket-Version is %q; only 13 is supported.", clipHeader(v))
	}
	keys := r.Header.Values("Sec-WebSocket-Key")
	if len(keys) != 1 {
		return badHandshake("The WebSocket handshake must carry one Sec-WebSocket-Key; it carries %d.", len(keys))
	}
	if k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(keys[0])); err != nil || len(k) != 16 {
		return badHandshake("The WebSocket handshake's Sec-WebSocket-Key must be 16 bytes in base64.")
	}
	return nil
}

// badHandshake is the 400 of a malformed WebSocket handshake.
func badHandshake(format string, args ...any) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, format, args...)
	e.Code = "invalid_websocket_handshake"
	return e
}

// headerHasToken reports whether a comma-separated header of h holds
// token, case-insensitively.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// clipHeader cuts a client's header value quoted back to 32 bytes.
func clipHeader(v string) string {
	if len(v) > 32 {
		return v[:32] + "…"
	}
	return v
}
