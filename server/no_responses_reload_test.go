package server

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// pathLog is a compatible host without a /responses route (a 404 there,
// vLLM's FastAPI body), the simulated OpenAI under /api/v1 for the rest,
// that keeps the paths it was asked.
type pathLog struct {
	mu    sync.Mutex
	paths []string
}

func (p *pathLog) host(t *testing.T) string {
	up := simopenai.New(sim.NewCatalog(sim.Profile{Model: "qwen3-32b"}), nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.paths = append(p.paths, r.URL.Path)
		p.mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/responses") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"detail":"Not Found"}`)
			return
		}
		up.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/v1"
}

// since returns the paths asked from the n-th on.
func (p *pathLog) since(n int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.paths[n:], " ")
}

func (p *pathLog) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.paths)
}

// noResponsesConfig is adminConfig with the deployment local, api auto
// unless api says, on the compatible host at base.
func noResponsesConfig(base, api string) string {
	return strings.Replace(adminConfig, "deployments:\n",
		"  vllm: {kind: openai, base_url: \""+base+"\", api_key: sk-local}\ndeployments:\n  local: {provider: vllm, model: qwen3-32b"+api+"}\n", 1)
}

// csvChat is a chat request for local holding a CSV by its bytes, which
// an api auto deployment sends to the Responses API first.
var csvChat = `{"model":"local","messages":[{"role":"user","content":[{"type":"file","file":{"filename":"t.csv","file_data":"data:text/csv;base64,` +
	base64.StdEncoding.EncodeToString([]byte("city,temp\nParis,21\n")) + `"}},{"type":"text","text":"Summarize it."}]}]}`

// The mark of a deployment whose host has no /responses route outlives
// a configuration change that keeps its base_url and api (its next
// request goes to Chat Completions at once), and POST /v1/route names
// it as the request's own x-switchyard-route does; a change of its
// base_url, or of its api, drops it (the next request tries
// /responses again).
func TestNoResponsesMarkAcrossReload(t *testing.T) {
	var host, moved pathLog
	base := host.host(t)
	a := startRig(t, rigOptions{text: noResponsesConfig(base, "")})
	const chatOnly, learn = "/api/v1/chat/completions", "/api/v1/responses /api/v1/chat/completions"
	const said = "api=chat_completions (no /responses route)"
	ask := func(what string, p *pathLog, want string) {
		t.Helper()
		n := p.len()
		status, body, h := a.send("", "POST", "/v1/chat/completions", csvChat,
			map[string]string{"Authorization": "Bearer client-env-SECRET", "Content-Type": "application/json"})
		if status != 200 {
			t.Fatalf("%s: %d %s", what, status, body)
		}
		if got := p.since(n); got != want {
			t.Errorf("%s: upstream asked %q, want %q", what, got, want)
		}
		if route := h.Get("x-switchyard-route"); !strings.Contains(route, said) {
			t.Errorf("%s: x-switchyard-route %q", what, route)
		}
	}
	ask("first request", &host, learn)
	ask("second request", &host, chatOnly)

	status, body, h := a.send("", "POST", "/v1/route", csvChat,
		map[string]string{"Authorization": "Bearer client-env-SECRET", "Content-Type": "application/json"})
	var plan struct {
		Summary string `json:"summary"`
		Tiers   []struct {
			Candidates []struct {
				ResponsesAPI     bool `json:"responses_api"`
				NoResponsesRoute bool `json:"no_responses_route"`
			} `json:"candidates"`
		} `json:"tiers"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &plan) != nil || len(plan.Tiers) == 0 || len(plan.Tiers[0].Candidates) == 0 {
		t.Fatalf("POST /v1/route: %d %s", status, body)
	}
	if c := plan.Tiers[0].Candidates[0]; !strings.Contains(h.Get("x-switchyard-route"), said) || !strings.Contains(plan.Summary, said) ||
		c.ResponsesAPI || !c.NoResponsesRoute {
		t.Errorf("POST /v1/route: x-switchyard-route %q, %s", h.Get("x-switchyard-route"), body)
	}

	put := func(what, text string) {
		t.Helper()
		if status, body := a.put("", text); status != 200 {
			t.Fatalf("%s: PUT /admin/config: %d %s", what, status, body)
		}
	}
	put("a route added", strings.Replace(noResponsesConfig(base, ""), "routes:\n", "routes:\n  fast: {deployments: [gpt-4o]}\n", 1))
	ask("after a change elsewhere", &host, chatOnly)

	base = moved.host(t)
	put("local's base_url moved", noResponsesConfig(base, ""))
	ask("on the new base_url", &moved, learn)
	ask("on the new base_url again", &moved, chatOnly)

	put("local on chat_completions", noResponsesConfig(base, ", api: chat_completions"))
	put("local back on auto", noResponsesConfig(base, ""))
	ask("after its api changed and back", &moved, learn)
}
