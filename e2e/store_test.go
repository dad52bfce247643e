package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/sqlite"
)

// storeBackend opens a fresh, empty request store for one test, closed
// when the test ends (after the router, whose cleanup was registered
// later).
type storeBackend struct {
	name string
	open func(t *testing.T) store.Store
}

var storeBackends = []storeBackend{
	{"sqlite", func(t *testing.T) store.Store {
		s, err := sqlite.Open(context.Background(), freshSQLitePath(t))
		return closing(t, s, err)
	}},
	{"postgres", func(t *testing.T) store.Store {
		s, err := postgres.Open(context.Background(), pgtest.FreshSchema(t))
		return closing(t, s, err)
	}},
}

// closing fails t on an open error, and closes the store at t's end.
func closing(t *testing.T, s store.Store, err error) store.Store {
	t.Helper()
	if err != nil {
		t.Fatalf("open the store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// clientKey authenticates the store tests' requests; its name is what
// the rows carry.
const (
	clientKey  = "sk-client-backend-0123456789"
	clientName = "backend"
	// plantedEmail is personal data in the prompts; with bodies stored it
	// must be found masked, never in the clear.
	plantedEmail = "jane.doe@example.com"
)

// storeEnv is a router recording to st, with bodies kept redacted, a key,
// and routes for every kind of request: plain (the first answers),
// failover (the first is down), resume (the first cuts its stream) and
// broken (its only deployment is down).
func storeEnv(t *testing.T, st store.Store, edit func(*config.Config)) *env {
	e := newEnvWith(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: clientKey, Name: clientName}}
		c.Store.Bodies = config.StoreBodiesRedacted
		ordered := func(name string, deps ...string) {
			c.Routes[name] = &config.Route{Name: name, Deployments: deps, Policy: config.Policy{Strategy: config.StrategyOrdered}}
		}
		ordered("plain", "gpt-4o-mini", "claude-haiku-4-5")
		ordered("failover", "gpt-4o", "claude-haiku-4-5")
		ordered("resume", "gpt-4o-mini", "claude-haiku-4-5")
		ordered("broken", "gpt-4o")
		if edit != nil {
			edit(c)
		}
	}, server.RouterOptions{Store: st})
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultUnavailable, Model: "gpt-4o"})
	return e
}

// sent is one request and what its row must hold.
type sent struct {
	kind, id   string
	status     int
	deployment string // the x-switchyard-deployment header
	start, end time.Time
}

// sendAs posts body to path with the client key and extra headers.
func sendAs(t *testing.T, e *env, kind, path string, body []byte, h map[string]string) sent {
	t.Helper()
	hdr := map[string]string{"Authorization": "Bearer " + clientKey}
	for k, v := range h {
		hdr[k] = v
	}
	s := sent{kind: kind, start: time.Now()}
	resp, b := postH(t, e.URL+path, body, hdr)
	s.end, s.status = time.Now(), resp.StatusCode
	s.id, s.deployment = resp.Header.Get("x-switchyard-request-id"), resp.Header.Get("x-switchyard-deployment")
	if s.id == "" {
		t.Fatalf("%s: no request id; %d %s", kind, resp.StatusCode, b)
	}
	return s
}

func streamBody(model, prompt string) []byte {
	b, _ := json.Marshal(map[string]any{
		"model": model, "stream": true, "stream_options": map[string]bool{"include_usage": true},
		"messages": []map[string]string{{"role": "user", "content": prompt}},
	})
	return b
}

