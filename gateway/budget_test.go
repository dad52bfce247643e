package gateway

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"switchyard/budget"
	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/record"
	"switchyard/route"
	"switchyard/state/memory"
)

// budgetGateway builds a gateway on recConfig plus budgets (YAML list
// items) over p, with budgets kept in memory; it returns the function
// that closes its recorder and returns the records.
func budgetGateway(t *testing.T, p llm.ChatProvider, budgets string) (*Gateway, *budget.Budgets, func() []*record.Record) {
	t.Helper()
	return budgetGatewayOn(t, p, recConfig, budgets)
}

// budgetGatewayOn is budgetGateway on the configuration text base.
func budgetGatewayOn(t *testing.T, p llm.ChatProvider, base, budgets string) (*Gateway, *budget.Budgets, func() []*record.Record) {
	t.Helper()
	cost.Warm()
	cfg, err := config.Parse([]byte(base+"auth: {keys: [{key: k, name: bot, tenant: acme}]}\nbudgets:\n"+budgets), nil)
	if err != nil {
		t.Fatal(err)
	}
	b := budget.New(cfg.Budgets, memory.New(memory.Options{}), budget.Options{})
	var mu sync.Mutex
	var recs []*record.Record
	rc := record.NewRecorder(16, record.SinkFunc(func(r *record.Record) { mu.Lock(); recs = append(recs, r); mu.Unlock() }))
	g, err := New(cfg, Options{Recorder: rc, Providers: map[string]llm.ChatProvider{"p": p}, KeepAnswers: true, Budgets: b,
		Classify: func(req *llm.Request) route.Features {
			return route.Features{Category: llm.CategoryChat, Confidence: 0.8, PromptTokens: 12, Needs: route.NeedsOf(req), WebSearch: req.WantsWebSearch()}
		}})
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

const bothBudgets = `  - {name: acme-usd, scope: tenant, match: acme, period: daily, limit_usd: 1}
  - {name: bot-tokens, scope: key, match: bot, period: monthly, limit_tokens: 1000000}
`

// spent checks that the budgets hold nothing and have been charged what
// r says the request cost: its cost (every billed attempt) and its tokens.
func checkCharged(t *testing.T, b *budget.Budgets, r *record.Record) {
	t.Helper()
	var tokens int64
	for _, x := range r.Billed {
		tokens += int64(x.Usage.TotalTokens)
	}
	usd, _, _ := b.Usage(context.Background(), "acme-usd", "")
	tok, _, _ := b.Usage(context.Background(), "bot-tokens", "acme/bot")
	if usd.Reserved != 0 || tok.Reserved != 0 {
		t.Errorf("still held: %d micro-USD, %d tokens", usd.Reserved, tok.Reserved)
	}
	if want := int64(math.Round(r.CostUSD * 1e6)); usd.Spent != want || want == 0 {
		t.Errorf("charged %d micro-USD, the record cost %v", usd.Spent, r.CostUSD)
	}
	if tok.Spent != tokens || tokens == 0 {
		t.Errorf("charged %d tokens, the record billed %d", tok.Spent, tokens)
	}
	if !slices.Equal(r.Budgets, []string{"acme-usd", "bot-tokens"}) {
		t.Errorf("record charged to %v", r.Budgets)
	}
}

// A stream is charged when it is closed, with what was billed, however it
// went: to its end, failed over, resumed on another deployment after a
// break, cut, or abandoned by the client.
func TestStreamsSettleTheirBudgets(t *testing.T) {
	for _, tt := range []struct {
		name  string
		model string
		by    map[string]behaviour
		read  int
		trail string
	}{
		{"streamed", "r", nil, 0, "a1:ok:$"},
		{"failed over", "r", map[string]behaviour{"a": fails}, 0, "a1:error/upstream b2:ok:$"},
		{"resumed", "r", map[string]behaviour{"a": breaks, "b": continues}, 0, "a1:cut/upstream:$ b2:ok:r:$"},
		{"cut", "strict", map[string]behaviour{"a": breaks}, 0, "a1:cut/upstream:$"},
		{"client abandons", "r", nil, 1, "a1:canceled/canceled:$"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := upstream(tt.by)
			g, b, flush := budgetGateway(t, f, bothBudgets)
			var served llm.Served
			s, err := g.Stream(callerCtx(), hello(tt.model), nil, &served)
			if err != nil {
				t.Fatal(err)
			}
			usd, _, _ := b.Usage(context.Background(), "acme-usd", "")
			if usd.Reserved == 0 {
				t.Error("nothing reserved while the stream is open")
			}
			_, _ = readStream(s, tt.read)
			llmtest.WaitFor(t, "upstream streams closed", func() bool { return f.Active() == 0 })
			recs := flush()
			if len(recs) != 1 || trailOf(recs[0]) != tt.trail {
				t.Fatalf("records %v", recs)
			}
			checkCharged(t, b, recs[0])
		})
	}
}

