package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The Batch API's rows of the isolation table: tenant A's client key
// creates, lists, reads and cancels its own batches, and never finds
// tenant B's, nor makes a batch of tenant B's file.

// batchAs creates, with key, a batch of one chat request asking text
// and returns its id.
func batchAs(t *testing.T, e *env, key, text string) string {
	t.Helper()
	f := uploadFile(t, e.clientWith(key), "in.jsonl", chatLine("q", "plain", text), "batch")
	code, b := bodyAs(t, http.MethodPost, e.URL+"/v1/batches", key, `{"input_file_id":"`+f.ID+`","endpoint":"/v1/chat/completions","completion_window":"24h"}`)
	id := jsonField(b, "id")
	if code != 200 || id == "" {
		t.Fatalf("create a batch: %d %s", code, b)
	}
	return id
}

// batchAsA calls method on path (%s the batch id) as tenant A: on tenant
// B's batch it must get 404, on its own (a new, slow one when fresh, for
// a cancel) 200; it returns the answers.
func batchAsA(method, path string, fresh bool) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		own := e.batchA
		if fresh {
			own = batchAs(t, e.env, keyA, "Tell me about rivers. [[sim:slow=1s]]")
		}
		var out [][]byte
		for _, c := range []struct {
			id     string
			status int
		}{{e.batchB, 404}, {own, 200}} {
			p := strings.Replace(path, "%s", c.id, 1)
			code, b := bodyAs(t, method, e.URL+p, keyA, "")
			if code != c.status {
				t.Fatalf("%s %s as tenant A: %d %s, want %d", method, p, code, b, c.status)
			}
			out = append(out, b)
		}
		return out
	}
}

// createBatchAsA makes a batch of tenant B's file as tenant A (404),
// then of its own.
func createBatchAsA(t *testing.T, e *isoEnv) [][]byte {
	var out [][]byte
	for _, c := range []struct {
		file   string
		status int
	}{{e.fileB, 404}, {e.fileA, 200}} {
		code, b := bodyAs(t, http.MethodPost, e.URL+"/v1/batches", keyA, `{"input_file_id":"`+c.file+`","endpoint":"/v1/chat/completions","completion_window":"24h"}`)
		if code != c.status {
			t.Fatalf("POST /v1/batches of %s as tenant A: %d %s, want %d", c.file, code, b, c.status)
		}
		out = append(out, b)
	}
	return out
}

// listBatchesAsA lists tenant A's batches, and after tenant B's batch.
func listBatchesAsA(t *testing.T, e *isoEnv) [][]byte {
	var out [][]byte
	for _, c := range []struct {
		query  string
		status int
	}{{"", 200}, {"?after=" + e.batchB, 400}} {
		code, b := callAs(t, http.MethodGet, e.URL+"/v1/batches"+c.query, keyA)
		if code != c.status {
			t.Fatalf("GET /v1/batches%s as tenant A: %d %s, want %d", c.query, code, b, c.status)
		}
		out = append(out, b)
	}
	return out
}

// batchRows are the isolation table's rows of the Batch API.
func batchRows() []isoRow {
	return []isoRow{
		{pattern: "POST /v1/batches", call: createBatchAsA, want: `"object":"batch"`},
		{pattern: "GET /v1/batches", call: listBatchesAsA, want: `"object":"batch"`},
		{pattern: "GET /v1/batches/{id}", call: batchAsA(http.MethodGet, "/v1/batches/%s", false), want: `"object":"batch"`},
		{pattern: "POST /v1/batches/{id}/cancel", call: batchAsA(http.MethodPost, "/v1/batches/%s/cancel", true), want: `"cancelling"`},
	}
}

// jsonField reads the string field name of the JSON object b ("" when
// absent).
func jsonField(b []byte, name string) string {
	var m map[string]any
	json.Unmarshal(b, &m)
	s, _ := m[name].(string)
	return s
}

// adminBatchRows are the isolation table's rows of the admin API's
// batches: tenant A's scoped admin key lists its tenant's batches of both
// APIs and reads each, and never sees tenant B's — not listed, a 404 by
// id, a 400 as a cursor, a 403 by naming tenant B.
func adminBatchRows() []isoRow {
	return []isoRow{
		{pattern: "GET /admin/batches", call: adminBatchesAsA, want: tenantA},
		{pattern: "GET /admin/batches/{id}", call: adminBatchAsA, want: "batch_not_found"},
	}
}

// adminBatchesAsA lists the batches as tenant A's admin key.
func adminBatchesAsA(t *testing.T, e *isoEnv) [][]byte {
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/batches?limit=100", adminA)
	if code != 200 || !strings.Contains(string(b), e.batchA) || !strings.Contains(string(b), e.msgBatchA) {
		t.Fatalf("GET /admin/batches as tenant A: %d %s", code, b)
	}
	out := [][]byte{b}
	for _, c := range []struct {
		query  string
		status int
	}{{"?cursor=" + e.batchB, 400}, {"?tenant=" + tenantB, 403}} {
		code, b := callAs(t, http.MethodGet, e.URL+"/admin/batches"+c.query, adminA)
		if code != c.status {
			t.Fatalf("GET /admin/batches%s as tenant A: %d %s, want %d", c.query, code, b, c.status)
		}
		out = append(out, errorCode(b))
	}
	return out
}

// adminBatchAsA reads tenant B's batches (404) and tenant A's (200) as
// tenant A's admin key.
func adminBatchAsA(t *testing.T, e *isoEnv) [][]byte {
	var out [][]byte
	for _, c := range []struct {
		id     string
		status int
	}{{e.batchB, 404}, {e.msgBatchB, 404}, {e.batchA, 200}, {e.msgBatchA, 200}} {
		code, b := callAs(t, http.MethodGet, e.URL+"/admin/batches/"+c.id, adminA)
		if code != c.status {
			t.Fatalf("GET /admin/batches/%s as tenant A: %d %s, want %d", c.id, code, b, c.status)
		}
		if code != 200 {
			b = errorCode(b)
		}
		out = append(out, b)
	}
	return out
}