// sendEveryKind sends requests of every kind, each answered as its kind
// says, and returns them.
func sendEveryKind(t *testing.T, e *env) []sent {
	prompt := "Say hello to " + plantedEmail + ", please."
	var out []sent
	for range 3 {
		out = append(out, sendAs(t, e, "complete", "/v1/chat/completions", chatBody("plain", prompt, false), nil))
		out = append(out, sendAs(t, e, "streamed", "/v1/chat/completions", streamBody("plain", prompt), nil))
	}
	for range 2 {
		emb, _ := json.Marshal(map[string]any{"model": "text-embedding-3-small", "input": []string{prompt}})
		out = append(out, sendAs(t, e, "embeddings", "/v1/embeddings", emb, nil))
		out = append(out, sendAs(t, e, "dry run", "/v1/route", chatBody("plain", prompt, false), nil))
		out = append(out, sendAs(t, e, "rejected", "/v1/chat/completions", chatBody("plain", prompt, false),
			map[string]string{"x-switchyard-max-cost-usd": "0.0000001"}))
	}
	out = append(out, sendAs(t, e, "failed over", "/v1/chat/completions", chatBody("failover", prompt, false), nil))
	out = append(out, sendAs(t, e, "resumed", "/v1/chat/completions", streamBody("resume", "Tell me about rivers. [[sim:cut]]"), nil))
	out = append(out, sendAs(t, e, "failed", "/v1/chat/completions", chatBody("broken", prompt, false), nil))
	want := map[string]int{"complete": 200, "streamed": 200, "embeddings": 200, "dry run": 200, "rejected": 422,
		"failed over": 200, "resumed": 200}
	for _, s := range out {
		if w, ok := want[s.kind]; ok && s.status != w || s.kind == "failed" && s.status < 500 {
			t.Fatalf("%s: status %d", s.kind, s.status)
		}
	}
	return out
}

