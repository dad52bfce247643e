package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
	"go.uber.org/goleak"

	"switchyard/llm"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// rig is a relay between a test client and a test upstream.
type rig struct {
	client *websocket.Conn
	ends   chan End
	// observed holds what Observe was shown.
	mu       sync.Mutex
	observed []string
}

// newRig starts an upstream that runs upstream on its side of each
// session, and a relay in front of it under ctx with o; it dials the
// relay.
func newRig(t *testing.T, ctx context.Context, o Options, upstream func(*websocket.Conn)) *rig {
	t.Helper()
	rg := &rig{ends: make(chan End, 1)}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		upstream(c)
	}))
	t.Cleanup(up.Close)
	o.Observe = func(msg []byte) {
		rg.mu.Lock()
		rg.observed = append(rg.observed, string(msg))
		rg.mu.Unlock()
	}
	relay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _, err := websocket.Dial(r.Context(), "ws"+strings.TrimPrefix(up.URL, "http"), nil)
		if err != nil {
			t.Errorf("dial upstream: %v", err)
			return
		}
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			u.CloseNow()
			return
		}
		rg.ends <- Relay(ctx, c, u, o, func(err error) *llm.Error {
			e := llm.Errorf(llm.KindUnavailable, "shutting down")
			e.Code = "server_shutting_down"
			return e
		})
	}))
	t.Cleanup(relay.Close)
	c, _, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(relay.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	rg.client = c
	return rg
}

func (rg *rig) end(t *testing.T) End {
	t.Helper()
	select {
	case e := <-rg.ends:
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("the relay did not end")
		return End{}
	}
}

// echo answers each message with itself, prefixed by "up:".
func echo(c *websocket.Conn) {
	for {
		typ, msg, err := c.Read(context.Background())
		if err != nil {
			return
		}
		if c.Write(context.Background(), typ, append([]byte("up:"), msg...)) != nil {
			return
		}
	}
}

// readError reads the client's next message, which must be an error
// event with code, then its close, which must be status.
func readError(t *testing.T, c *websocket.Conn, code string, status websocket.StatusCode) {
	t.Helper()
	_, msg, err := c.Read(context.Background())
	var ev struct {
		Type    string `json:"type"`
		EventID string `json:"event_id"`
		Error   struct {
			Type, Message string
			Code          *string
		} `json:"error"`
	}
	if err != nil || json.Unmarshal(msg, &ev) != nil || ev.Type != "error" || ev.Error.Code == nil || *ev.Error.Code != code || !strings.HasPrefix(ev.EventID, "event_") {
		t.Errorf("want an error event %s, got %s (%v)", code, msg, err)
	}
	if _, _, err := c.Read(context.Background()); websocket.CloseStatus(err) != status {
		t.Errorf("want close %d, got %v", status, err)
	}
}

func TestRelayBothWaysAndClientClose(t *testing.T) {
	closed := make(chan error, 1)
	rg := newRig(t, context.Background(), Options{MaxMessage: 1 << 20}, func(c *websocket.Conn) {
		for {
			typ, msg, err := c.Read(context.Background())
			if err != nil {
				closed <- err
				return
			}
			c.Write(context.Background(), typ, append([]byte("up:"), msg...))
		}
	})
	ctx := context.Background()
	for _, m := range []struct {
		typ  websocket.MessageType
		body string
	}{{websocket.MessageText, `{"type":"session.update"}`}, {websocket.MessageBinary, "\x00\x01"}} {
		if err := rg.client.Write(ctx, m.typ, []byte(m.body)); err != nil {
			t.Fatal(err)
		}
		typ, got, err := rg.client.Read(ctx)
		if err != nil || typ != m.typ || string(got) != "up:"+m.body {
			t.Errorf("got %v %q %v", typ, got, err)
		}
	}
	rg.client.Close(4001, "bye")
	if err := <-closed; websocket.CloseStatus(err) != 4001 || !strings.Contains(err.Error(), "bye") {
		t.Errorf("upstream saw %v", err)
	}
	end := rg.end(t)
	if end.Side != SideClient || end.Code != 4001 || end.Reason != "bye" || end.Err != nil {
		t.Errorf("end %+v", end)
	}
	rg.mu.Lock()
	defer rg.mu.Unlock()
	if len(rg.observed) != 1 || rg.observed[0] != `up:{"type":"session.update"}` {
		t.Errorf("observed %q (text only)", rg.observed)
	}
}

