package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// modelRecorder wraps an upstream so a test can see which upstream models
// were called.
type modelRecorder struct {
	mu     sync.Mutex
	models []string
}

func (m *modelRecorder) wrap(t *testing.T, next http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req struct{ Model string }
		_ = json.Unmarshal(body, &req)
		m.mu.Lock()
		m.models = append(m.models, req.Model)
		m.mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		next.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func (m *modelRecorder) take() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := strings.Join(m.models, ",")
	m.models = nil
	return s
}

// unknownCostConfig has a priced deployment (m) and one whose price
// nobody knows (mystery: a fine-tune on a local server), and three
// tenants: acme under a USD budget (unknown_cost left to its default),
// open under a USD budget that allows unknown costs, and tok under a
// token budget only.
func unknownCostConfig(t *testing.T, up string) *config.Config {
	t.Helper()
	cfg := &config.Config{
		Auth: config.Auth{Keys: []config.Key{
			{Key: "sk-acme", Name: "app", Tenant: "acme"},
			{Key: "sk-open", Name: "open-app", Tenant: "open"},
			{Key: "sk-tok", Name: "tok-app", Tenant: "tok"},
		}},
		Providers: map[string]*config.Provider{"up": {Name: "up", Kind: "openai", BaseURL: up + "/v1", APIKey: "k"}},
		Deployments: map[string]*config.Deployment{
			"m":           {Name: "m", Provider: "up", Model: "m", Price: config.Price{Output: 10, Set: config.PriceInput}},
			"mystery":     {Name: "mystery", Provider: "up", Model: "my-finetune"},
			"e":           {Name: "e", Provider: "up", Model: "e", Price: config.Price{Input: 1, Set: config.PriceOutput}, Capabilities: []llm.Capability{llm.CapEmbeddings}},
			"mystery-emb": {Name: "mystery-emb", Provider: "up", Model: "my-embedder", Capabilities: []llm.Capability{llm.CapEmbeddings}},
		},
		Routes: map[string]*config.Route{
			"chat":        {Name: "chat", Deployments: []string{"mystery", "m"}},
			"only-myst":   {Name: "only-myst", Deployments: []string{"mystery"}},
			"embed-myst":  {Name: "embed-myst", Deployments: []string{"mystery-emb"}},
			"embed-mixed": {Name: "embed-mixed", Deployments: []string{"mystery-emb", "e"}},
		},
		Budgets: []config.Budget{
			{Name: "acme-daily", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, LimitUSD: 5},
			{Name: "open-daily", Scope: config.ScopeTenant, Match: "open", Period: config.PeriodDaily, LimitUSD: 5, UnknownCost: config.UnknownCostAllow},
			{Name: "tok-daily", Scope: config.ScopeTenant, Match: "tok", Period: config.PeriodDaily, LimitTokens: 100000},
		},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func chatAs(h http.Handler, key, model string, stream bool) *httptest.ResponseRecorder {
	body := `{"model":"` + model + `","max_tokens":100,"messages":[{"role":"user","content":"Tell me about rivers"}]`
	if stream {
		body += `,"stream":true`
	}
	return do(h, "POST", "/v1/chat/completions", body+"}", map[string]string{"Authorization": "Bearer " + key})
}

// Under a USD budget, a deployment whose price is unknown is passed over
// (its cost could not be charged, so the budget could be spent past
// silently); a request left with no other, or pinned to it, gets a 422
// in OpenAI's shape that says why and what to set; nothing is called and
// nothing is charged. A USD budget with unknown_cost: allow, and a token
// budget, let it serve.
func TestUSDBudgetKeepsRequestsOffUnknownCost(t *testing.T) {
	var rec modelRecorder
	up := rec.wrap(t, costedUpstream(t).Config.Handler)
	r := budgetRouter(t, unknownCostConfig(t, up.URL))
	const why = "has no known price, and budget acme-daily counts USD: its cost could not be charged (set its price, or the budget's unknown_cost: allow)"
	for _, stream := range []bool{false, true} {
		w := chatAs(r, "sk-acme", "chat", stream)
		if w.Code != http.StatusOK || w.Header().Get("x-switchyard-deployment") != "m" || rec.take() != "m" {
			t.Errorf("stream %v: %d from %q, want m's answer: %s", stream, w.Code, w.Header().Get("x-switchyard-deployment"), w.Body)
		}
		for _, tc := range []struct{ model, msg string }{
			{"only-myst", "no deployment of route only-myst can serve this request (category chat, policy route): mystery " + why},
			{"mystery", "pinned deployment mystery: " + why + "; ask for a model with a known price"},
		} {
			w := chatAs(r, "sk-acme", tc.model, stream)
			msg, typ, code := openAIError(t, w)
			if w.Code != http.StatusUnprocessableEntity || typ != "invalid_request_error" || code != "no_candidate" || !strings.Contains(msg, tc.msg) {
				t.Errorf("stream %v, %s: %d %s %v %q", stream, tc.model, w.Code, typ, code, msg)
			}
		}
	}
	if got := rec.take(); got != "" {
		t.Errorf("refused requests reached the upstream: %s", got)
	}
	u, _, _ := r.Gateway.Budgets().Usage(context.Background(), "acme-daily", "")
	if u.Spent != 2000 || u.Reserved != 0 { // two answers by m at $0.001
		t.Errorf("acme-daily %+v, want the two answers by m only", u)
	}
	for _, key := range []string{"sk-open", "sk-tok"} {
		if w := chatAs(r, key, "chat", false); w.Code != http.StatusOK || w.Header().Get("x-switchyard-deployment") != "mystery" ||
			w.Header().Get("x-switchyard-cost-usd") != "unknown" {
			t.Errorf("%s: %d from %q: %s", key, w.Code, w.Header().Get("x-switchyard-deployment"), w.Body)
		}
	}
	if got := rec.take(); got != "my-finetune,my-finetune" {
		t.Errorf("upstream called for %s", got)
	}
}

// Embeddings meet the same rule: an unknown-price candidate is skipped
// under a USD budget, and a route left with none is a 422.
func TestUSDBudgetKeepsEmbeddingsOffUnknownCost(t *testing.T) {
	var rec modelRecorder
	up := rec.wrap(t, costedUpstream(t).Config.Handler)
	r := budgetRouter(t, unknownCostConfig(t, up.URL))
	acme := map[string]string{"Authorization": "Bearer sk-acme"}
	if w := do(r, "POST", "/v1/embeddings", `{"model":"embed-mixed","input":"rivers"}`, acme); w.Code != http.StatusOK || rec.take() != "e" {
		t.Errorf("mixed route: %d %s", w.Code, w.Body)
	}
	w := do(r, "POST", "/v1/embeddings", `{"model":"embed-myst","input":"rivers"}`, acme)
	msg, _, code := openAIError(t, w)
	if w.Code != http.StatusUnprocessableEntity || code != "no_candidate" ||
		msg != "mystery-emb has no known price, and budget acme-daily counts USD: its cost could not be charged (set its price, or the budget's unknown_cost: allow)" {
		t.Errorf("unknown-only route: %d %v %q", w.Code, code, msg)
	}
	open := map[string]string{"Authorization": "Bearer sk-open"}
	if w := do(r, "POST", "/v1/embeddings", `{"model":"embed-myst","input":"rivers"}`, open); w.Code != http.StatusOK || rec.take() != "my-embedder" {
		t.Errorf("allowed: %d %s", w.Code, w.Body)
	}
}
