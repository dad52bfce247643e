package server

import (
	"context"
	"net/http"
	"sync"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/gateway"
	"switchyard/llm"
)

// This file fits the Realtime API's sessions (GET /v1/realtime, a
// WebSocket) into the server: the backend wrappers forward them, a
// session holds its generation until it ends, and the middleware that
// would cut a long-lived upgraded connection (the request deadline)
// steps aside for them. Authentication, admission, the in-flight count
// and the drain hold a session as one request, from its handshake to its
// end.

// realtimePath is the Realtime API's WebSocket endpoint.
const realtimePath = "/v1/realtime"

// isRealtime reports whether r is a Realtime API session's handshake.
func isRealtime(r *http.Request) bool { return r.URL.Path == realtimePath }

// OpenRealtime opens the session on the generation serving now, which
// the session holds until it is closed.
func (b liveBackend) OpenRealtime(ctx context.Context, model string, connect time.Duration, served *llm.Served) (apiopenai.RealtimeSession, error) {
	g := b.gens.acquire()
	s, err := g.gw.OpenRealtime(ctx, model, connect, served)
	if err != nil {
		g.release()
		return nil, err
	}
	return &heldSession{RealtimeSession: s, g: g}, nil
}

// heldSession holds its generation until it is closed.
type heldSession struct {
	*gateway.RealtimeSession
	g    *generation
	once sync.Once
}

func (s *heldSession) Close(err error) error {
	err = s.RealtimeSession.Close(err)
	s.once.Do(s.g.release)
	return err
}

// OpenRealtime forwards to the backend when it serves the Realtime API,
// noting the call in the request's exchange as Chat does, and ends the
// session once its key stops working (watchKey); a backend that does not
// serve it answers 404.
func (b observedBackend) OpenRealtime(ctx context.Context, model string, connect time.Duration, served *llm.Served) (apiopenai.RealtimeSession, error) {
	rb, ok := b.Backend.(apiopenai.RealtimeBackend)
	if !ok {
		e := llm.Errorf(llm.KindNotFound, "This router does not serve the Realtime API.")
		e.Code = codeUnknownURL
		return nil, e
	}
	ex := exchangeFrom(ctx)
	ex.reached, ex.inBackend = true, true
	s, err := rb.OpenRealtime(ctx, model, connect, served)
	ex.inBackend = false
	if err != nil || b.ring == nil || !b.ring.Enabled() {
		return s, err
	}
	return watchKey(s, b.ring, gateway.CallerFrom(ctx), keyCheckEvery), nil
}
