package anthropic

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/sim"
)

// postBeta posts body with the anthropic-beta header betas.
func postBeta(t *testing.T, srv *httptest.Server, body, betas string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/messages", strings.NewReader(body))
	req.Header.Set("x-api-key", "sk-ant-test")
	req.Header.Set("anthropic-version", "2023-06-01")
	req.Header.Set("content-type", "application/json")
	if betas != "" {
		req.Header.Set("anthropic-beta", betas)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestSpeed: speed fast is served on the models with fast mode (Opus 5,
// a research preview, only under the fast-mode beta) and usage.speed
// says so, complete and streamed; every answer says its speed; fast on a
// model without fast mode, and a speed the API does not know, are 400s.
func TestSpeed(t *testing.T) {
	var ps []sim.Profile
	for _, m := range []string{"claude-opus-5-5", "claude-opus-5", "claude-fable-5-2", "claude-sonnet-5-5", "claude-opus-4-8"} {
		ps = append(ps, sim.Profile{Model: m, MaxOutputTokens: 64000})
	}
	srv := httptest.NewServer(New(sim.NewCatalog(ps...), &sim.Faults{}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	body := func(model, speed string) string {
		return `{"model":"` + model + `","max_tokens":50,` + speed + `"messages":[{"role":"user","content":"hi"}]}`
	}
	const fast, beta = `"speed":"fast",`, "fast-mode-2026-02-01"
	for _, tc := range []struct{ model, speed, betas, want string }{
		{"claude-opus-5-5", fast, "", "fast"},
		{"claude-opus-5-5", fast, beta, "fast"},
		{"claude-fable-5-2", fast, "", "fast"},
		{"claude-opus-5", fast, "interleaved-thinking-2025-05-14," + beta, "fast"},
		{"claude-opus-5", fast, "", "standard"}, // the research preview's beta missing: ignored
		{"claude-opus-5-5", `"speed":"standard",`, "", "standard"},
		{"claude-opus-5-5", ``, "", "standard"},
		{"claude-sonnet-5-5", ``, "", "standard"},
	} {
		resp := postBeta(t, srv, body(tc.model, tc.speed), tc.betas)
		b, _ := io.ReadAll(resp.Body)
		var m struct{ Usage map[string]any }
		if err := json.Unmarshal(b, &m); err != nil || resp.StatusCode != 200 || m.Usage["speed"] != tc.want {
			t.Errorf("%s %s %s: %d %s", tc.model, tc.speed, tc.betas, resp.StatusCode, b)
		}
		resp = postBeta(t, srv, strings.Replace(body(tc.model, tc.speed), `"max_tokens"`, `"stream":true,"max_tokens"`, 1), tc.betas)
		_, datas := events(t, resp.Body)
		if len(datas) == 0 || !strings.Contains(datas[0], `"speed":"`+tc.want+`"`) {
			t.Errorf("%s %s: message_start %v", tc.model, tc.speed, datas)
		}
	}
	for _, tc := range []struct{ model, speed, want string }{
		{"claude-sonnet-5-5", fast, "speed: fast mode is not supported for this model"},
		{"claude-opus-4-8", fast, "speed: fast mode is not supported for this model"},
		{"claude-opus-5-5", `"speed":"turbo",`, "speed: Input should be 'standard' or 'fast'"},
	} {
		resp := postBeta(t, srv, body(tc.model, tc.speed), beta)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 400 || !strings.Contains(string(b), `"type":"error","error":{"type":"invalid_request_error"`) || !strings.Contains(string(b), tc.want) {
			t.Errorf("%s %s: %d %s", tc.model, tc.speed, resp.StatusCode, b)
		}
	}
}

// TestFastModeWritesFaster: an answer served in fast mode writes its
// tokens 2.5x faster than the profile's speed; a standard one at it.
func TestFastModeWritesFaster(t *testing.T) {
	p := &sim.Profile{Model: "claude-opus-5-5", TokensPerSecond: 50}
	std := &generation{p: p}
	std.usage.Speed = "standard"
	fast := &generation{p: p}
	fast.usage.Speed = "fast"
	if got := std.pieceDelay(100); got != 2*time.Second {
		t.Errorf("standard: %v for 100 tokens, want 2s", got)
	}
	if got := fast.pieceDelay(100); got != 800*time.Millisecond {
		t.Errorf("fast: %v for 100 tokens, want 800ms", got)
	}
}
