package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
)

// A stream cut by server.request_timeout ends with an error event in
// OpenAI's shape that names the deadline, and no [DONE]: a client must
// not mistake it for a whole answer.
func TestStreamEndedByRequestTimeoutSaysSo(t *testing.T) {
	t.Parallel()
	const deadline = 300 * time.Millisecond
	e := newEnv(t, func(c *config.Config) { c.Server.RequestTimeout = deadline })
	// The simulated upstream sends its first words, then stalls for far
	// longer than the request may take.
	start := time.Now()
	resp, body := post(t, e.URL+"/v1/chat/completions", "k", chatBody("claude-haiku-4-5", "Tell a story. [[sim:stall=20s]]", true))
	if took := time.Since(start); took > deadline+2*time.Second {
		t.Errorf("stream took %s with a %s deadline", took, deadline)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("status %d, want 200 (the stream had started): %s", resp.StatusCode, body)
	}
	if bytes.Contains(body, []byte("[DONE]")) {
		t.Fatalf("a stream cut by the deadline ends with [DONE]:\n%s", body)
	}
	events := bytes.Split(bytes.TrimSpace(body), []byte("\n\n"))
	last := bytes.TrimPrefix(events[len(events)-1], []byte("data: "))
	var eb errorBody
	if err := json.Unmarshal(last, &eb); err != nil || eb.Error.Message == "" {
		t.Fatalf("last event is not an OpenAI error: %q\nbody:\n%s", last, body)
	}
	if eb.Error.Type != "timeout_error" || eb.Error.Code == nil || *eb.Error.Code != "request_timeout" {
		t.Errorf("error type %q code %v, want timeout_error/request_timeout: %s", eb.Error.Type, eb.Error.Code, last)
	}
	if !bytes.Contains(last, []byte("server.request_timeout")) {
		t.Errorf("the error does not name the deadline that passed: %s", last)
	}
	// The record says what the client was told: a stream the deadline
	// failed, not one its client closed (499).
	if rec := e.recorded(t, 1)[0]; rec.Status != http.StatusGatewayTimeout || !rec.StreamFailed || rec.ErrorKind != llm.KindTimeout {
		t.Errorf("recorded status %d, stream failed %v, error %q; want 504, true, timeout", rec.Status, rec.StreamFailed, rec.ErrorKind)
	}
}