// A complete chat reserves the plan's costliest estimate before dispatch
// and is charged its real cost after.
func TestChatSettlesItsBudgets(t *testing.T) {
	g, b, flush := budgetGateway(t, upstream(map[string]behaviour{"a": fails}), bothBudgets)
	var served llm.Served
	if _, err := g.Chat(callerCtx(), hello("r"), nil, &served); err != nil {
		t.Fatal(err)
	}
	checkCharged(t, b, flush()[0])
}

// A request whose estimate does not fit a hard budget is refused before
// any upstream is called, with the 429, and holds nothing after; one that
// fails before dispatch (an unknown model) releases what it held; a dry
// run touches no budget.
func TestBudgetRefusesBeforeDispatch(t *testing.T) {
	f := upstream(nil)
	g, b, flush := budgetGateway(t, f, `  - {name: tiny, scope: tenant, match: acme, period: daily, limit_usd: 0.00001}
  - {name: bot-tokens, scope: key, match: bot, period: monthly, limit_tokens: 1000000}
`)
	ctx := callerCtx()
	_, err := g.Chat(ctx, hello("r"), nil, new(llm.Served))
	e := llm.AsError(err)
	// The estimate is more than tiny's whole limit: no Retry-After, as no reset lets it through.
	if e.HTTPStatus() != 429 || e.Code != budget.CodeBudgetExceeded || !strings.Contains(e.Message, `Budget "tiny" (tenant acme, daily)`) || e.RetryAfter != 0 {
		t.Fatalf("err %v", err)
	}
	s, err := g.Stream(ctx, hello("r"), nil, new(llm.Served))
	if llm.AsError(err).Code != budget.CodeBudgetExceeded || s != nil {
		t.Fatalf("stream: %v", err)
	}
	if _, err := g.Chat(ctx, hello("no-such-model"), nil, new(llm.Served)); llm.AsError(err).Kind != llm.KindNotFound {
		t.Fatalf("unknown model: %v", err)
	}
	if _, err := g.Route(ctx, hello("r"), nil); err != nil {
		t.Fatal(err)
	}
	if f.Calls() != 0 {
		t.Errorf("%d upstream calls", f.Calls())
	}
	tok, _, _ := b.Usage(context.Background(), "bot-tokens", "acme/bot")
	if tok.Spent != 0 || tok.Reserved != 0 {
		t.Errorf("bot-tokens %+v after requests that dispatched nothing", tok)
	}
	recs := flush()
	if len(recs) != 4 || recs[0].Status != 429 || recs[0].ErrorCode != budget.CodeBudgetExceeded || recs[0].Budgets != nil || len(recs[0].Trail) != 0 {
		t.Errorf("records %+v", recs)
	}
}

