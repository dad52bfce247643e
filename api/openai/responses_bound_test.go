package openai_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	apiopenai "switchyard/api/openai"
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
	script := make([]llmtest.Event, pieces, pieces+1)
	for i := range script {
		script[i].Chunk = textChunk(strings.Repeat("x", piece))
	}
	up := llmtest.NewStream(context.Background(), append(script, llmtest.Event{Err: io.EOF})...)
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
