package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The conversations' rows of the isolation table: tenant A's client key
// reads, changes, lists, deletes and answers in its own conversation and
// tenant B's, which it never finds.

// conversationOf creates a conversation with key holding one message of
// text and returns its id and its item's id.
func conversationOf(t *testing.T, e *env, key, text string) (id, item string) {
	t.Helper()
	resp, b := post(t, e.URL+"/v1/conversations", key, []byte(`{"metadata":{"about":"`+text+`"},"items":[{"role":"user","content":"`+text+`"}]}`))
	var c struct{ ID string }
	if resp.StatusCode != 200 || json.Unmarshal(b, &c) != nil {
		t.Fatalf("create a conversation: %d %s", resp.StatusCode, b)
	}
	code, items := callAs(t, http.MethodGet, e.URL+"/v1/conversations/"+c.ID+"/items", key)
	var l struct {
		FirstID string `json:"first_id"`
	}
	if code != 200 || json.Unmarshal(items, &l) != nil || l.FirstID == "" {
		t.Fatalf("its items: %d %s", code, items)
	}
	return c.ID, l.FirstID
}

// bodyAs calls method url with key and body, and returns the status and
// the answer.
func bodyAs(t *testing.T, method, url, key, body string) (int, []byte) {
	t.Helper()
	if body == "" {
		return callAs(t, method, url, key)
	}
	req, _ := http.NewRequestWithContext(ctxT(t), method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b json.RawMessage
	json.NewDecoder(resp.Body).Decode(&b)
	return resp.StatusCode, b
}

// conversationAsA calls method on path (%[1]s the conversation id, %[2]s
// an item id) as tenant A with body: on tenant B's conversation (and on
// its own with tenant B's item) it must get 404, on its own (a new one
// when fresh, for a deletion) ownStatus; it returns the answers.
func conversationAsA(method, path, body string, ownStatus int, fresh bool) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		ownConv, ownItem := e.convA, e.itemA
		if fresh {
			ownConv, ownItem = conversationOf(t, e.env, keyA, "Tell me about rivers.")
		}
		cases := []struct {
			conv, item string
			status     int
		}{{e.convB, e.itemB, 404}, {ownConv, ownItem, ownStatus}}
		if strings.Contains(path, "%[2]s") {
			cases = append(cases, struct {
				conv, item string
				status     int
			}{ownConv, e.itemB, 404})
		}
		var out [][]byte
		for _, c := range cases {
			p := strings.NewReplacer("%[1]s", c.conv, "%[2]s", c.item).Replace(path)
			code, b := bodyAs(t, method, e.URL+p, keyA, body)
			if code != c.status {
				t.Fatalf("%s %s as tenant A: %d %s, want %d", method, p, code, b, c.status)
			}
			out = append(out, b)
		}
		return out
	}
}

// conversationRows are the isolation table's rows of the Conversations
// API.
func conversationRows() []isoRow {
	const conv, item = "/v1/conversations/%[1]s", "/v1/conversations/%[1]s/items/%[2]s"
	return []isoRow{
		{pattern: "POST /v1/conversations", call: func(t *testing.T, e *isoEnv) [][]byte {
			code, b := bodyAs(t, http.MethodPost, e.URL+"/v1/conversations", keyA, `{"items":[{"role":"user","content":"Tell me about rivers."}]}`)
			if code != 200 {
				t.Fatalf("create: %d %s", code, b)
			}
			return [][]byte{b}
		}, want: `"object":"conversation"`},
		{pattern: "GET /v1/conversations/{id}", call: conversationAsA(http.MethodGet, conv, "", 200, false), want: "Conversation with id"},
		{pattern: "POST /v1/conversations/{id}", call: conversationAsA(http.MethodPost, conv, `{"metadata":{"about":"rivers"}}`, 200, false), want: `"about":"rivers"`},
		{pattern: "DELETE /v1/conversations/{id}", call: conversationAsA(http.MethodDelete, conv, "", 200, true), want: `"deleted":true`},
		{pattern: "POST /v1/conversations/{id}/items", call: conversationAsA(http.MethodPost, conv+"/items", `{"items":[{"role":"user","content":"And lakes?"}]}`, 200, false), want: "And lakes?"},
		{pattern: "GET /v1/conversations/{id}/items", call: conversationAsA(http.MethodGet, conv+"/items", "", 200, false), want: "Tell me about rivers."},
		{pattern: "GET /v1/conversations/{id}/items/{item_id}", call: conversationAsA(http.MethodGet, item, "", 200, false), want: "Tell me about rivers."},
		{pattern: "DELETE /v1/conversations/{id}/items/{item_id}", call: conversationAsA(http.MethodDelete, item, "", 200, true), want: `"object":"conversation"`},
		{pattern: "/v1/conversations", none: "the Conversations API's 404 for the methods it does not serve (listing every conversation)"},
		{pattern: "/v1/conversations/", none: "the Conversations API's 404 for the paths it does not serve"},
	}
}

// answerInOthers answers a request made in tenant B's conversation as
// tenant A: not found, as an unknown id; then in its own.
func answerInOthers(t *testing.T, e *isoEnv) [][]byte {
	resp, b := post(t, e.URL+"/v1/responses", keyA, []byte(`{"model":"plain","conversation":"`+e.convB+`","input":"and?"}`))
	if resp.StatusCode != 404 {
		t.Fatalf("tenant A answers in tenant B's conversation: %d %s", resp.StatusCode, b)
	}
	resp, own := post(t, e.URL+"/v1/responses", keyA, []byte(`{"model":"plain","conversation":"`+e.convA+`","input":"and?"}`))
	if resp.StatusCode != 200 {
		t.Fatalf("tenant A answers in its own conversation: %d %s", resp.StatusCode, own)
	}
	return [][]byte{b, own}
}
