package server

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchyard/gateway"
	"switchyard/llm"
)

// A Realtime API session still open at the drain deadline is cut: its
// client gets the error event server_shutting_down and a close 1001, the
// session is recorded once as cut by the shutdown, and Run reports the
// drain as not clean. (http.Server.Shutdown does not wait for a hijacked
// connection: the drain waits for the session's handler.)
func TestShutdownCutsRealtimeSessions(t *testing.T) {
	g := startDrainRig(t, nil, 50*time.Millisecond)
	r, sink, url := g.r, g.sink, g.url

	dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer dcancel()
	conn, _, err := websocket.Dial(dctx, "ws"+strings.TrimPrefix(url, "http")+"/v1/realtime?model=gpt-realtime", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	if _, _, err := conn.Read(dctx); err != nil { // session.created
		t.Fatal(err)
	}
	g.cancel() // what SIGTERM does
	_, msg, err := conn.Read(dctx)
	var ev struct {
		Type  string `json:"type"`
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err != nil || json.Unmarshal(msg, &ev) != nil || ev.Type != "error" || ev.Error.Code != gateway.CodeShuttingDown {
		t.Errorf("after the drain: %s, %v", msg, err)
	}
	if _, _, err := conn.Read(dctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("close %v", err)
	}
	if err := receive(t, "Run to return", g.runErr); !errors.Is(err, ErrDrainTimeout) {
		t.Errorf("Run = %v, want ErrDrainTimeout", err)
	}
	fctx, fcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer fcancel()
	if err := r.Close(fctx); err != nil {
		t.Fatalf("records not flushed: %v", err)
	}
	recs := sink.all()
	if len(recs) != 1 || recs[0].Endpoint != "realtime" || recs[0].ErrorKind != llm.KindUnavailable || recs[0].ErrorCode != gateway.CodeShuttingDown {
		t.Errorf("records %+v", recs)
	}
}

// A client secret works until it expires, then never again; the keeper
// refuses to mint past its bound.
func TestClientSecretsExpire(t *testing.T) {
	var cs clientSecrets
	c := gateway.Caller{Name: "web", Tenant: "acme"}
	live, _ := cs.mint(c, "gpt-realtime", time.Now().Add(time.Minute))
	gone, _ := cs.mint(c, "", time.Now().Add(-time.Second))
	if s, ok := cs.lookup(live); !ok || s.caller.Name != "web" || s.model != "gpt-realtime" || !strings.HasPrefix(live, ephemeralPrefix) {
		t.Errorf("live secret: %+v %v", s, ok)
	}
	if _, ok := cs.lookup(gone); ok {
		t.Error("an expired secret was taken")
	}
	if _, ok := cs.lookup("ek_unknown"); ok {
		t.Error("an unknown secret was taken")
	}
	cs.m = make(map[string]clientSecret, maxSecrets)
	for i := range maxSecrets {
		cs.m[strconv.Itoa(i)] = clientSecret{expires: time.Now().Add(time.Minute)}
	}
	if _, ok := cs.mint(c, "", time.Now().Add(time.Minute)); ok {
		t.Error("minted past the bound")
	}
}
