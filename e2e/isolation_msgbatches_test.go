package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The Message Batches API's rows of the isolation table: tenant A's
// client key creates, lists, reads, cancels, reads the results of and
// deletes its own Message Batches, and never finds tenant B's (a 404 in
// Anthropic's shape).

// msgBatchAs creates, with key, a Message Batch of one request asking
// text and returns its id.
func msgBatchAs(t *testing.T, e *env, key, text string) string {
	t.Helper()
	code, b := bodyAs(t, http.MethodPost, e.URL+"/v1/messages/batches", key, `{"requests":[{"custom_id":"q","params":`+string(anthropicBody("plain", text, false))+`}]}`)
	id := jsonField(b, "id")
	if code != 200 || !strings.HasPrefix(id, "msgbatch_") {
		t.Fatalf("create a message batch: %d %s", code, b)
	}
	return id
}

// awaitMsgBatchEnded polls the Message Batch id with key until it ended.
func awaitMsgBatchEnded(t *testing.T, e *env, key, id string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, b := callAs(t, http.MethodGet, e.URL+"/v1/messages/batches/"+id, key)
		if jsonField(b, "processing_status") == "ended" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("message batch %s has not ended after 15 s: %s", id, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// msgBatchAsA calls method on path (%s the batch id) as tenant A: on
// tenant B's batch it must get a 404 not_found_error, on its own (a new
// one when fresh: slow for a cancel, else ended, for a delete) 200; it
// returns the answers.
func msgBatchAsA(method, path string, fresh bool) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		own := e.msgBatchA
		switch {
		case fresh && method == http.MethodPost:
			own = msgBatchAs(t, e.env, keyA, "Tell me about rivers. [[sim:slow=1s]]")
		case fresh:
			own = msgBatchAs(t, e.env, keyA, "Tell me about rivers.")
		}
		if method != http.MethodPost {
			awaitMsgBatchEnded(t, e.env, keyA, own)
		}
		var out [][]byte
		for _, c := range []struct {
			id     string
			status int
		}{{e.msgBatchB, 404}, {own, 200}} {
			p := strings.Replace(path, "%s", c.id, 1)
			code, b := bodyAs(t, method, e.URL+p, keyA, "")
			if code != c.status || (code == 404 && !strings.Contains(string(b), `"not_found_error"`)) {
				t.Fatalf("%s %s as tenant A: %d %s, want %d", method, p, code, b, c.status)
			}
			out = append(out, b)
		}
		return out
	}
}

// listMsgBatchesAsA lists tenant A's Message Batches, and around tenant
// B's batch (404).
func listMsgBatchesAsA(t *testing.T, e *isoEnv) [][]byte {
	var out [][]byte
	for _, c := range []struct {
		query  string
		status int
	}{{"", 200}, {"?after_id=" + e.msgBatchB, 404}, {"?before_id=" + e.msgBatchB, 404}} {
		code, b := callAs(t, http.MethodGet, e.URL+"/v1/messages/batches"+c.query, keyA)
		if code != c.status {
			t.Fatalf("GET /v1/messages/batches%s as tenant A: %d %s, want %d", c.query, code, b, c.status)
		}
		out = append(out, b)
	}
	return out
}

// msgBatchRows are the isolation table's rows of the Message Batches API.
func msgBatchRows() []isoRow {
	return []isoRow{
		{pattern: "POST /v1/messages/batches", call: func(t *testing.T, e *isoEnv) [][]byte {
			id := msgBatchAs(t, e.env, keyA, "Tell me about rivers.")
			_, b := callAs(t, http.MethodGet, e.URL+"/v1/messages/batches/"+id, keyA)
			return [][]byte{b}
		}, want: `"message_batch"`},
		{pattern: "GET /v1/messages/batches", call: listMsgBatchesAsA, want: `"message_batch"`},
		{pattern: "GET /v1/messages/batches/{id}", call: msgBatchAsA(http.MethodGet, "/v1/messages/batches/%s", false), want: `"message_batch"`},
		{pattern: "POST /v1/messages/batches/{id}/cancel", call: msgBatchAsA(http.MethodPost, "/v1/messages/batches/%s/cancel", true), want: `"canceling"`},
		{pattern: "GET /v1/messages/batches/{id}/results", call: msgBatchAsA(http.MethodGet, "/v1/messages/batches/%s/results", false), want: `"succeeded"`},
		{pattern: "DELETE /v1/messages/batches/{id}", call: msgBatchAsA(http.MethodDelete, "/v1/messages/batches/%s", true), want: `"message_batch_deleted"`},
	}
}