// Once a soft budget is spent, its route's requests go only to
// deployments within its price ceiling, and the explanation says why.
func TestSoftBudgetCapsThePrice(t *testing.T) {
	f := upstream(nil)
	g, _, flush := budgetGateway(t, f, `  - {name: r-soft, scope: route, match: r, period: daily, limit_usd: 0.00001, mode: soft, soft: {max_input_price: 1.5}}
`)
	ctx := callerCtx()
	pin := &route.Overrides{Model: "b"}
	if _, err := g.Chat(ctx, hello("r"), pin, new(llm.Served)); err != nil { // spends the budget on b
		t.Fatal(err)
	}
	var served llm.Served
	if _, err := g.Chat(ctx, hello("r"), nil, &served); err != nil || served.Deployment != "a" {
		t.Fatalf("served %+v: %v", served, err)
	}
	_, err := g.Chat(ctx, hello("r"), pin, new(llm.Served))
	if e := llm.AsError(err); e.Kind != llm.KindUnprocessable || !strings.Contains(e.Message, "budget r-soft price ceiling") {
		t.Errorf("pinned b past the ceiling: %v", err)
	}
	recs := flush()
	rej := recs[1].Plan.Explanation.Rejected
	if len(rej) != 1 || rej[0].Deployment != "b" || rej[0].By != "budget r-soft" {
		t.Errorf("rejected %+v", rej)
	}
	if !slices.Equal(recs[0].Budgets, []string{"r-soft"}) {
		t.Errorf("first request charged to %v", recs[0].Budgets)
	}
}

// The estimate is the plan's costliest candidate, over every tier, and
// in tokens the prompt plus the expected output, within each
// deployment's output limit.
func TestPlanEstimate(t *testing.T) {
	a := &route.Deployment{Deployment: llm.Deployment{Name: "a"}}
	b := &route.Deployment{Deployment: llm.Deployment{Name: "b", MaxOutputTokens: 50}}
	plan := &route.Plan{Tiers: []route.Tier{
		{Candidates: []route.Candidate{{Deployment: b, EstCostUSD: 0.003}}},
		{Candidates: []route.Candidate{{Deployment: a, EstCostUSD: 0.001}}},
	}}
	plan.Explanation.Features.PromptTokens = 100
	plan.Explanation.Limits.ExpectedOutputTokens = 200
	if got := planEstimate(plan, nil); got != (budget.Amount{USD: 0.003, Tokens: 300}) {
		t.Errorf("estimate %+v", got)
	}
	double := func(c *route.Candidate) float64 { return 2 * c.EstCostUSD }
	if got := planEstimate(plan, double); got != (budget.Amount{USD: 0.006, Tokens: 300}) {
		t.Errorf("estimate by candidate %+v", got)
	}
}

// Embeddings are budgeted too: once a soft budget of their route is
// spent, only deployments within its input price ceiling embed, and with
// none left the request gets a 422 naming the budget.
func TestEmbeddingsUnderASoftBudget(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  dear: {provider: p, price: {input: 2}, capabilities: [embeddings]}
  cheap: {provider: p, price: {input: 0.5}, capabilities: [embeddings]}
routes:
  emb: {deployments: [dear, cheap]}
  dear-only: {deployments: [dear]}
budgets:
  - {name: emb-soft, scope: route, match: "*", period: daily, limit_tokens: 1, mode: soft, soft: {max_input_price: 1}}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &embedFake{Provider: upstream(nil)}
	b := budget.New(cfg.Budgets, memory.New(memory.Options{}), budget.Options{})
	g, err := New(cfg, Options{Providers: map[string]llm.ChatProvider{"p": f}, Budgets: b})
	if err != nil {
		t.Fatal(err)
	}
	embed := func(model string) (llm.Served, error) {
		var served llm.Served
		_, err := g.Embed(context.Background(), &llm.EmbeddingRequest{Model: model, Input: []string{"rivers run north"}}, &served)
		return served, err
	}
	for _, want := range []string{"dear", "cheap"} { // the first spends the budget
		if served, err := embed("emb"); err != nil || served.Deployment != want {
			t.Fatalf("served %+v, want %s: %v", served, want, err)
		}
	}
	if u, _, _ := b.Usage(context.Background(), "emb-soft", "emb"); u.Spent != 8 || u.Reserved != 0 {
		t.Errorf("usage %+v, want the 8 tokens of two calls", u)
	}
	if _, err := embed("dear-only"); err != nil {
		t.Fatal(err) // its own budget, not spent yet
	}
	_, err = embed("dear-only")
	if e := llm.AsError(err); e.Kind != llm.KindUnprocessable || !strings.Contains(e.Message, "budget emb-soft") {
		t.Errorf("nothing within the ceiling: %v", err)
	}
}
