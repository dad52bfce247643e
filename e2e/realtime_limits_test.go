package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchyard/config"
	"switchyard/llm"
)

// A session outlives server.request_timeout (the request deadline steps
// aside for it), and the in-flight count is given back once it ends.
func TestRealtimeOutlivesRequestTimeout(t *testing.T) {
	const timeout = 50 * time.Millisecond
	e := newEnv(t, func(c *config.Config) {
		c.Server.RequestTimeout = timeout
		c.Server.MaxConcurrentRequests = 1
	})
	conn, _ := rtSession(t, e, "gpt-realtime")
	start := time.Now()
	for time.Since(start) < 3*timeout {
		if evs := rtAsk(t, conn, "hi"); evs[len(evs)-1].Type != "response.done" {
			t.Fatalf("events %v", rtTypes(evs))
		}
		rtRead(t, conn) // rate_limits.updated
	}
	conn.Close(websocket.StatusNormalClosure, "")
	if rec := e.recorded(t, 1)[0]; rec.Status != 200 || rec.Responses < 2 {
		t.Errorf("record %+v", rec)
	}
	// The one request slot the session held is free again.
	conn, _ = rtSession(t, e, "gpt-realtime")
	conn.Close(websocket.StatusNormalClosure, "")
}

// server.realtime bounds a session: silent both ways past idle_timeout,
// the client is told (error event idle_timeout) and closed (1001); a
// message over max_message_bytes closes the client (1009) and the
// upstream, recorded as the client's error.
func TestRealtimeLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		c.Server.Realtime = config.Realtime{IdleTimeout: 100 * time.Millisecond, MaxMessageBytes: 4096, ConnectTimeout: time.Second}
	})
	conn, _ := rtSession(t, e, "gpt-realtime")
	ev, err := rtNext(ctxT(t), conn)
	if err != nil || ev.Type != "error" || ev.Error.Code == nil || *ev.Error.Code != "idle_timeout" {
		t.Errorf("idle: %s, %v", ev.raw, err)
	}
	if _, err := rtNext(ctxT(t), conn); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("idle close %v", err)
	}

	conn, _ = rtSession(t, e, "gpt-realtime")
	big := `{"type":"input_audio_buffer.append","audio":"` + strings.Repeat("A", 8192) + `"}`
	rtSend(t, conn, big)
	if _, err := rtNext(ctxT(t), conn); websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Errorf("too big: %v", err)
	}
	kinds := map[string]llm.ErrorKind{}
	for _, r := range e.recorded(t, 2) { // in the order the sessions ended
		kinds[r.ErrorCode] = r.ErrorKind
	}
	if kinds["idle_timeout"] != llm.KindTimeout || kinds["message_too_large"] != llm.KindInvalidRequest {
		t.Errorf("records %v", kinds)
	}
}

// Azure OpenAI's realtime routes: a resource endpoint's
// /openai/realtime?api-version=…&deployment=… and the GA
// /openai/v1/realtime?model=…, each with the key in api-key, against the
// simulated Azure; priced at OpenAI's gpt-realtime prices (the catalog
// has no Azure entry for it).
func TestRealtimeAzure(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		v1 := *c.Providers["azure"]
		v1.Name, v1.BaseURL = "azure-v1", v1.BaseURL+"/openai/v1"
		c.Providers["azure-v1"] = &v1
		for name, p := range map[string]string{"az-rt": "azure", "az-v1-rt": "azure-v1"} {
			c.Deployments[name] = &config.Deployment{Name: name, Provider: p, Model: "gpt-realtime", Capabilities: []llm.Capability{llm.CapRealtime}}
		}
	})
	for _, d := range []string{"az-rt", "az-v1-rt"} {
		conn, resp := rtSession(t, e, d)
		if resp.Header.Get("x-switchyard-deployment") != d {
			t.Errorf("%s: headers %v", d, resp.Header)
		}
		if evs := rtAsk(t, conn, "hello"); evs[len(evs)-1].Type != "response.done" {
			t.Errorf("%s: events %v", d, rtTypes(evs))
		}
		conn.Close(websocket.StatusNormalClosure, "")
	}
	for _, r := range e.recorded(t, 2) {
		if r.Status != 200 || r.Responses != 1 || r.CostUSD <= 0 || r.CostUnknown {
			t.Errorf("record %+v", r)
		}
	}
}

// A session's upstream handshake is bounded by its provider's timeout
// and by the caller's x-switchyard-timeout-ms; once the upstream
// accepted, neither bounds the session: the call's released context does
// not close the upgraded connection, which serves past both.
func TestRealtimeOutlivesHandshakeTimeouts(t *testing.T) {
	t.Parallel()
	// Long enough for a handshake on a loaded CI machine (at 100ms one
	// was cut there with tier_timeout); the session then serves past it.
	const timeout = 2 * time.Second
	e := newEnv(t, func(c *config.Config) { c.Providers["openai"].Timeout = timeout })
	hdr := http.Header{"Authorization": {"Bearer demo-key"}, "X-Switchyard-Timeout-Ms": {strconv.Itoa(int(timeout.Milliseconds()))}}
	conn, resp, err := rtDial(ctxT(t), e, "gpt-realtime", hdr, "realtime")
	if err != nil {
		t.Fatalf("dial: %v (%s)", err, rtBody(resp))
	}
	defer conn.CloseNow()
	conn.SetReadLimit(16 << 20)
	if ev := rtRead(t, conn); ev.Type != "session.created" {
		t.Fatalf("first event %s", ev.raw)
	}
	time.Sleep(timeout) // past both bounds, counted from before the handshake
	for range 2 {
		if evs := rtAsk(t, conn, "hi"); evs[len(evs)-1].Type != "response.done" {
			t.Fatalf("events %v", rtTypes(evs))
		}
		rtRead(t, conn) // rate_limits.updated
	}
	conn.Close(websocket.StatusNormalClosure, "")
}
