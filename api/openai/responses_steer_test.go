package openai_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/openaitest"
	"switchyard/llm"
	wireresp "switchyard/wire/responses"
)

// heldStream is an upstream stream the test feeds one event at a time;
// it ignores its context, as an upstream that has a chunk ready does,
// and says on asked each time the relay waits for its next event.
type heldStream struct {
	events chan heldEvent
	asked  chan struct{}
}

type heldEvent struct {
	c   *llm.Chunk
	err error
}

func newHeldStream() *heldStream {
	return &heldStream{events: make(chan heldEvent, 16), asked: make(chan struct{}, 16)}
}

func (s *heldStream) Next() (*llm.Chunk, error) {
	s.asked <- struct{}{}
	ev := <-s.events
	return ev.c, ev.err
}

func (s *heldStream) Close() error { return nil }

// waitAsked waits for the relay to ask for the next event: what came
// before it has been relayed.
func (s *heldStream) waitAsked(t *testing.T) {
	t.Helper()
	select {
	case <-s.asked:
	case <-time.After(5 * time.Second):
		t.Fatal("the relay never asked for the next event")
	}
}

// steerTurn runs one streamed create on conn's default lane with
// upstream s, in the background; done gives its answer once it ended.
func steerTurn(t *testing.T, conn *apiopenai.Socket, id, body string, s llm.Stream) (done chan string) {
	b := &openaitest.Backend{StreamFunc: func(context.Context, *llm.Request) (llm.Stream, error) { return s, nil }}
	m := http.NewServeMux()
	(&apiopenai.Handler{Backend: b}).Mount(m)
	ctx := apiopenai.WithSocket(llm.WithRequestID(context.Background(), id), conn, "")
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/v1/responses", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	done = make(chan string, 1)
	go func() {
		w := httptest.NewRecorder()
		m.ServeHTTP(w, r)
		done <- w.Body.String()
	}()
	return done
}

func steerOf(t *testing.T, prev, input string) *wireresp.Steer {
	t.Helper()
	ev, e := wireresp.DecodeClientEvent([]byte(`{"type":"response.steer","previous_response_id":"` + prev + `","input":` + input + `}`))
	if e != nil || ev.Steer == nil {
		t.Fatalf("steer: %v", e)
	}
	return ev.Steer
}

