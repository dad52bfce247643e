package gateway

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"switchyard/budget"
	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
	"switchyard/state/memory"
)

// moderationSims are the simulated upstreams of the moderation tests: two
// OpenAI APIs (the first with faults to inject) and an Azure OpenAI.
type moderationSims struct {
	down, up, azure string
	faults          *sim.Faults
}

func startModerationSims(t testing.TB) moderationSims {
	t.Helper()
	cat := sim.NewCatalog(
		sim.Profile{Model: "omni-moderation-latest", Moderation: true},
		sim.Profile{Model: "text-moderation-latest", Moderation: true},
		sim.Profile{Model: "gpt-4o-mini"},
	)
	s := moderationSims{faults: new(sim.Faults)}
	for _, srv := range []struct {
		url *string
		h   *httptest.Server
	}{
		{&s.down, httptest.NewServer(simopenai.New(cat, s.faults))},
		{&s.up, httptest.NewServer(simopenai.New(cat, nil))},
		{&s.azure, httptest.NewServer(simopenai.NewAzure(cat, nil))},
	} {
		t.Cleanup(srv.h.Close)
		*srv.url = srv.h.URL
	}
	return s
}

// moderationGateway builds a gateway over the sims, with the budgets of
// the YAML list budgets (empty: none), and the function that closes its
// recorder and returns the records.
func moderationGateway(t testing.TB, s moderationSims, budgets string) (*Gateway, *budget.Budgets, func() []*record.Record) {
	t.Helper()
	cost.Warm()
	if budgets != "" {
		budgets = "budgets:\n" + budgets
	}
	cfg, err := config.Parse([]byte(`
providers:
  down: {kind: openai, base_url: "`+s.down+`/v1", api_key: k}
  up: {kind: openai, base_url: "`+s.up+`/v1", api_key: k}
  az: {kind: azure, base_url: "`+s.azure+`", api_key: k}
deployments:
  omni-down: {provider: down, model: omni-moderation-latest, capabilities: [moderation]}
  omni-moderation-latest: {provider: up, capabilities: [moderation]}
  text-mod: {provider: up, model: text-moderation-latest, capabilities: [moderation]}
  az-omni: {provider: az, model: omni-moderation-latest, capabilities: [moderation]}
  chat: {provider: up, model: gpt-4o-mini, capabilities: [tools, vision]}
  gone: {provider: up, model: nope, capabilities: [moderation]}
routes:
  mod: {deployments: [omni-down, omni-moderation-latest]}
  text-first: {deployments: [text-mod, omni-moderation-latest]}
  text-only: {deployments: [text-mod]}
  azure-first: {deployments: [az-omni, chat, omni-moderation-latest]}
  none: {deployments: [az-omni, chat]}
  gone-first: {deployments: [gone, omni-moderation-latest]}
`+budgets), nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var recs []*record.Record
	rc := record.NewRecorder(16, record.SinkFunc(func(r *record.Record) { mu.Lock(); recs = append(recs, r); mu.Unlock() }))
	var b *budget.Budgets
	if len(cfg.Budgets) > 0 {
		b = budget.New(cfg.Budgets, memory.New(memory.Options{}), budget.Options{})
	}
	g, err := New(cfg, Options{Recorder: rc, Budgets: b})
	if err != nil {
		t.Fatal(err)
	}
	return g, b, func() []*record.Record {
		rc.Close(context.Background())
		mu.Lock()
		defer mu.Unlock()
		return recs
	}
}

var imageInput = []llm.ModerationPart{{Text: "a still"}, {ImageURL: "https://example.com/gore.png"}}

// A route fails over to its next deployment on a retryable error, and the
// record shows both attempts, the estimated usage and a known cost of $0.
func TestModerateFailsOver(t *testing.T) {
	s := startModerationSims(t)
	s.faults.Add(sim.Fault{Kind: sim.FaultServerError})
	g, _, flush := moderationGateway(t, s, "")
	var served llm.Served
	resp, err := g.Moderate(callerCtx(), &llm.ModerationRequest{Model: "mod", Texts: []string{"I want to kill them.", "tide tables"}}, &served)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Results) != 2 || resp.Flagged() != 1 || !strings.HasPrefix(string(resp.Body), `{"id":"modr-`) {
		t.Errorf("answer %+v", resp)
	}
	if served.Deployment != "omni-moderation-latest" || served.Route != "mod" || served.Attempts != 2 || served.CostUnknown || served.CostUSD != 0 ||
		served.Summary != "route=mod; deployment=omni-moderation-latest; attempt=2" {
		t.Errorf("served %+v", served)
	}
	if resp.Usage.PromptTokens == 0 || !resp.Usage.Estimated {
		t.Errorf("usage %+v, want the texts' tokens, estimated", resp.Usage)
	}
	recs := flush()
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if r.Endpoint != "moderations" || r.Tenant != "acme" || r.Status != 200 || r.Request != nil || r.CostUnknown || r.Usage != resp.Usage ||
		trailOf(r) != "omni-down0:error/upstream omni-moderation-latest0:ok" {
		t.Errorf("record %+v, trail %q", r, trailOf(r))
	}
}

