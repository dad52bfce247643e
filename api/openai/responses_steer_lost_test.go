package openai_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/openaitest"
	"switchyard/llm"
)

// Steers a connection accepted that no response committed are handed
// over as undelivered once its turns are over, each with why: the
// client left while the steered response streamed (a call open, so it
// had not stopped), the automatic successor never ran, the client never
// continued a response waiting for its calls' results. Before, those of
// a response the client left were dropped without a word.
func TestSteersUndeliveredWhenTheConnectionEnds(t *testing.T) {
	conn := &apiopenai.Socket{}
	s := newHeldStream()
	ctx, leave := context.WithCancel(apiopenai.WithSocket(llm.WithRequestID(context.Background(), "req_l"), conn, "x"))
	b := &openaitest.Backend{StreamFunc: func(context.Context, *llm.Request) (llm.Stream, error) { return s, nil }}
	m := http.NewServeMux()
	(&apiopenai.Handler{Backend: b}).Mount(m)
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/v1/responses",
		strings.NewReader(`{"model":"m","input":"Weather?","store":false,"stream":true,"tools":[{"type":"function","name":"get","parameters":{}}]}`))
	r.Header.Set("Content-Type", "application/json")
	done := make(chan struct{})
	go func() {
		m.ServeHTTP(httptest.NewRecorder(), r)
		close(done)
	}()
	s.events <- heldEvent{c: callChunk("call_1", "get", `{"ci`)}
	s.waitAsked(t)
	s.waitAsked(t)
	if ev := conn.Steer(steerOf(t, "resp_l", `"Celsius."`)); ev != nil {
		t.Fatalf("the steer answered apart: %s", ev)
	}
	leave()
	s.events <- heldEvent{err: context.Canceled}
	<-done

	// A steered response whose successor never ran.
	s2 := newHeldStream()
	done2 := steerTurn(t, conn, "req_s", `{"model":"m","input":"Tell a story.","store":false,"stream":true}`, s2)
	s2.events <- heldEvent{c: openaitest.TextChunk("Once")}
	s2.waitAsked(t)
	s2.waitAsked(t)
	conn.Steer(steerOf(t, "resp_s", `"Shorter."`))
	s2.events <- heldEvent{c: openaitest.TextChunk(" upon")}
	<-done2

	// A response waiting for its call's result, never continued.
	s3 := newHeldStream()
	done3 := steerTurn(t, conn, "req_p", `{"model":"m","input":"Weather?","store":false,"stream":true,"tools":[{"type":"function","name":"get","parameters":{}}]}`, s3)
	s3.events <- heldEvent{c: callChunk("call_2", "get", `{}`)}
	s3.waitAsked(t)
	s3.waitAsked(t)
	conn.Steer(steerOf(t, "resp_p", `"Fahrenheit."`))
	s3.events <- heldEvent{err: io.EOF}
	<-done3

	why := map[string]string{}
	for _, u := range conn.Undelivered() {
		if len(u.Steers) != 1 || !strings.HasPrefix(u.Steers[0].ID, "steer_") {
			t.Errorf("%s: steers %+v", u.Parent, u.Steers)
		}
		why[u.Parent] = u.Why
	}
	want := map[string]string{"resp_l": apiopenai.UndeliveredClientLeft, "resp_s": apiopenai.UndeliveredSuccessor, "resp_p": apiopenai.UndeliveredContinuation}
	for id, w := range want {
		if why[id] != w {
			t.Errorf("%s undelivered as %q, want %q (all: %v)", id, why[id], w, why)
		}
	}
	if len(why) != len(want) {
		t.Errorf("undelivered %v", why)
	}
	if again := conn.Undelivered(); len(again) != 0 {
		t.Errorf("handed over twice: %+v", again)
	}
}
