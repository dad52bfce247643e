package e2e

import (
	"io"
	"net/http"
	"testing"
)

// editAs is tenant A's image edit or variation (a multipart form of
// editForm's parts), its answer the one body to look for other tenants'
// data in: an edit keeps nothing, its answer is A's alone.
func editAs(path string, parts ...string) func(*testing.T, *isoEnv) [][]byte {
	return func(t *testing.T, e *isoEnv) [][]byte {
		body, ct := editForm(parts...)
		req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, e.URL+path, body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+keyA)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b)
		}
		return [][]byte{b}
	}
}
