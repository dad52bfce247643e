package realtime

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchyard/llm"
)

// An upstream that stops answering pings (it no longer reads: a peer gone
// without a close) ends the session as the upstream's failure: the client
// gets upstream_disconnected and a 1011.
func TestKeepaliveFindsSilentUpstream(t *testing.T) {
	release := make(chan struct{})
	rg := newRig(t, context.Background(), Options{Keepalive: 50 * time.Millisecond}, func(c *websocket.Conn) { <-release })
	t.Cleanup(func() { close(release) })
	readError(t, rg.client, CodeUpstreamDisconnected, websocket.StatusInternalError) // reading, it answers the relay's pings
	end := rg.end(t)
	if end.Side != SideUpstream || end.Err == nil || !strings.Contains(end.Err.Error(), "did not answer a ping within 50ms") ||
		llm.AsError(end.Err).Code != CodeUpstreamDisconnected {
		t.Errorf("end %+v", end)
	}
}

// A client that stops answering pings is taken as gone.
func TestKeepaliveFindsSilentClient(t *testing.T) {
	rg := newRig(t, context.Background(), Options{Keepalive: 50 * time.Millisecond}, echo)
	end := rg.end(t) // the client never reads: it answers no ping
	if end.Side != SideClient || end.Err == nil || llm.AsError(end.Err).Kind != llm.KindCanceled ||
		!strings.Contains(end.Err.Error(), "did not answer a ping") {
		t.Errorf("end %+v", end)
	}
}

// Sides that answer keep the session open across many pings, however
// quiet it is.
func TestKeepaliveKeepsLiveSession(t *testing.T) {
	rg := newRig(t, context.Background(), Options{Keepalive: 300 * time.Millisecond, Idle: time.Minute}, echo)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got := make(chan string, 1)
	go func() {
		_, msg, _ := rg.client.Read(ctx) // answers pings while it waits
		got <- string(msg)
	}()
	time.Sleep(time.Second) // several pings, no message
	if err := rg.client.Write(ctx, websocket.MessageText, []byte("{}")); err != nil {
		t.Fatalf("the session was closed: %v", err)
	}
	if msg := <-got; msg != "up:{}" {
		t.Errorf("after the pings: %q", msg)
	}
	rg.client.Close(websocket.StatusNormalClosure, "")
	if end := rg.end(t); end.Side != SideClient || end.Err != nil {
		t.Errorf("end %+v", end)
	}
}
