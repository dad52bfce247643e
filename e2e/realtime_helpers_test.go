package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"
)

// rtEvent is what the realtime tests read of a server event.
type rtEvent struct {
	Type     string `json:"type"`
	EventID  string `json:"event_id"`
	Delta    string `json:"delta"`
	Response struct {
		Status string          `json:"status"`
		Usage  json.RawMessage `json:"usage"`
	} `json:"response"`
	Error struct {
		Type    string  `json:"type"`
		Code    *string `json:"code"`
		Message string  `json:"message"`
	} `json:"error"`
	raw []byte
}

// rtDial opens a realtime session with the router; header may be nil.
func rtDial(ctx context.Context, e *env, model string, header http.Header, protocols ...string) (*websocket.Conn, *http.Response, error) {
	if header == nil {
		header = http.Header{"Authorization": {"Bearer demo-key"}}
	}
	url := "ws" + strings.TrimPrefix(e.URL, "http") + "/v1/realtime?model=" + model
	return websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: header, Subprotocols: protocols})
}

// rtSession dials model and reads session.created.
func rtSession(t *testing.T, e *env, model string) (*websocket.Conn, *http.Response) {
	t.Helper()
	conn, resp, err := rtDial(ctxT(t), e, model, nil, "realtime")
	if err != nil {
		t.Fatalf("dial %s: %v (%s)", model, err, rtBody(resp))
	}
	t.Cleanup(func() { conn.CloseNow() })
	conn.SetReadLimit(16 << 20)
	if ev := rtRead(t, conn); ev.Type != "session.created" {
		t.Fatalf("first event %s", ev.raw)
	}
	return conn, resp
}

// rtBody is the body of a refused handshake.
func rtBody(resp *http.Response) string {
	if resp == nil || resp.Body == nil {
		return ""
	}
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// rtSend writes a client event.
func rtSend(t *testing.T, conn *websocket.Conn, ev string) {
	t.Helper()
	if err := conn.Write(ctxT(t), websocket.MessageText, []byte(ev)); err != nil {
		t.Fatalf("write %s: %v", ev, err)
	}
}

// rtRead reads one server event.
func rtRead(t *testing.T, conn *websocket.Conn) rtEvent {
	t.Helper()
	ev, err := rtNext(ctxT(t), conn)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return ev
}

func rtNext(ctx context.Context, conn *websocket.Conn) (rtEvent, error) {
	_, b, err := conn.Read(ctx)
	if err != nil {
		return rtEvent{}, err
	}
	var ev rtEvent
	if err := json.Unmarshal(b, &ev); err != nil {
		return rtEvent{}, err
	}
	ev.raw = b
	return ev, nil
}

// rtAsk adds a user message and asks for a text response; it returns
// the events up to response.done.
func rtAsk(t *testing.T, conn *websocket.Conn, text string) []rtEvent {
	t.Helper()
	msg, _ := json.Marshal(text)
	rtSend(t, conn, `{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":`+string(msg)+`}]}}`)
	rtSend(t, conn, `{"type":"response.create","response":{"output_modalities":["text"]}}`)
	var evs []rtEvent
	for {
		ev := rtRead(t, conn)
		evs = append(evs, ev)
		if ev.Type == "response.done" || ev.Type == "error" {
			return evs
		}
	}
}

// rtTypes lists the events' types.
func rtTypes(evs []rtEvent) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Type
	}
	return out
}

// realtimeAs runs a realtime session as key on gpt-realtime: one text
// response to text; it returns every event the session sent.
func realtimeAs(key, text string) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		conn, _, err := rtDial(ctxT(t), e.env, "gpt-realtime", http.Header{"Authorization": {"Bearer " + key}}, "realtime")
		if err != nil {
			t.Fatal(err)
		}
		defer conn.CloseNow()
		out := [][]byte{rtRead(t, conn).raw}
		for _, ev := range rtAsk(t, conn, text) {
			out = append(out, ev.raw)
		}
		conn.Close(websocket.StatusNormalClosure, "")
		return out
	}
}
