package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"switchyard/llm"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// effortHost is a compatible host serving acme-r, a reasoning model
// taking medium to xhigh alone, that keeps the last reasoning_effort it
// was sent.
type effortHost struct {
	mu   sync.Mutex
	last string
}

func (h *effortHost) start(t *testing.T) string {
	up := simopenai.New(sim.NewCatalog(sim.Profile{Model: "acme-r", Reasoning: true,
		Efforts: []llm.Effort{llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh}}), nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m map[string]json.RawMessage
		json.Unmarshal(body, &m)
		h.mu.Lock()
		h.last = string(m["reasoning_effort"])
		h.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		up.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

func (h *effortHost) sent() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last
}

// effortsConfig is adminConfig with deployment local on the host at base
// declaring levels (reasoning_efforts), "" for none.
func effortsConfig(base, levels string) string {
	dep := "  local: {provider: acme, model: acme-r, capabilities: [reasoning]"
	if levels != "" {
		dep += ", reasoning_efforts: " + levels
	}
	return strings.Replace(adminConfig, "deployments:\n",
		"  acme: {kind: openai, base_url: \""+base+"\", api_key: sk-local}\ndeployments:\n"+dep+"}\n", 1)
}

// A configuration change of a deployment's reasoning_efforts takes
// effect on the next request: xhigh is sent as xhigh while the list has
// it, as high once it is [medium, high] (named dropped), and, the list
// gone, as the nearest of low, medium and high an unknown id gets.
func TestReasoningEffortsAcrossReload(t *testing.T) {
	var host effortHost
	base := host.start(t)
	a := startRig(t, rigOptions{text: effortsConfig(base, "[medium, high, xhigh]")})
	ask := func(what, want, dropped string) {
		t.Helper()
		status, body, h := a.send("", "POST", "/v1/chat/completions",
			`{"model":"local","reasoning_effort":"xhigh","messages":[{"role":"user","content":"Is 91 prime?"}]}`,
			map[string]string{"Authorization": "Bearer client-env-SECRET", "Content-Type": "application/json"})
		if status != 200 {
			t.Fatalf("%s: %d %s", what, status, body)
		}
		route := h.Get("x-switchyard-route")
		if got := host.sent(); got != want || strings.Contains(route, "dropped=reasoning_effort") != (dropped != "") {
			t.Errorf("%s: upstream reasoning_effort %s, route %q; want %s, dropped %q", what, got, route, want, dropped)
		}
	}
	ask("declared up to xhigh", `"xhigh"`, "")
	if status, body := a.put("", effortsConfig(base, "[medium, high]")); status != 200 {
		t.Fatalf("PUT /admin/config: %d %s", status, body)
	}
	ask("declared up to high", `"high"`, "reasoning_effort")
	if status, body := a.put("", effortsConfig(base, "")); status != 200 {
		t.Fatalf("PUT /admin/config: %d %s", status, body)
	}
	ask("none declared", `"high"`, "reasoning_effort")
	if status, body := a.put("", effortsConfig(base, "[]")); status != 422 || !strings.Contains(body, "deployments.local.reasoning_efforts: is empty") {
		t.Errorf("PUT an empty list: %d %s, want 422 naming the list", status, body)
	}
}
