package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"switchyard/sim"
)

// rtStart serves a simulator with a realtime model and returns its
// realtime URL and faults.
func rtStart(t *testing.T) (string, *sim.Faults) {
	t.Helper()
	faults := new(sim.Faults)
	url, _ := start(t, New(sim.NewCatalog(sim.Profile{Model: "gpt-realtime", Realtime: true}, sim.Profile{Model: "gpt-sim"}), faults))
	return "ws" + strings.TrimPrefix(url, "http") + "/v1/realtime?model=", faults
}

func rtConnect(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	c, _, err := websocket.Dial(context.Background(), url+"gpt-realtime", &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer sk-sim"}}, Subprotocols: []string{"realtime"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	c.SetReadLimit(1 << 24)
	return c
}

// rtNext reads one event: its type, its raw bytes.
func rtNext(t *testing.T, c *websocket.Conn) (string, []byte) {
	t.Helper()
	_, b, err := c.Read(context.Background())
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var ev struct{ Type string }
	json.Unmarshal(b, &ev)
	return ev.Type, b
}

// keysOf lists the keys of the JSON object at path in b, in order.
func keysOf(t *testing.T, b []byte, path ...string) []string {
	t.Helper()
	var raw json.RawMessage = b
	for _, p := range path {
		var m map[string]json.RawMessage
		json.Unmarshal(raw, &m)
		raw = m[p]
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.Token() // {
	var keys []string
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	return keys
}

// The handshake's refusals are HTTP answers in OpenAI's shape.
func TestRealtimeHandshake(t *testing.T) {
	url, faults := rtStart(t)
	for _, tt := range []struct {
		model, key string
		status     int
	}{{"gpt-realtime", "", 401}, {"no-such", "Bearer sk-sim", 404}, {"gpt-sim", "Bearer sk-sim", 404}} {
		_, resp, err := websocket.Dial(context.Background(), url+tt.model, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {tt.key}}})
		if err == nil || resp == nil || resp.StatusCode != tt.status {
			t.Errorf("%s %q: %v %v", tt.model, tt.key, resp, err)
		}
	}
	faults.Add(sim.Fault{Kind: sim.FaultRateLimit, Count: 1})
	if _, resp, err := websocket.Dial(context.Background(), url+"gpt-realtime", &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer k"}}}); err == nil || resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("rate limit: %v %v", resp, err)
	}
	// A browser's key, as a subprotocol.
	c, _, err := websocket.Dial(context.Background(), url+"gpt-realtime", &websocket.DialOptions{Subprotocols: []string{"realtime", "openai-insecure-api-key.sk-sim"}})
	if err != nil || c.Subprotocol() != "realtime" {
		t.Fatalf("subprotocol key: %v", err)
	}
	c.CloseNow()
}

// A session's events, in the GA spec's shapes and order: session.created
// with the example's fields in its order, session.updated, the item's
// added and done, and an audio response's events with its usage.
func TestRealtimeSession(t *testing.T) {
	url, _ := rtStart(t)
	c := rtConnect(t, url)
	typ, b := rtNext(t, c)
	want := []string{"type", "object", "id", "model", "output_modalities", "instructions", "tools", "tool_choice", "max_output_tokens", "tracing", "prompt", "expires_at", "audio", "include"}
	if typ != "session.created" || !slices.Equal(keysOf(t, b), []string{"type", "event_id", "session"}) || !slices.Equal(keysOf(t, b, "session"), want) {
		t.Errorf("session.created %s", b)
	}
	send := func(ev string) {
		if err := c.Write(context.Background(), websocket.MessageText, []byte(ev)); err != nil {
			t.Fatal(err)
		}
	}
	send(`{"type":"session.update","session":{"instructions":"x"}}`)
	if typ, b := rtNext(t, c); typ != "error" || !strings.Contains(string(b), `"param":"session.type"`) {
		t.Errorf("session.update without type: %s", b)
	}
	send(`{"type":"bogus","event_id":"evt_1"}`)
	if typ, b := rtNext(t, c); typ != "error" || !strings.Contains(string(b), `"code":"invalid_value"`) || !strings.Contains(string(b), `"event_id":"evt_1"`) {
		t.Errorf("an unknown event: %s", b)
	}
	send(`{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"hello"}]}}`)
	for _, w := range []string{"conversation.item.added", "conversation.item.done"} {
		if typ, b := rtNext(t, c); typ != w {
			t.Errorf("want %s, got %s", w, b)
		}
	}
	send(`{"type":"response.create"}`)
	var types []string
	var done []byte
	for {
		typ, b := rtNext(t, c)
		types = append(types, typ)
		if typ == "response.done" {
			done = b
			break
		}
	}
	for _, w := range []string{"response.created", "response.output_item.added", "response.content_part.added", "response.output_audio.delta",
		"response.output_audio_transcript.delta", "response.output_audio.done", "response.output_audio_transcript.done", "response.content_part.done", "response.output_item.done", "conversation.item.done"} {
		if !slices.Contains(types, w) {
			t.Errorf("no %s in %v", w, types)
		}
	}
	var ev struct {
		Response struct {
			Status string
			Usage  struct {
				TotalTokens, InputTokens, OutputTokens int `json:",omitempty"`
			}
			Output []struct {
				Content []struct{ Type, Transcript string }
			}
		}
	}
	json.Unmarshal(done, &ev)
	if !slices.Equal(keysOf(t, done, "response", "usage"), []string{"total_tokens", "input_tokens", "output_tokens", "input_token_details", "output_token_details"}) ||
		ev.Response.Status != "completed" || len(ev.Response.Output) != 1 || ev.Response.Output[0].Content[0].Type != "output_audio" || ev.Response.Output[0].Content[0].Transcript == "" {
		t.Errorf("response.done %s", done)
	}
	if typ, _ := rtNext(t, c); typ != "rate_limits.updated" {
		t.Errorf("after response.done: %s", typ)
	}
}

// [[sim:cut]] drops the connection mid-response, with no close frame.
func TestRealtimeCut(t *testing.T) {
	url, _ := rtStart(t)
	c := rtConnect(t, url)
	rtNext(t, c)
	c.Write(context.Background(), websocket.MessageText, []byte(`{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"a long story [[sim:cut]]"}]}}`))
	c.Write(context.Background(), websocket.MessageText, []byte(`{"type":"response.create","response":{"output_modalities":["text"]}}`))
	var err error
	deltas := 0
	for err == nil {
		var b []byte
		if _, b, err = c.Read(context.Background()); err == nil && strings.Contains(string(b), "response.output_text.delta") {
			deltas++
		}
	}
	var ce websocket.CloseError
	if errors.As(err, &ce) || deltas != 3 {
		t.Errorf("%d deltas, then %v; want 3 and a dropped connection", deltas, err)
	}
}