func TestRelayUpstreamClose(t *testing.T) {
	rg := newRig(t, context.Background(), Options{}, func(c *websocket.Conn) {
		c.Read(context.Background())
		c.Close(4002, "session expired")
	})
	rg.client.Write(context.Background(), websocket.MessageText, []byte("{}"))
	_, _, err := rg.client.Read(context.Background())
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != 4002 || ce.Reason != "session expired" {
		t.Errorf("client saw %v", err)
	}
	end := rg.end(t)
	if end.Side != SideUpstream || end.Code != 4002 || llm.AsError(end.Err).Kind != llm.KindUpstream {
		t.Errorf("end %+v", end)
	}
}

func TestRelayUpstreamDies(t *testing.T) {
	rg := newRig(t, context.Background(), Options{}, func(c *websocket.Conn) {
		c.Write(context.Background(), websocket.MessageText, []byte(`{"type":"session.created"}`))
		c.CloseNow() // no close frame
	})
	if _, msg, err := rg.client.Read(context.Background()); err != nil || string(msg) != `{"type":"session.created"}` {
		t.Fatalf("%s %v", msg, err)
	}
	readError(t, rg.client, CodeUpstreamDisconnected, websocket.StatusInternalError)
	if end := rg.end(t); end.Side != SideUpstream || llm.AsError(end.Err).Code != CodeUpstreamDisconnected {
		t.Errorf("end %+v", end)
	}
}

func TestRelayClientVanishes(t *testing.T) {
	closed := make(chan error, 1)
	rg := newRig(t, context.Background(), Options{}, func(c *websocket.Conn) {
		_, _, err := c.Read(context.Background())
		closed <- err
	})
	rg.client.CloseNow()
	if err := <-closed; websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("upstream saw %v", err)
	}
	if end := rg.end(t); end.Side != SideClient || llm.AsError(end.Err).Kind != llm.KindCanceled {
		t.Errorf("end %+v", end)
	}
}

func TestRelayIdle(t *testing.T) {
	rg := newRig(t, context.Background(), Options{Idle: 50 * time.Millisecond}, echo)
	readError(t, rg.client, CodeIdleTimeout, websocket.StatusGoingAway)
	if end := rg.end(t); end.Side != SideIdle || llm.AsError(end.Err).Kind != llm.KindTimeout {
		t.Errorf("end %+v", end)
	}
}

func TestRelayServerEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	rg := newRig(t, ctx, Options{}, echo)
	rg.client.Write(context.Background(), websocket.MessageText, []byte("{}"))
	rg.client.Read(context.Background())
	cancel()
	readError(t, rg.client, "server_shutting_down", websocket.StatusGoingAway)
	if end := rg.end(t); end.Side != SideServer {
		t.Errorf("end %+v", end)
	}
}

func TestRelayMessageTooBig(t *testing.T) {
	closed := make(chan error, 1)
	rg := newRig(t, context.Background(), Options{MaxMessage: 64}, func(c *websocket.Conn) {
		_, _, err := c.Read(context.Background())
		closed <- err
	})
	rg.client.Write(context.Background(), websocket.MessageText, []byte(strings.Repeat("x", 100)))
	if _, _, err := rg.client.Read(context.Background()); websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Errorf("client saw %v", err)
	}
	if err := <-closed; websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Errorf("upstream saw %v", err)
	}
	if end := rg.end(t); end.Side != SideClient || llm.AsError(end.Err).Code != CodeMessageTooLarge {
		t.Errorf("end %+v", end)
	}
}

func TestSendable(t *testing.T) {
	for in, want := range map[websocket.StatusCode]websocket.StatusCode{
		1000: 1000, 1001: 1001, 4001: 4001, 1005: 1000, 1006: 1000, 1015: 1000, -1: 1000, 1011: 1011,
	} {
		if got := sendable(in); got != want {
			t.Errorf("sendable(%d) = %d, want %d", in, got, want)
		}
	}
	if got := reason(strings.Repeat("é", 100)); len(got) > 123 || !utf8.ValidString(got) {
		t.Errorf("reason is %d bytes", len(got))
	}
}

// An upstream that closes while the client's message is being written to
// it: the client gets the upstream's close, not a lost connection.
func TestRelayUpstreamClosesWhileWritten(t *testing.T) {
	rg := newRig(t, context.Background(), Options{}, func(c *websocket.Conn) {
		c.Close(4003, "session limit reached")
	})
	go func() { // the client keeps writing, as a stream of audio appends does
		for rg.client.Write(context.Background(), websocket.MessageText, []byte(`{"type":"input_audio_buffer.append"}`)) == nil {
		}
	}()
	var err error
	for err == nil {
		_, _, err = rg.client.Read(context.Background())
	}
	if websocket.CloseStatus(err) != 4003 {
		t.Errorf("client saw %v", err)
	}
	if end := rg.end(t); end.Side != SideUpstream || end.Code != 4003 {
		t.Errorf("end %+v", end)
	}
}