func TestModerateCandidates(t *testing.T) {
	s := startModerationSims(t)
	g, _, flush := moderationGateway(t, s, "")
	defer flush()
	for _, tt := range []struct {
		name, model string
		parts       bool
		deployment  string
		status      int
		param, msg  string
	}{
		{"pinned", "omni-moderation-latest", false, "omni-moderation-latest", 200, "", ""},
		{"Azure and chat deployments are skipped", "azure-first", false, "omni-moderation-latest", 200, "", ""},
		{"no candidate moderates", "none", false, "", 400, "model", "model none does not serve moderations"},
		{"a chat deployment pinned", "chat", false, "", 400, "model", "does not serve moderations"},
		{"images skip a text-moderation model", "text-first", true, "omni-moderation-latest", 200, "", ""},
		{"text goes to the first", "text-first", false, "text-mod", 200, "", ""},
		{"images to a text-moderation model only", "text-only", true, "", 400, "input", "text-mod (text-moderation-latest) takes text only"},
		// A model the upstream does not have is the deployment's
		// misconfiguration, as on the chat endpoints (dispatch/misfit.go).
		{"a model not found fails over", "gone-first", false, "omni-moderation-latest", 200, "", ""},
		{"unknown model", "nothing", false, "", 404, "model", "nothing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := &llm.ModerationRequest{Model: tt.model, Texts: []string{"hello"}}
			if tt.parts {
				req = &llm.ModerationRequest{Model: tt.model, Parts: imageInput}
			}
			var served llm.Served
			_, err := g.Moderate(context.Background(), req, &served)
			if tt.status == 200 {
				if err != nil || served.Deployment != tt.deployment {
					t.Fatalf("served %+v, %v; want %s", served, err, tt.deployment)
				}
				return
			}
			e := llm.AsError(err)
			if e.HTTPStatus() != tt.status || e.Param != tt.param || !strings.Contains(e.Message, tt.msg) || served.Deployment != tt.deployment {
				t.Errorf("error %d param %q %q (served %q); want %d param %q with %q", e.HTTPStatus(), e.Param, e.Message, served.Deployment, tt.status, tt.param, tt.msg)
			}
		})
	}
}

// Moderations are budgeted as embeddings are: a token budget is charged
// the texts' tokens, and a request whose estimate does not fit a hard
// budget is refused before any upstream is called.
func TestModerateUnderABudget(t *testing.T) {
	s := startModerationSims(t)
	g, b, flush := moderationGateway(t, s, `  - {name: acme-tokens, scope: route, match: mod, period: daily, limit_tokens: 12, mode: hard}
`)
	defer flush()
	text := []string{"the river runs north past the old mill"} // 8 tokens
	if _, err := g.Moderate(callerCtx(), &llm.ModerationRequest{Model: "mod", Texts: text}, new(llm.Served)); err != nil {
		t.Fatal(err)
	}
	u, _, _ := b.Usage(context.Background(), "acme-tokens", "mod")
	if u.Spent != int64(textTokens(text)) || u.Reserved != 0 {
		t.Errorf("usage %+v, want the %d tokens of the text spent", u, textTokens(text))
	}
	_, err := g.Moderate(callerCtx(), &llm.ModerationRequest{Model: "mod", Texts: text}, new(llm.Served))
	if e := llm.AsError(err); e.HTTPStatus() != 429 || e.Code != budget.CodeBudgetExceeded {
		t.Errorf("over the budget: %v", err)
	}
	if n := s.faults.Seen("omni-moderation-latest"); n != 1 {
		t.Errorf("the first sim saw %d requests, want 1: the refused one reached no upstream", n)
	}
}

// BenchmarkModerate is one moderation of two texts through the gateway
// (admission, candidates, the upstream call to sim/openai on loopback,
// validation, the record) against the same call made by the adapter
// alone: the difference is what the router adds.
func BenchmarkModerate(b *testing.B) {
	s := startModerationSims(b)
	g, _, flush := moderationGateway(b, s, "")
	defer flush()
	req := &llm.ModerationRequest{Model: "omni-moderation-latest", Texts: []string{"I want to kill them.", "tide tables"}}
	b.Run("gateway", func(b *testing.B) {
		for b.Loop() {
			if _, err := g.Moderate(context.Background(), req, new(llm.Served)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("adapter", func(b *testing.B) {
		m := moderatorOf(g.byName["omni-moderation-latest"])
		for b.Loop() {
			if _, err := m.Moderate(context.Background(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
}
