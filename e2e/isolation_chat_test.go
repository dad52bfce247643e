package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The stored Chat Completions' rows of the isolation table: tenant A's
// client key lists, reads, changes and deletes its own stored chat
// completion, and never finds tenant B's.

// storedChatAs creates a chat completion with key, with store true, of
// text, and returns its id.
func storedChatAs(t *testing.T, e *env, key, text string) string {
	t.Helper()
	resp, b := post(t, e.URL+"/v1/chat/completions", key, []byte(`{"model":"plain","store":true,"metadata":{"about":"`+text+`"},"messages":[{"role":"user","content":"`+text+`"}]}`))
	var c struct{ ID string }
	if resp.StatusCode != 200 || json.Unmarshal(b, &c) != nil || c.ID == "" {
		t.Fatalf("store a chat completion: %d %s", resp.StatusCode, b)
	}
	return c.ID
}

// chatAsA calls method on path (%s the completion id) as tenant A with
// body: on tenant B's completion it must get 404, on its own (a new one
// when fresh, for a deletion) ownStatus; it returns the answers.
func chatAsA(method, path, body string, ownStatus int, fresh bool) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		own := e.chatA
		if fresh {
			own = storedChatAs(t, e.env, keyA, "Tell me about rivers.")
		}
		var out [][]byte
		for _, c := range []struct {
			id     string
			status int
		}{{e.chatB, 404}, {own, ownStatus}} {
			p := strings.Replace(path, "%s", c.id, 1)
			code, b := bodyAs(t, method, e.URL+p, keyA, body)
			if code != c.status {
				t.Fatalf("%s %s as tenant A: %d %s, want %d", method, p, code, b, c.status)
			}
			out = append(out, b)
		}
		return out
	}
}

// listChatsAsA lists tenant A's stored chat completions, also filtered
// by tenant B's metadata (which finds none) and after tenant B's
// completion (an unknown id).
func listChatsAsA(t *testing.T, e *isoEnv) [][]byte {
	var out [][]byte
	for _, c := range []struct {
		query  string
		status int
	}{{"", 200}, {"?metadata[about]=Who+wrote+Hamlet%3F", 200}, {"?after=" + e.chatB, 400}} {
		code, b := callAs(t, http.MethodGet, e.URL+"/v1/chat/completions"+c.query, keyA)
		if code != c.status {
			t.Fatalf("GET /v1/chat/completions%s as tenant A: %d %s, want %d", c.query, code, b, c.status)
		}
		out = append(out, b)
	}
	return out
}

// chatRows are the isolation table's rows of the stored Chat
// Completions.
func chatRows() []isoRow {
	const one = "/v1/chat/completions/%s"
	return []isoRow{
		{pattern: "GET /v1/chat/completions", call: listChatsAsA, want: `"about":"Tell me about rivers."`},
		{pattern: "GET /v1/chat/completions/{id}", call: chatAsA(http.MethodGet, one, "", 200, false), want: `"object":"chat.completion"`},
		{pattern: "POST /v1/chat/completions/{id}", call: chatAsA(http.MethodPost, one, `{"metadata":{"about":"rivers"}}`, 200, false), want: `"about":"rivers"`},
		{pattern: "DELETE /v1/chat/completions/{id}", call: chatAsA(http.MethodDelete, one, "", 200, true), want: `"deleted":true`},
		{pattern: "GET /v1/chat/completions/{id}/messages", call: chatAsA(http.MethodGet, one+"/messages", "", 200, false), want: "Tell me about rivers."},
	}
}
