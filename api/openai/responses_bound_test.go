package openai_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/background"
	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// sseEvent is one server-sent event of a Responses stream: its type and
// data.
type sseEvent struct {
	typ  string
	data string
}

// responseEvents splits a Responses stream's body into its events.
func responseEvents(t *testing.T, body string) []sseEvent {
	t.Helper()
	var out []sseEvent
	for _, ev := range strings.Split(strings.TrimSuffix(body, "\n\n"), "\n\n") {
		typ, data, ok := strings.Cut(ev, "\n")
		typ, ok1 := strings.CutPrefix(typ, "event: ")
		data, ok2 := strings.CutPrefix(data, "data: ")
		if !ok || !ok1 || !ok2 {
			t.Fatalf("bad event %q", ev)
		}
		out = append(out, sseEvent{typ, data})
	}
	return out
}

// A streamed Responses answer that passes the router's limit on an
// answer (Handler.MaxAnswerBytes, the limit of a complete one) ends
// there: the events relayed stay relayed, then response.failed and an
// error event say the answer passed the limit (the response's error
// code is server_error, one of the few the Response schema allows; the
// error event's is answer_too_large), the upstream is closed,
// told why (so that the request is recorded failed, not as a client
// that left), and the Streamer holds no more than the limit.
func TestStreamedResponseOverTheAnswerLimitFails(t *testing.T) {
	const limit, piece, pieces = 1000, 100, 100
	up := overLimit(pieces, piece)
	b := &fakeBackend{StreamFunc: func(context.Context, *llm.Request) (llm.Stream, error) { return up, nil }}
	m := http.NewServeMux()
	(&apiopenai.Handler{Backend: b, MaxAnswerBytes: limit}).Mount(m)
	w := do(m, "POST", "/v1/responses", `{"model":"m","stream":true,"input":"hi"}`, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	evs := responseEvents(t, w.Body.String())
	relayed := 0
	for _, ev := range evs {
		if ev.typ == "response.output_text.delta" {
			var d struct{ Delta string }
			if err := json.Unmarshal([]byte(ev.data), &d); err != nil {
				t.Fatal(err)
			}
			relayed += len(d.Delta)
		}
	}
	if relayed == 0 || relayed > limit {
		t.Errorf("relayed %d bytes of text, want some and at most the limit %d", relayed, limit)
	}
	if len(evs) < 2 || evs[len(evs)-2].typ != "response.failed" || evs[len(evs)-1].typ != "error" {
		last := evs[max(0, len(evs)-2):]
		for i := range last {
			last[i].data = ""
		}
		t.Fatalf("stream does not end with response.failed and error: %v", last)
	}
	var failed struct {
		Response struct {
			Status string
			Error  struct{ Code, Message string }
		}
	}
	if err := json.Unmarshal([]byte(evs[len(evs)-2].data), &failed); err != nil {
		t.Fatal(err)
	}
	r := failed.Response
	if r.Status != "failed" || r.Error.Code != "server_error" || !strings.Contains(r.Error.Message, "limit of 1000 bytes") {
		t.Errorf("response.failed says %+v", r)
	}
	var errEv struct{ Code string }
	if err := json.Unmarshal([]byte(evs[len(evs)-1].data), &errEv); err != nil || errEv.Code != "answer_too_large" {
		t.Errorf("error event %s (%v)", evs[len(evs)-1].data, err)
	}
	if !up.Closed() {
		t.Error("the upstream stream was left open")
	}
	if e := llm.AsError(up.Aborted()); e.Code != "answer_too_large" {
		t.Errorf("the upstream was closed with %v, not told the answer passed the limit", up.Aborted())
	}
}

// A background streamed answer that passes the limit ends the same way:
// its events end with response.failed (its message saying the limit),
// the upstream aborted with the reason, and the stored response failed.
func TestBackgroundStreamOverTheAnswerLimitFails(t *testing.T) {
	up := overLimit(100, 100)
	b := &fakeBackend{StreamFunc: func(context.Context, *llm.Request) (llm.Stream, error) { return up, nil }}
	_, client := bgServerWith(t, b, background.Options{}, func(h *apiopenai.Handler) { h.MaxAnswerBytes = 1000 })
	s := client.Responses.NewStreaming(context.Background(), backgroundParams())
	var last, id string
	for s.Next() {
		ev := s.Current()
		last, id = ev.Type, ev.Response.ID
	}
	if last != "response.failed" || s.Err() == nil || !strings.Contains(s.Err().Error(), "limit of 1000 bytes") {
		t.Fatalf("last event %s, then %v", last, s.Err())
	}
	if e := llm.AsError(up.Aborted()); e.Code != "answer_too_large" {
		t.Errorf("the upstream was closed with %v", up.Aborted())
	}
	if got := settle(t, client, id); got.Status != "failed" || !strings.Contains(got.Error.Message, "limit of 1000 bytes") {
		t.Errorf("stored %s: %s", got.Status, got.Error.Message)
	}
}

// overLimit is an upstream answer of n chunks of size bytes of text.
func overLimit(n, size int) *llmtest.Stream {
	script := make([]llmtest.Event, n, n+1)
	for i := range script {
		script[i].Chunk = textChunk(strings.Repeat("x", size))
	}
	return llmtest.NewStream(context.Background(), append(script, llmtest.Event{Err: io.EOF})...)
}
