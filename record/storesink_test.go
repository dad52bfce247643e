package record

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/learn/bandit"
	"switchyard/llm"
	"switchyard/route"
	"switchyard/store"
)

// testConfig has one route whose plan, for testFeatures, keeps three
// deployments (a rule prefers one, the code category another) and rejects
// three: one lacks JSON mode, one is over max_price, a rule excludes one.
const testConfig = `
providers:
  openai: {kind: openai, api_key: sk-test-provider-key-0123456789}
  anthropic: {kind: anthropic, api_key: sk-ant-test-provider-key-0123456789}
deployments:
  small: {provider: openai, model: gpt-4o-mini, price: {input: 0.15, output: 0.6}, capabilities: [tools, json_mode, code]}
  medium: {provider: openai, model: gpt-4.1-mini, price: {input: 0.4, output: 1.6}, capabilities: [tools, json_mode, code]}
  large: {provider: openai, model: gpt-4o, price: {input: 2.5, output: 10}, capabilities: [tools, json_mode, code]}
  mini: {provider: openai, model: gpt-4.1-nano, price: {input: 0.1, output: 0.4}, capabilities: [tools, json_mode, code]}
  haiku: {provider: anthropic, model: claude-haiku-4-5, price: {input: 1, output: 5}, capabilities: [tools, code]}
  o3: {provider: openai, price: {input: 20, output: 80}, capabilities: [tools, json_mode, code]}
routes:
  auto:
    deployments: [small, medium, haiku, large, mini, o3]
    strategy: ordered
    max_price: {input: 10}
    categories:
      code: {prefer: [medium]}
    rules:
      - {name: english-small-first, when: {language: en}, prefer: [small]}
      - {name: tools-not-large, when: {has_tools: true}, exclude: [large]}
`

var testFeatures = route.Features{
	Category: llm.CategoryCode, Confidence: 0.82, PromptTokens: 120, Turn: 1, Language: "en",
	HasTools: true, WantsJSON: true, HasCode: true, Needs: route.NeedJSONMode | route.NeedTools,
	Scores: [llm.NumCategories]float32{0.1, 0, 0, 0.05, 0.82, 0.03, 0},
}