// A steer that comes while a text answer streams stops it at the next
// chunk, which is not shown: the response ends incomplete (steered) with
// the text before it, and its steer goes to the lane's automatic
// successor; a steer after that is refused, the response no longer
// active.
func TestSteerStopsAtTheNextChunk(t *testing.T) {
	conn := &apiopenai.Socket{}
	s := newHeldStream()
	done := steerTurn(t, conn, "req_a", `{"model":"m","input":"Tell a story.","store":false,"stream":true}`, s)
	s.events <- heldEvent{c: openaitest.TextChunk("Once")}
	s.waitAsked(t)
	s.waitAsked(t)
	if ev := conn.Steer(steerOf(t, "resp_a", `"Shorter."`)); ev != nil {
		t.Fatalf("a steer of the live response answered apart: %s", ev)
	}
	s.events <- heldEvent{c: openaitest.TextChunk(" upon a time")}
	out := <-done
	for _, want := range []string{`"type":"response.steer.accepted"`, `"reason":"steered"`, `"text":"Once"`} {
		if !strings.Contains(out, want) {
			t.Fatalf("the stream lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "upon a time") || strings.Contains(out, "response.completed") {
		t.Fatalf("the chunk after the steer was shown, or the response completed:\n%s", out)
	}
	b := conn.Successor("")
	if b == nil || !b.Auto || b.Parent != "resp_a" || len(b.Steers) != 1 || !strings.HasPrefix(b.Steers[0].ID, "steer_") {
		t.Fatalf("the successor's steers: %+v", b)
	}
	body := wireresp.SuccessorBody([]byte(`{"model":"m","input":"Tell a story.","stream":true}`), b.Parent, b.Steers)
	if got, carried := conn.Carry("", body); carried != b || string(got) != string(body) {
		t.Fatalf("Carry of the successor: %s %+v", got, carried)
	}
	if conn.Successor("") != nil {
		t.Fatal("the successor is still due once its turn took it")
	}
	late := failedCode(t, conn.Steer(steerOf(t, "resp_a", `"Later."`)))
	if late != "response_not_active" {
		t.Fatalf("a steer of the steered response: %s", late)
	}
}

// A steer that comes once a function call began does not stop the
// response: it completes with its call, the steer waits
// (response.steer.pending naming the call), and the client's create
// continuing it on the lane gets the steer after the call's result.
// Past MaxPendingSteers a steer is refused.
func TestSteerWaitsForACall(t *testing.T) {
	conn := &apiopenai.Socket{}
	s := newHeldStream()
	done := steerTurn(t, conn, "req_c", `{"model":"m","input":"Weather?","store":false,"stream":true,"tools":[{"type":"function","name":"get","parameters":{}}]}`, s)
	s.events <- heldEvent{c: callChunk("call_1", "get", `{"ci`)}
	s.waitAsked(t)
	s.waitAsked(t)
	for i := range apiopenai.MaxPendingSteers {
		if ev := conn.Steer(steerOf(t, "resp_c", `"Celsius `+string(rune('a'+i))+`."`)); ev != nil {
			t.Fatalf("steer %d answered apart: %s", i, ev)
		}
	}
	conn.Steer(steerOf(t, "resp_c", `"One too many."`))
	s.events <- heldEvent{c: callChunk("", "", `ty":"Paris"}`)}
	s.events <- heldEvent{err: io.EOF}
	out := <-done
	if !strings.Contains(out, `"code":"too_many_pending_steers"`) || !strings.Contains(out, `"arguments":"{\"city\":\"Paris\"}"`) {
		t.Fatalf("the stream:\n%s", out)
	}
	if n := strings.Count(out, "event: response.steer.pending"); n != apiopenai.MaxPendingSteers {
		t.Fatalf("%d pending events, want %d", n, apiopenai.MaxPendingSteers)
	}
	if i, j := strings.Index(out, "response.completed"), strings.Index(out, "response.steer.pending"); i < 0 || j < i {
		t.Fatalf("pending before completed:\n%s", out)
	}
	if conn.Successor("") != nil {
		t.Fatal("an automatic successor for a response waiting for its call's result")
	}
	if _, b := conn.Carry("other", []byte(`{"previous_response_id":"resp_c"}`)); b != nil {
		t.Fatal("another lane's create took the steers")
	}
	body, b := conn.Carry("", []byte(`{"model":"m","previous_response_id":"resp_c","input":[{"type":"function_call_output","call_id":"call_1","output":"17"}]}`))
	if b == nil || b.Auto || len(b.Steers) != apiopenai.MaxPendingSteers {
		t.Fatalf("the continuation's steers: %+v", b)
	}
	var got struct{ Input []map[string]any }
	if json.Unmarshal(body, &got) != nil || len(got.Input) != 1+apiopenai.MaxPendingSteers || got.Input[0]["type"] != "function_call_output" || got.Input[1]["content"] != "Celsius a." {
		t.Fatalf("the continuation's body: %s", body)
	}
	if code := failedCode(t, conn.Steer(steerOf(t, "resp_c", `"Now?"`))); code != "response_already_completed" {
		t.Fatalf("a steer of the completed response: %s", code)
	}
}

func callChunk(id, name, args string) *llm.Chunk {
	return &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: 0, ID: id, Name: name, Arguments: args}}}}}}
}

// failedCode is the error code of a response.steer.failed event.
func failedCode(t *testing.T, ev []byte) string {
	t.Helper()
	var v struct {
		Type  string
		Error struct{ Code string }
	}
	if json.Unmarshal(ev, &v) != nil || v.Type != "response.steer.failed" {
		t.Fatalf("not a failed event: %s", ev)
	}
	return v.Error.Code
}
