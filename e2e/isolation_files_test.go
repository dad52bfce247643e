package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// The Files API's rows of the isolation table: tenant A's client key
// lists, reads, downloads and deletes its own files, and never finds
// tenant B's.

// fileAs uploads a batch file holding text with key and returns its id.
func fileAs(t *testing.T, e *env, key, text string) string {
	t.Helper()
	return uploadFile(t, e.clientWith(key), "in.jsonl", `{"custom_id":"`+text+`"}`+"\n", "batch").ID
}

// fileAsA calls method on path (%s the file id) as tenant A: on tenant
// B's file it must get 404, on its own (a new one when fresh, for a
// deletion) 200; it returns the answers.
func fileAsA(method, path string, fresh bool) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		own := e.fileA
		if fresh {
			own = fileAs(t, e.env, keyA, "Tell me about rivers.")
		}
		var out [][]byte
		for _, c := range []struct {
			id     string
			status int
		}{{e.fileB, 404}, {own, 200}} {
			p := strings.Replace(path, "%s", c.id, 1)
			code, b := callAs(t, method, e.URL+p, keyA)
			if code != c.status {
				t.Fatalf("%s %s as tenant A: %d %s, want %d", method, p, code, b, c.status)
			}
			out = append(out, b)
		}
		return out
	}
}

// listFilesAsA lists tenant A's files, and after tenant B's file (an
// unknown id to tenant A).
func listFilesAsA(t *testing.T, e *isoEnv) [][]byte {
	var out [][]byte
	for _, c := range []struct {
		query  string
		status int
	}{{"", 200}, {"?after=" + e.fileB, 400}} {
		code, b := callAs(t, http.MethodGet, e.URL+"/v1/files"+c.query, keyA)
		if code != c.status {
			t.Fatalf("GET /v1/files%s as tenant A: %d %s, want %d", c.query, code, b, c.status)
		}
		out = append(out, b)
	}
	return out
}

// fileRows are the isolation table's rows of the Files API.
func fileRows() []isoRow {
	const one = "/v1/files/%s"
	return []isoRow{
		{pattern: "POST /v1/files", call: func(t *testing.T, e *isoEnv) [][]byte {
			id := fileAs(t, e.env, keyA, "Tell me about the sea.")
			code, b := callAs(t, http.MethodGet, e.URL+"/v1/files/"+id+"/content", keyA)
			if code != 200 {
				t.Fatalf("tenant A reads the file it uploaded: %d %s", code, b)
			}
			return [][]byte{b}
		}, want: "Tell me about the sea."},
		{pattern: "GET /v1/files", call: listFilesAsA, want: `"object":"file"`},
		{pattern: "GET /v1/files/{id}", call: fileAsA(http.MethodGet, one, false), want: `"object":"file"`},
		{pattern: "GET /v1/files/{id}/content", call: fileAsA(http.MethodGet, one+"/content", false), want: "Tell me about rivers."},
		{pattern: "DELETE /v1/files/{id}", call: fileAsA(http.MethodDelete, one, true), want: `"deleted":true`},
	}
}