// testPlan is the policy's real plan for testFeatures on testConfig.
func testPlan(t *testing.T) *route.Plan {
	t.Helper()
	cfg, err := config.Parse([]byte(testConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := route.New(cfg, route.Options{}).Plan(&route.Input{Model: "auto", Features: testFeatures})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// resumedRecord is a streamed request whose first deployment failed, whose
// second (with no known price) broke after its first token, and whose
// third continued the stream: every field a row takes is set.
func resumedRecord(t *testing.T) *Record {
	ms := time.Millisecond
	small := llm.Usage{PromptTokens: 120, CompletionTokens: 40, Estimated: true}
	mini := llm.Usage{PromptTokens: 150, CachedPromptTokens: 100, CacheWriteTokens: 8, CompletionTokens: 90, ReasoningTokens: 12}
	return &Record{
		RequestID: "req_1", Caller: "backend", Tenant: "acme", Start: t0.In(time.FixedZone("CET", 3600)),
		Endpoint: "chat", Route: "auto", Deployment: "mini", Stream: true, Status: 200, Attempts: 3,
		Category: llm.CategoryCode, Confidence: 0.82, Tier: 4, ResumedFrom: "small", ResumeMode: "prefill",
		Usage: llm.Usage{PromptTokens: 270, CompletionTokens: 130}, CostUSD: 0.2, ServedCostUSD: 0.2, CostUnknown: true,
		Billed:  []Billed{{Deployment: "small", Usage: small, CostUnknown: true}, {Deployment: "mini", Usage: mini, CostUSD: 0.2, Served: true}},
		Latency: 900 * ms, TTFT: 300 * ms, Plan: testPlan(t),
		Trail: []Attempt{
			{Deployment: "medium", Tier: 2, Outcome: store.OutcomeError, ErrorKind: llm.KindUnavailable, Start: t0, Latency: 50 * ms},
			{Deployment: "small", Tier: 1, Outcome: store.OutcomeCut, ErrorKind: llm.KindUpstream, Start: t0, TTFT: 280 * ms, Latency: 400 * ms, Usage: small, CostUnknown: true, Hedge: true},
			{Deployment: "haiku", Tier: 3, Outcome: store.OutcomeError, ErrorKind: llm.KindInvalidRequest, Start: t0, Latency: 20 * ms},
			{Deployment: "mini", Tier: 4, Outcome: store.OutcomeOK, Start: t0, TTFT: 100 * ms, Latency: 450 * ms, Usage: mini, CostUSD: 0.2, Resumed: true},
		},
		Signals: &store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 420, LengthRatio: 1.3},
	}
}

func TestRowOfEveryField(t *testing.T) {
	ms := time.Millisecond
	got := Row(resumedRecord(t))
	want := &store.Request{
		ID: "req_1", Time: t0, Tenant: "acme", KeyName: "backend", Endpoint: "chat", Route: "auto",
		Deployment: "mini", Category: llm.CategoryCode, Confidence: 0.82, Status: 200, Stream: true,
		Fallback: true, ResumedFrom: "small",
		// Both billed attempts, by kind.
		Tokens:  store.Tokens{Prompt: 270, CachedRead: 100, CacheWrite: 8, Completion: 130, Reasoning: 12},
		CostUSD: 0.2, ServedCostUSD: 0.2, CostEstimated: true, CostUnknown: true, Latency: 900 * ms, TTFT: 300 * ms,
		Propensity: 1,
		Features: store.Features{PromptTokens: 120, Turn: 1, Language: "en", HasTools: true, WantsJSON: true, HasCode: true,
			Scores: map[llm.Category]float64{llm.CategoryFactual: 0.1, llm.CategoryExtraction: 0.05, llm.CategoryCode: 0.82, llm.CategorySummarization: 0.03}},
		Explanation: store.Explanation{
			CategorySource: "classifier", Policy: "categories.code", Strategy: "ordered", Scorer: "static",
			Rules: []string{"english-small-first", "tools-not-large"},
			Candidates: []store.Candidate{
				{Deployment: "small", Tier: 1, Kept: true, Preferred: true},
				{Deployment: "medium", Tier: 2, Kept: true, Preferred: true},
				{Deployment: "mini", Tier: 3, Kept: true},
				{Deployment: "haiku", Reason: "capability", By: "request", Detail: "does not support JSON mode"},
				{Deployment: "large", Reason: "excluded", By: "rule tools-not-large", Detail: "excluded by rule tools-not-large"},
				{Deployment: "o3", Reason: "max_price", By: "categories.code", Detail: "input price $20/1M exceeds categories.code max_price.input $10/1M"},
			},
		},
		Attempts: []store.Attempt{
			{Deployment: "medium", Tier: 2, Outcome: "error", ErrorKind: llm.KindUnavailable, Latency: 50 * ms},
			{Deployment: "small", Tier: 1, Outcome: "cut", ErrorKind: llm.KindUpstream, TTFT: 280 * ms, Latency: 400 * ms,
				Tokens: store.Tokens{Prompt: 120, Completion: 40}, CostUnknown: true, Hedge: true},
			{Deployment: "haiku", Tier: 3, Outcome: "error", ErrorKind: llm.KindInvalidRequest, Latency: 20 * ms},
			{Deployment: "mini", Tier: 4, Outcome: "ok", TTFT: 100 * ms, Latency: 450 * ms,
				Tokens: store.Tokens{Prompt: 150, CachedRead: 100, CacheWrite: 8, Completion: 90, Reasoning: 12}, CostUSD: 0.2,
				ResumedFrom: "req_1#1"}, // the cut attempt, not the failed one just before
		},
		Signals: store.Signals{FormatChecked: true, FormatOK: true, AnswerChars: 420, LengthRatio: 1.3},
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("Row =\n%s\nwant\n%s", g, w)
	}
	if got.Time.Location() != time.UTC {
		t.Errorf("time zone %v, want UTC", got.Time.Location())
	}
}

func TestRowDerivedFields(t *testing.T) {
	plan := testPlan(t) // first candidate: small
	u := func(p, c int) llm.Usage { return llm.Usage{PromptTokens: p, CompletionTokens: c} }
	tests := []struct {
		name         string
		rec          Record
		fallback     bool
		tokens       store.Tokens
		pinned       string
		estimated    bool
		hasAttempts  bool
		explanations int
	}{
		{name: "no attempt list: the record's usage", rec: Record{Deployment: "small", Usage: u(10, 5), Plan: plan},
			tokens: store.Tokens{Prompt: 10, Completion: 5}, explanations: 6},
		{name: "served by the plan's first, no trail", rec: Record{Deployment: "small", Plan: plan}, explanations: 6},
		{name: "served by another than the plan's first, no trail", rec: Record{Deployment: "mini", Plan: plan}, fallback: true, explanations: 6},
		{name: "trail decides over the plan", rec: Record{Deployment: "mini", Plan: plan, Trail: []Attempt{{Deployment: "mini", Outcome: "ok"}}},
			hasAttempts: true, explanations: 6},
		{name: "trail: another deployment first", rec: Record{Deployment: "small", Trail: []Attempt{{Deployment: "mini"}, {Deployment: "small"}}},
			fallback: true, hasAttempts: true},
		{name: "no deployment (a dry run or refused)", rec: Record{Plan: plan}, explanations: 6},
		{name: "billed attempts summed, not the record's usage",
			rec:    Record{Deployment: "small", Usage: u(999, 999), Billed: []Billed{{Usage: u(10, 5)}, {Usage: u(20, 7), Served: true}}},
			tokens: store.Tokens{Prompt: 30, Completion: 12}},
		{name: "an estimated billed attempt", rec: Record{Billed: []Billed{{Usage: llm.Usage{Estimated: true}}}}, estimated: true},
		{name: "pin from the plan", rec: Record{Plan: &route.Plan{Pinned: "o3"}}, pinned: "o3"},
		{name: "embeddings: nothing planned", rec: Record{Endpoint: "embeddings", Deployment: "emb", Usage: u(8, 0)},
			tokens: store.Tokens{Prompt: 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := Row(&tt.rec)
			if row.Fallback != tt.fallback || row.Tokens != tt.tokens || row.Pinned != tt.pinned ||
				row.CostEstimated != tt.estimated || (row.Attempts != nil) != tt.hasAttempts ||
				len(row.Explanation.Candidates) != tt.explanations {
				t.Errorf("Row = fallback %v tokens %+v pinned %q estimated %v attempts %v candidates %d",
					row.Fallback, row.Tokens, row.Pinned, row.CostEstimated, row.Attempts, len(row.Explanation.Candidates))
			}
		})
	}
}

// A row marks its cost unknown when any billed attempt's price is, even
// if the record's own flag was not set, and the explanation marks each
// kept candidate without a price.
func TestRowCostUnknown(t *testing.T) {
	row := Row(&Record{Deployment: "a", CostUSD: 0.1, ServedCostUSD: 0.1,
		Billed: []Billed{{Deployment: "b", CostUnknown: true}, {Deployment: "a", CostUSD: 0.1, Served: true}}})
	if !row.CostUnknown || row.CostUSD != 0.1 || row.ServedCostUSD != 0.1 {
		t.Errorf("row: cost_unknown %v cost %v served %v", row.CostUnknown, row.CostUSD, row.ServedCostUSD)
	}
	if row := Row(&Record{Deployment: "a", CostUSD: 0.1, Billed: []Billed{{Deployment: "a", CostUSD: 0.1, Served: true}}}); row.CostUnknown {
		t.Error("a fully priced request marked cost_unknown")
	}
	plan := &route.Plan{Tiers: []route.Tier{{Candidates: []route.Candidate{
		{Deployment: &route.Deployment{Deployment: llm.Deployment{Name: "priced"}}},
		{Deployment: &route.Deployment{Deployment: llm.Deployment{Name: "mystery", PriceUnknown: true}}, CostUnknown: true},
	}}}}
	cands := Row(&Record{Plan: plan}).Explanation.Candidates
	if len(cands) != 2 || cands[0].CostUnknown || !cands[1].CostUnknown {
		t.Errorf("candidates %+v", cands)
	}
}

// fewOutcomes is a bandit snapshot holding five good outcomes of dep on
// route rt in f's context.
func fewOutcomes(rt, dep string, f route.Features) *bandit.Snapshot {
	tab := bandit.NewTable(func(string) time.Duration { return 0 }, 0)
	at := time.Unix(0, 0)
	c := bandit.ContextOf(bandit.Features{Category: f.Category, PromptTokens: f.PromptTokens, Turn: f.Turn,
		Language: f.Language, Structured: f.HasTools || f.WantsJSON})
	for _, k := range bandit.Keys(nil, rt, dep, "", c) {
		tab.Add(k, bandit.Counts{Good: 5}, at)
	}
	return tab.Snapshot(at)
}

// TestRowOfAdaptivePlan: a plan the adaptive scorer ordered puts its
// propensity, its context and each ordered candidate's estimate in the
// row.
func TestRowOfAdaptivePlan(t *testing.T) {
	cfg, err := config.Parse([]byte(testConfig+"  learned:\n    deployments: [small, large]\n    adaptive: {enabled: true, explore: 0.5}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// A few outcomes of the static first (small), fewer than
	// min_outcomes: both stay static, and exploring goes to large, the
	// arm with fewer (warm-up), so whichever comes first has a propensity
	// of 1−ε or ε. (With no outcomes at all the warm-up explores the
	// static first itself: propensity 1.)
	p, err := route.New(cfg, route.Options{}).Plan(&route.Input{Model: "learned", Features: testFeatures, Seed: 7,
		Learned: fewOutcomes("learned", "small", testFeatures)})
	if err != nil {
		t.Fatal(err)
	}
	row := Row(&Record{RequestID: "req_2", Endpoint: "chat", Plan: p})
	if row.Propensity != p.Propensity || p.Propensity >= 1 || p.Propensity <= 0 {
		t.Errorf("row propensity %v, plan's %v", row.Propensity, p.Propensity)
	}
	a := row.Explanation.Adaptive
	if a == nil || a.Context != "code/<500/en/later/structured" || a.Explore != 0.5 || a.Lambda != config.DefaultAdaptiveLambda || a.Greedy == "" {
		t.Fatalf("adaptive = %+v", a)
	}
	var learned []route.Learned
	for _, tier := range p.Tiers {
		for _, c := range tier.Candidates {
			learned = append(learned, c.Learned)
		}
	}
	ranks := map[int]string{}
	for i, c := range row.Explanation.Candidates[:2] {
		l := learned[i]
		if c.PGood < 0.5 || c.PGood > 1 || c.CI95 <= 0 || c.CI95 != math.Round(l.Half*1e6)/1e6 || c.Cost <= 0 || c.Cost > 1 ||
			c.Cost != math.Round(l.Cost*1e6)/1e6 || !c.Static || c.Rank != l.Rank {
			t.Errorf("candidate %s: %+v, learned %+v", c.Deployment, c, l)
		}
		ranks[c.Rank] = c.Deployment
	}
	// Each of the two has its own place in the static order, whichever
	// the draw put first.
	if len(ranks) != 2 || ranks[1] == "" || ranks[2] == "" {
		t.Errorf("ranks %v", ranks)
	}
	if row := Row(&Record{RequestID: "req_3", Endpoint: "embeddings"}); row.Propensity != 1 {
		t.Errorf("a request without a plan: propensity %v, want 1", row.Propensity)
	}
}

// TestRowOfSplitPlan: a weighted split's draw is kept with the request,
// the explanation naming the deployment drawn and its candidate marked,
// so that the log says why a request went to it (the propensity alone
// does not).
func TestRowOfSplitPlan(t *testing.T) {
	cfg, err := config.Parse([]byte(testConfig+`
  split:
    deployments: [small, medium]
    split: {small: 30, medium: 70}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := route.New(cfg, route.Options{}).Plan(&route.Input{Model: "split", Features: route.Features{Category: llm.CategoryChat, Language: "en"}})
	if err != nil {
		t.Fatal(err)
	}
	ex := Row(&Record{Plan: p, Route: "split"}).Explanation
	first := p.First()
	if ex.Split != first {
		t.Errorf("explanation split %q, want the first candidate %q", ex.Split, first)
	}
	for _, c := range ex.Candidates {
		if c.Split != (c.Deployment == first) {
			t.Errorf("candidate %s: split %t", c.Deployment, c.Split)
		}
	}
}

// A candidate in a rate limit window is ranked last and its window's end
// is kept in the stored explanation (only the live one had it), so the
// request log says why the cheaper deployment was not called.
func TestRowKeepsRateLimitWindow(t *testing.T) {
	cfg, err := config.Parse([]byte(testConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	until := time.Date(2026, 3, 1, 12, 0, 30, 500e6, time.UTC)
	p, err := route.New(cfg, route.Options{}).Plan(&route.Input{Model: "auto", Features: route.Features{Category: llm.CategoryChat, Language: "en"},
		Health: route.Health{"small": {RateLimitedUntil: until, Reason: "rate limited"}}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range Row(&Record{Plan: p, Route: "auto"}).Explanation.Candidates {
		if c.Deployment == "small" {
			found = true
			if c.RateLimitedUntil != "2026-03-01T12:00:30.5Z" {
				t.Errorf("small's rate limit window in the record: %q", c.RateLimitedUntil)
			}
		} else if c.RateLimitedUntil != "" {
			t.Errorf("%s: rate limited until %q, want none", c.Deployment, c.RateLimitedUntil)
		}
	}
	if !found {
		t.Fatal("small is not among the stored candidates")
	}
}
