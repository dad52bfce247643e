package openai

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"switchyard/api/openai/realtime"
	"switchyard/llm"
)

// RealtimeSubprotocol is the WebSocket subprotocol OpenAI's clients
// offer and its API echoes; a browser offers the key beside it as
// RealtimeKeyProtocol followed by the key.
const (
	RealtimeSubprotocol = "realtime"
	RealtimeKeyProtocol = "openai-insecure-api-key."
)

// RealtimeBackend opens Realtime API sessions; the gateway implements it
// (through the server's wrappers, which forward it). A Handler whose
// Backend does not implement it answers GET /v1/realtime 404.
type RealtimeBackend interface {
	// OpenRealtime opens a session with an upstream that serves model,
	// each upstream handshake bounded by connect (zero: none), filling
	// served. Its error is answered before the upgrade, over HTTP.
	OpenRealtime(ctx context.Context, model string, connect time.Duration, served *llm.Served) (RealtimeSession, error)
}

// RealtimeSession is a session a RealtimeBackend opened.
type RealtimeSession interface {
	// Conn is the upstream's connection.
	Conn() *websocket.Conn
	// Context is what the relay runs under; its end ends the session.
	Context() context.Context
	// Observe is shown each text message of the upstream, relayed.
	Observe(msg []byte)
	// Interrupted returns the error to tell the client when the
	// session's context ended with err.
	Interrupted(err error) error
	// Close ends and records the session with what ended it, once the
	// relay returned.
	Close(err error) error
}

// RealtimeLimits bound the Realtime API's sessions (server.realtime).
type RealtimeLimits struct {
	// Idle ends a session silent both ways for that long; zero means none.
	Idle time.Duration
	// MaxMessage bounds a message either way; zero means 16 MiB.
	MaxMessage int64
	// Connect bounds each upstream handshake; zero means none.
	Connect time.Duration
	// Keepalive is how often each side is pinged; zero means never.
	Keepalive time.Duration
	// MaxStreams bounds the stream_id lanes of a Responses API WebSocket
	// connection; zero means 64.
	MaxStreams int
}

// realtimeMaxMessage is RealtimeLimits.MaxMessage's default.
const realtimeMaxMessage = 16 << 20

// realtime serves GET /v1/realtime?model=…: it opens the upstream
// session first (its failures are answered over HTTP, in OpenAI's error
// shape, before any upgrade), then upgrades the client's connection,
// echoing the realtime subprotocol when offered, and relays the session
// until either side ends it. The client's key (Authorization, or a
// browser's openai-insecure-api-key.… subprotocol) was checked by the
// server and goes no further: the upstream gets its deployment's key.
func (h *Handler) realtime(w http.ResponseWriter, r *http.Request) {
	rb, ok := h.Backend.(RealtimeBackend)
	if !ok {
		h.notFound(w, r)
		return
	}
	model := r.URL.Query().Get("model")
	if model == "" {
		e := llm.Errorf(llm.KindInvalidRequest, "Missing required parameter: 'model'. Connect to /v1/realtime?model=MODEL.")
		e.Param, e.Code = "model", "missing_required_parameter"
		WriteError(w, e)
		return
	}
	if !isUpgrade(r) {
		e := llm.Errorf(llm.KindInvalidRequest, "The Realtime API is served over WebSocket: connect to /v1/realtime with a WebSocket client (Upgrade: websocket).")
		e.Status, e.Code = http.StatusUpgradeRequired, "websocket_required"
		w.Header().Set("Upgrade", "websocket")
		WriteError(w, e)
		return
	}
	if e := HandshakeError(w, r); e != nil {
		WriteError(w, e)
		return
	}
	var served llm.Served
	sess, err := rb.OpenRealtime(r.Context(), model, h.Realtime.Connect, &served)
	setServed(w.Header(), &served)
	if err != nil {
		WriteError(w, err)
		return
	}
	// The server vetted the origin (a keyless router refuses other
	// sites' pages); a page calling with a key is the browser use.
	client, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{RealtimeSubprotocol}, InsecureSkipVerify: true})
	if err != nil {
		sess.Conn().CloseNow()
		sess.Close(llm.Wrap(llm.KindInvalidRequest, err, "the WebSocket handshake failed"))
		return
	}
	limit := h.Realtime.MaxMessage
	if limit <= 0 {
		limit = realtimeMaxMessage
	}
	end := realtime.Relay(sess.Context(), client, sess.Conn(), realtime.Options{Idle: h.Realtime.Idle, MaxMessage: limit, Observe: sess.Observe,
		Keepalive: h.Realtime.Keepalive},
		func(err error) *llm.Error { return llm.AsError(sess.Interrupted(err)) })
	sess.Close(end.Err)
}

// isUpgrade reports whether r asks for a WebSocket.
func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// RealtimeKey returns the key a browser offers as a subprotocol
// (openai-insecure-api-key.KEY in Sec-WebSocket-Protocol), or "".
func RealtimeKey(h http.Header) string {
	for _, v := range h.Values("Sec-WebSocket-Protocol") {
		for p := range strings.SplitSeq(v, ",") {
			if k, ok := strings.CutPrefix(strings.TrimSpace(p), RealtimeKeyProtocol); ok && k != "" {
				return k
			}
		}
	}
	return ""
}
