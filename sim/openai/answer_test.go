package openai

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The body faults of the JSON endpoints (writeAnswer): malformed answers
// 200 with half a JSON body and the rate-limit headers; cut declares the
// whole length, sends half and drops the connection, so the client reads
// a short body and an error. A cut chat answer carries the rate-limit
// headers, set before the body.
func TestAnswerFaults(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	endpoints := []struct{ name, path, body string }{
		{"chat", "/v1/chat/completions", `{"model":"gpt-sim","messages":[{"role":"user","content":"hi [[sim:%s]]"}]}`},
		{"embeddings", "/v1/embeddings", `{"model":"embed-sim","input":"tide tables [[sim:%s]]"}`},
		{"moderations", "/v1/moderations", `{"model":"omni-moderation-latest","input":"tide tables [[sim:%s]]"}`},
	}
	for _, ep := range endpoints {
		t.Run(ep.name+"/malformed", func(t *testing.T) {
			status, h, body := do(t, hc, "POST", url+ep.path, strings.Replace(ep.body, "%s", "malformed", 1), bearer)
			if status != 200 || json.Valid([]byte(body)) || !strings.HasPrefix(body, "{") || h.Get("X-Ratelimit-Limit-Requests") == "" {
				t.Errorf("status %d, rate headers %q, body %q; want 200, the headers, half a JSON object", status, h.Get("X-Ratelimit-Limit-Requests"), body)
			}
		})
		t.Run(ep.name+"/cut", func(t *testing.T) {
			req, err := http.NewRequestWithContext(context.Background(), "POST", url+ep.path, strings.NewReader(strings.Replace(ep.body, "%s", "cut", 1)))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range bearer {
				req.Header.Set(k, v)
			}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || err == nil || int64(len(body)) >= resp.ContentLength || len(body) == 0 {
				t.Errorf("status %d, %d of %d bytes, read error %v; want 200, a short body and an error", resp.StatusCode, len(body), resp.ContentLength, err)
			}
			if ep.name == "chat" && resp.Header.Get("X-Ratelimit-Limit-Requests") == "" {
				t.Errorf("a cut chat answer without its rate-limit headers: %v", resp.Header)
			}
		})
	}
}
