package openai_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/openaitest"
	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// On a WebSocket connection (WithSocket), a router that keeps no
// responses continues the connection's last streamed response: its
// conversation goes before the new input. A failed response forgets it;
// another connection, or plain HTTP, never had it.
func TestSocketContinuesItsLastResponse(t *testing.T) {
	var seen []*llm.Request
	fail := false
	b := &fakeBackend{StreamFunc: func(ctx context.Context, req *llm.Request) (llm.Stream, error) {
		seen = append(seen, req)
		if fail {
			return llmtest.NewStream(ctx, llmtest.Event{Chunk: openaitest.TextChunk("Li")}, llmtest.Event{Err: errors.New("upstream died")}), nil
		}
		return llmtest.NewStream(ctx, llmtest.Event{Chunk: openaitest.TextChunk("Lima.")}), nil
	}}
	turn, sock := socketTurns(b)
	if code, out := turn(sock("req_1"), `{"model":"m","input":"Capital of Peru?","store":false,"stream":true}`); code != 200 || !strings.Contains(out, "response.completed") {
		t.Fatalf("first turn: %d %s", code, out)
	}
	next := `{"model":"m","input":"And of Chile?","store":false,"stream":true,"previous_response_id":"resp_1"}`
	code, out := turn(apiopenai.WithSocket(llm.WithRequestID(context.Background(), "req_2"), &apiopenai.Socket{}, ""), next)
	if code != 400 || !strings.Contains(out, "previous_response_not_found") {
		t.Fatalf("another connection continuing it: %d %s", code, out)
	}
	if code, out := turn(llm.WithRequestID(context.Background(), "req_2"), next); code != 400 {
		t.Fatalf("plain HTTP continuing it: %d %s", code, out)
	}
	if code, out := turn(sock("req_2"), next); code != 200 || !strings.Contains(out, `"previous_response_id":"resp_1"`) {
		t.Fatalf("second turn: %d %s", code, out)
	}
	if msgs := seen[len(seen)-1].Messages; len(msgs) != 3 || msgs[1].Role != llm.RoleAssistant {
		t.Fatalf("the second turn's upstream got %d messages, want the first turn's two and its own", len(msgs))
	}
	fail = true
	if code, out := turn(sock("req_3"), `{"model":"m","input":"And of Bolivia?","store":false,"stream":true,"previous_response_id":"resp_2"}`); !strings.Contains(out, "response.failed") {
		t.Fatalf("third turn: %d %s", code, out)
	}
	fail = false
	for _, id := range []string{"resp_2", "resp_3"} {
		code, out := turn(sock("req_4"), strings.Replace(next, "resp_1", id, 1))
		if code != 400 || !strings.Contains(out, "previous_response_not_found") {
			t.Fatalf("after a failed response, continuing %s: %d %s", id, code, out)
		}
	}
}

// Each lane of a connection keeps its last response: a new lane forks
// from another lane's, with store false; a lane's next response replaces
// its own last only, and a failed one forgets its lane's last only.
func TestSocketLanesKeepTheirLastResponses(t *testing.T) {
	fail := false
	var seen []*llm.Request
	b := &fakeBackend{StreamFunc: func(ctx context.Context, req *llm.Request) (llm.Stream, error) {
		seen = append(seen, req)
		if fail {
			return llmtest.NewStream(ctx, llmtest.Event{Err: errors.New("upstream died")}), nil
		}
		return llmtest.NewStream(ctx, llmtest.Event{Chunk: openaitest.TextChunk("Ok.")}), nil
	}}
	m := http.NewServeMux()
	(&apiopenai.Handler{Backend: b}).Mount(m)
	conn := &apiopenai.Socket{}
	n := 0
	turn := func(lane, previous string) string {
		n++
		body := `{"model":"m","input":"Go on.","store":false,"stream":true`
		if previous != "" {
			body += `,"previous_response_id":"` + previous + `"`
		}
		ctx := apiopenai.WithSocket(llm.WithRequestID(context.Background(), "req_"+strconv.Itoa(n)), conn, lane)
		r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/v1/responses", strings.NewReader(body+"}"))
		w := httptest.NewRecorder()
		m.ServeHTTP(w, r)
		return w.Body.String()
	}
	ok := func(out string) bool { return strings.Contains(out, "response.completed") }
	if !ok(turn("a", "")) || !ok(turn("b", "")) { // resp_1 on a, resp_2 on b
		t.Fatal("the first turns failed")
	}
	if out := turn("c", "resp_1"); !ok(out) || len(seen[len(seen)-1].Messages) != 3 { // resp_3 on c forks a's
		t.Fatalf("lane c forking lane a's response: %s", out)
	}
	if out := turn("a", "resp_1"); !ok(out) { // resp_4 replaces resp_1 on a
		t.Fatalf("lane a continuing its own: %s", out)
	}
	if out := turn("", "resp_1"); !strings.Contains(out, "previous_response_not_found") {
		t.Fatalf("a lane's response replaced by its next was continued: %s", out)
	}
	fail = true
	turn("b", "resp_2") // resp_6 fails: b forgets resp_2
	fail = false
	if out := turn("", "resp_2"); !strings.Contains(out, "previous_response_not_found") {
		t.Fatalf("the response of a lane whose next failed was continued: %s", out)
	}
	for _, id := range []string{"resp_3", "resp_4"} {
		if out := turn("d", id); !ok(out) {
			t.Fatalf("after lane b's failure, %s (another lane's last): %s", id, out)
		}
	}
}

// socketTurns mounts a handler on b; turn posts a body to /v1/responses
// with ctx, returning the status and the body written; sock(id) is the
// context of request id on one WebSocket connection, the same on every
// call.
func socketTurns(b *fakeBackend) (turn func(ctx context.Context, body string) (int, string), sock func(id string) context.Context) {
	m := http.NewServeMux()
	(&apiopenai.Handler{Backend: b}).Mount(m)
	turn = func(ctx context.Context, body string) (int, string) {
		r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/v1/responses", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		m.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	conn := &apiopenai.Socket{}
	sock = func(id string) context.Context {
		return apiopenai.WithSocket(llm.WithRequestID(context.Background(), id), conn, "")
	}
	return turn, sock
}
