package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The stored responses' rows of the isolation table: tenant A's client
// key reads, lists, deletes and continues its own stored response and
// tenant B's, which it never finds.

// storeResponseAs creates a stored response with key and returns its id.
func storeResponseAs(t *testing.T, e *env, key, prompt string) string {
	t.Helper()
	resp, b := post(t, e.URL+"/v1/responses", key, []byte(`{"model":"plain","input":"`+prompt+`"}`))
	var r struct {
		ID    string `json:"id"`
		Store bool   `json:"store"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(b, &r) != nil || !r.Store {
		t.Fatalf("store a response: %d %s", resp.StatusCode, b)
	}
	return r.ID
}

// callAs calls method path with key and returns the status and body.
func callAs(t *testing.T, method, url, key string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctxT(t), method, url, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// storedAsA calls method on path (with %s for the response id) as tenant
// A: on tenant B's response it must get 404, on its own ownStatus; it
// returns both answers.
func storedAsA(method, path string, ownStatus int) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		var out [][]byte
		for _, c := range []struct {
			id     string
			status int
		}{{e.respB, 404}, {e.respA, ownStatus}} {
			code, b := callAs(t, method, e.URL+fmtID(path, c.id), keyA)
			if code != c.status {
				t.Fatalf("%s %s as tenant A: %d %s, want %d", method, fmtID(path, c.id), code, b, c.status)
			}
			out = append(out, b)
		}
		return out
	}
}

func fmtID(path, id string) string { return strings.Replace(path, "%s", id, 1) }

// countOthers counts the input tokens of a request continuing tenant B's
// stored response as tenant A: not found, as an unknown id; its own
// counts.
func countOthers(t *testing.T, e *isoEnv) [][]byte {
	resp, b := post(t, e.URL+"/v1/responses/input_tokens", keyA, []byte(`{"model":"plain","previous_response_id":"`+e.respB+`","input":"and?"}`))
	if resp.StatusCode != 400 || !strings.Contains(string(b), "previous_response_not_found") {
		t.Fatalf("tenant A counts on tenant B's response: %d %s", resp.StatusCode, b)
	}
	resp, own := post(t, e.URL+"/v1/responses/input_tokens", keyA, []byte(`{"model":"plain","previous_response_id":"`+e.respA+`","input":"and?"}`))
	if resp.StatusCode != 200 {
		t.Fatalf("tenant A counts on its own response: %d %s", resp.StatusCode, own)
	}
	return [][]byte{b, own}
}

// continueOthers continues tenant B's stored response as tenant A: not
// found, as an unknown id.
func continueOthers(t *testing.T, e *isoEnv) [][]byte {
	resp, b := post(t, e.URL+"/v1/responses", keyA, []byte(`{"model":"plain","previous_response_id":"`+e.respB+`","input":"and?"}`))
	if resp.StatusCode != 400 {
		t.Fatalf("tenant A continues tenant B's response: %d %s", resp.StatusCode, b)
	}
	_, own := post(t, e.URL+"/v1/responses", keyA, []byte(`{"model":"plain","previous_response_id":"`+e.respA+`","input":"and?"}`))
	return [][]byte{b, own}
}

// compactOthers compacts tenant B's stored response as tenant A (not
// found, as an unknown id), and sends tenant B's own compaction item as
// tenant A's input: its summary is sealed for tenant B, so it does not
// open (a 400), and tenant A never reads it. Tenant A compacts its own.
func compactOthers(t *testing.T, e *isoEnv) [][]byte {
	resp, b := post(t, e.URL+"/v1/responses/compact", keyA, []byte(`{"model":"plain","previous_response_id":"`+e.respB+`"}`))
	if resp.StatusCode != 400 || !strings.Contains(string(b), "previous_response_not_found") {
		t.Fatalf("tenant A compacts tenant B's response: %d %s", resp.StatusCode, b)
	}
	resp, theirs := post(t, e.URL+"/v1/responses/compact", keyB, []byte(`{"model":"plain","previous_response_id":"`+e.respB+`"}`))
	var c struct {
		Output []struct {
			Type      string `json:"type"`
			Encrypted string `json:"encrypted_content"`
		} `json:"output"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(theirs, &c) != nil || len(c.Output) == 0 || c.Output[len(c.Output)-1].Type != "compaction" {
		t.Fatalf("tenant B compacts its own response: %d %s", resp.StatusCode, theirs)
	}
	item, _ := json.Marshal(c.Output[len(c.Output)-1])
	resp, opened := post(t, e.URL+"/v1/responses", keyA, []byte(`{"model":"plain","store":false,"input":[`+string(item)+`,{"role":"user","content":"and?"}]}`))
	if resp.StatusCode != 400 || !strings.Contains(string(opened), "could not be read") {
		t.Fatalf("tenant A reads tenant B's compaction: %d %s", resp.StatusCode, opened)
	}
	resp, own := post(t, e.URL+"/v1/responses/compact", keyA, []byte(`{"model":"plain","previous_response_id":"`+e.respA+`"}`))
	if resp.StatusCode != 200 {
		t.Fatalf("tenant A compacts its own response: %d %s", resp.StatusCode, own)
	}
	return [][]byte{b, opened, own}
}