// rowsOf waits until st holds n rows, then closes the router (flushing
// everything) and returns every row by id: exactly n, or the test fails.
func rowsOf(t *testing.T, e *env, st store.Store, n int) map[string]*store.Request {
	t.Helper()
	ctx := context.Background()
	list := func() []*store.Request {
		p, err := st.List(ctx, store.AllTenants(), store.Filter{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		return p.Requests
	}
	for deadline := time.Now().Add(10 * time.Second); len(list()) < n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d rows after 10s, want %d", len(list()), n)
		}
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := e.Router.Close(cctx); err != nil {
		t.Fatalf("Router.Close: %v", err)
	}
	out := map[string]*store.Request{}
	for _, r := range list() {
		full, err := st.Get(ctx, store.AllTenants(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[r.ID] = full
	}
	if len(out) != n {
		t.Fatalf("%d rows, want exactly %d", len(out), n)
	}
	return out
}

// TestEveryKindOfRequestIsStored is the request log's acceptance test: N
// requests of every kind — complete, streamed, failed over, resumed,
// rejected, failed, embeddings and dry runs — give exactly N rows, with
// the right fields, on both back ends.
func TestEveryKindOfRequestIsStored(t *testing.T) {
	t.Parallel()
	for _, be := range storeBackends {
		t.Run(be.name, func(t *testing.T) {
			st := be.open(t)
			e := storeEnv(t, st, nil)
			reqs := sendEveryKind(t, e)
			rows := rowsOf(t, e, st, len(reqs))
			for _, s := range reqs {
				row := rows[s.id]
				if row == nil {
					t.Errorf("%s %s: no row", s.kind, s.id)
					continue
				}
				checkRow(t, s, row)
			}
			// The fields the gateway fills for the request log (helper A of
			// issue 9: tenant, plan, trail, request and answer). They fail
			// until the gateway sets Record.Tenant, Plan, Trail, Request and
			// Answer.
			t.Run("GatewayRecordFields", func(t *testing.T) {
				for _, s := range reqs {
					checkGatewayFields(t, s, rows[s.id])
				}
			})
		})
	}
}

// checkRow checks what a row holds of what its request did.
func checkRow(t *testing.T, s sent, row *store.Request) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		b, _ := json.Marshal(row)
		t.Errorf("%s %s: "+format+"\nrow %s", append(append([]any{s.kind, s.id}, args...), b)...)
	}
	chat := s.kind != "embeddings" && s.kind != "dry run"
	endpoint := map[bool]string{true: "chat", false: map[string]string{"embeddings": "embeddings", "dry run": "route"}[s.kind]}[chat]
	switch {
	case row.Endpoint != endpoint:
		fail("endpoint %q, want %q", row.Endpoint, endpoint)
	case row.KeyName != clientName:
		fail("key name %q, want %q", row.KeyName, clientName)
	case row.Status != s.status:
		fail("status %d, want %d", row.Status, s.status)
	case row.Deployment != s.deployment && s.kind != "failed" && s.kind != "resumed": // the header names where a stream started
		fail("deployment %q, want %q", row.Deployment, s.deployment)
	case row.Time.Before(s.start.Add(-time.Millisecond)) || row.Time.After(s.end) || row.Latency <= 0 || row.Latency > s.end.Sub(s.start):
		fail("time %v latency %v, outside the request's %v..%v", row.Time, row.Latency, s.start, s.end)
	case row.Stream != (s.kind == "streamed" || s.kind == "resumed"):
		fail("stream %v", row.Stream)
	case (row.Status >= 400) != (row.ErrorKind != "") || row.StreamFailed:
		fail("error kind %q, stream failed %v", row.ErrorKind, row.StreamFailed)
	case strings.Contains(string(mustJSON(row)), clientKey):
		fail("the client key is in the row")
	}
	answered := s.status == 200 && s.kind != "dry run"
	if answered && (row.Tokens.Prompt <= 0 || row.CostUSD <= 0) {
		fail("tokens %+v cost %v of an answered request", row.Tokens, row.CostUSD)
	}
	if answered && chat && (row.Tokens.Completion <= 0 || row.Category == "" || row.Confidence <= 0) {
		fail("completion tokens %d, category %q (%v)", row.Tokens.Completion, row.Category, row.Confidence)
	}
	if row.Stream && answered && (row.TTFT <= 0 || row.TTFT > row.Latency) {
		fail("ttft %v of a stream, latency %v", row.TTFT, row.Latency)
	}
	switch s.kind {
	case "complete", "streamed", "dry run":
		if row.Route != "plain" {
			fail("route %q", row.Route)
		}
	case "failed over":
		if row.Route != "failover" || row.Deployment != "claude-haiku-4-5" {
			fail("route %q deployment %q", row.Route, row.Deployment)
		}
	case "resumed":
		if row.ResumedFrom != "gpt-4o-mini" || row.Deployment != "claude-haiku-4-5" {
			fail("resumed from %q to %q, want gpt-4o-mini to claude-haiku-4-5", row.ResumedFrom, row.Deployment)
		}
	case "failed":
		if row.Deployment != "gpt-4o" {
			fail("deployment %q, want the one that failed", row.Deployment)
		}
	}
}

// checkGatewayFields checks the row fields that come from the record's
// Tenant, Plan, Trail, Request and Answer.
func checkGatewayFields(t *testing.T, s sent, row *store.Request) {
	t.Helper()
	if row == nil {
		return
	}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s %s: "+format, append([]any{s.kind, s.id}, args...)...)
	}
	if row.Tenant != clientName {
		fail("tenant %q, want the key's name %q", row.Tenant, clientName)
	}
	planned := s.kind == "complete" || s.kind == "streamed" || s.kind == "dry run" || s.kind == "failed over" ||
		s.kind == "resumed" || s.kind == "failed"
	if planned {
		if row.Features.PromptTokens <= 0 || len(row.Features.Scores) == 0 || row.Explanation.Policy == "" || len(row.Explanation.Candidates) == 0 ||
			!row.Explanation.Candidates[0].Kept || row.Explanation.Candidates[0].Tier != 1 {
			fail("features %+v explanation %+v", row.Features, row.Explanation)
		}
	}
	var last store.Attempt
	if n := len(row.Attempts); n > 0 {
		last = row.Attempts[n-1]
	}
	called := planned && s.kind != "dry run"
	if called && last.Deployment != row.Deployment {
		fail("attempts %+v, the last not %s", row.Attempts, row.Deployment)
	}
	if s.kind == "embeddings" && len(row.Attempts) != 1 {
		fail("attempts %+v of an embedding", row.Attempts)
	}
	switch s.kind {
	case "complete", "streamed":
		if row.Fallback || last.Outcome != store.OutcomeOK {
			fail("fallback %v attempts %+v", row.Fallback, row.Attempts)
		}
		b := row.Bodies
		if b == nil || len(b.Messages) != 1 || !strings.Contains(b.Messages[0].Text, "[REDACTED:email]") ||
			b.Answer == nil || b.Answer.Text == "" {
			fail("bodies %+v", b)
		}
	case "failed over":
		if !row.Fallback || len(row.Attempts) < 2 || row.Attempts[0].Deployment != "gpt-4o" || row.Attempts[0].Outcome == store.OutcomeOK {
			fail("fallback %v attempts %+v", row.Fallback, row.Attempts)
		}
	case "resumed":
		if !row.Fallback || len(row.Attempts) < 2 || row.Attempts[0].Outcome != store.OutcomeCut || last.ResumedFrom != s.id+"#0" {
			fail("fallback %v attempts %+v", row.Fallback, row.Attempts)
		}
	}
	if strings.Contains(string(mustJSON(row)), plantedEmail) {
		fail("the planted email is in the row in the clear")
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
