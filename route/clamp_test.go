package route

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
)

const clampConfig = `
providers:
  oai: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  ant: {kind: anthropic, base_url: "http://127.0.0.1:2"}
  ds:  {kind: openai, base_url: "http://127.0.0.1:3/v1"}
deployments:
  gpt:    {provider: oai, model: gpt-4o, price: {input: 1, output: 2}, max_output_tokens: 16384, aliases: [claude-sonnet-4-5]}
  deep:   {provider: ds, model: deepseek-chat, price: {input: 1, output: 2}, max_output_tokens: 8192}
  sonnet: {provider: ant, model: claude-sonnet-4-5, price: {input: 3, output: 15}, max_output_tokens: 64000}
routes:
  small: {deployments: [gpt, deep], strategy: ordered}
  mixed: {deployments: [gpt, sonnet], strategy: ordered}
`

func clampPolicy(t *testing.T) *Policy {
	t.Helper()
	cfg, err := config.Parse([]byte(clampConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	return New(cfg, Options{})
}

func maxTokens(n int) func(*Input) { return func(in *Input) { in.Features.MaxTokens = n } }

// TestClampKeptWhenNoneCan checks that a route none of whose candidates
// writes the request's max_tokens keeps them all, each sent its own
// limit, named in the summary and the explanation, and priced at it.
func TestClampKeptWhenNoneCan(t *testing.T) {
	p := clampPolicy(t)
	plan := mustPlan(t, p, req("small", llm.CategoryChat, maxTokens(32000)))
	if got := order(plan); got != "gpt,deep" {
		t.Fatalf("plan %s, want gpt,deep", got)
	}
	for _, want := range []struct {
		dep string
		n   int
	}{{"gpt", 16384}, {"deep", 8192}} {
		c := anyTier(plan, want.dep)
		if c == nil || c.MaxTokens != want.n {
			t.Fatalf("%s: candidate %+v, want max_tokens %d", want.dep, c, want.n)
		}
		if s := plan.Summary(tierOf(plan, want.dep), want.dep, 1); !strings.Contains(s, "; clamped=max_tokens:"+strconv.Itoa(want.n)+";") {
			t.Errorf("summary %q names no clamp", s)
		}
	}
	if len(plan.Explanation.Rejected) != 0 {
		t.Errorf("rejected %+v", plan.Explanation.Rejected)
	}
	if c := anyTier(plan, "gpt"); c.EstCostUSD != anyTier(mustPlan(t, p, req("small", llm.CategoryChat, maxTokens(16384))), "gpt").EstCostUSD {
		t.Errorf("estimate %v not at the clamped max_tokens", c.EstCostUSD)
	}
	var b strings.Builder
	if err := plan.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "max_tokens lowered to 16384") {
		t.Errorf("explanation names no clamp:\n%s", b.String())
	}
	if s := mustPlan(t, p, req("small", llm.CategoryChat, maxTokens(8000))).Summary(0, "gpt", 1); strings.Contains(s, "clamped") {
		t.Errorf("summary %q names a clamp within the limit", s)
	}
}

// TestClampPassedOverWhenOneCan checks that a candidate that would be
// clamped is passed over, with max_output, when another writes the full
// max_tokens.
func TestClampPassedOverWhenOneCan(t *testing.T) {
	plan := mustPlan(t, clampPolicy(t), req("mixed", llm.CategoryChat, maxTokens(32000)))
	if got := order(plan); got != "sonnet" {
		t.Fatalf("plan %s, want sonnet", got)
	}
	if c := anyTier(plan, "sonnet"); c.MaxTokens != 0 {
		t.Errorf("sonnet clamped to %d", c.MaxTokens)
	}
	r := findRejection(plan, "gpt")
	if r == nil || r.Reason != ReasonMaxOutput || r.Got != 32000 || r.Limit != 16384 {
		t.Errorf("gpt rejection %+v", r)
	}
}

// TestClampPinned checks that a deployment the client named, by its name
// or its own model id, is still a 400 on max_tokens, and that one an
// alias naming another model chose is clamped.
func TestClampPinned(t *testing.T) {
	p := clampPolicy(t)
	for _, alias := range []string{"", "gpt-4o", "gpt-4o-2024-08-06"} {
		_, err := p.Plan(req("gpt", llm.CategoryChat, maxTokens(32000), func(in *Input) { in.Alias = alias }))
		if e := wantErr(t, err, llm.KindInvalidRequest, "writes at most 16384 tokens"); e.Param != "max_tokens" || e.HTTPStatus() != 400 {
			t.Errorf("alias %q: param %q status %d", alias, e.Param, e.HTTPStatus())
		}
	}
	_, err := p.Plan(req("mixed", llm.CategoryChat, maxTokens(32000), func(in *Input) { in.Overrides.Model = "gpt" }))
	wantErr(t, err, llm.KindInvalidRequest, "writes at most 16384 tokens")
	plan := mustPlan(t, p, req("gpt", llm.CategoryChat, maxTokens(32000), func(in *Input) { in.Alias = "claude-sonnet-4-5-20250929" }))
	if c := anyTier(plan, "gpt"); c == nil || !c.Pinned || c.MaxTokens != 16384 {
		t.Errorf("aliased pin: candidate %+v", c)
	}
}

// TestClampLearnedLimit checks that a limit learned from a refusal clamps
// too, when no candidate writes more.
func TestClampLearnedLimit(t *testing.T) {
	at := time.Date(2026, 12, 6, 17, 40, 5, 0, time.UTC)
	plan := mustPlan(t, clampPolicy(t), req("mixed", llm.CategoryChat, maxTokens(40000), func(in *Input) {
		in.Health = Health{"sonnet": {MaxOutputLearned: 32000, MaxOutputLearnedAt: at}}
	}))
	if got := order(plan); got != "gpt,sonnet" {
		t.Fatalf("plan %s, want gpt,sonnet", got)
	}
	if c := anyTier(plan, "sonnet"); c.MaxTokens != 32000 {
		t.Errorf("sonnet clamped to %d, want 32000", c.MaxTokens)
	}
}

// anyTier is the candidate on dep in any tier of plan, or nil.
func anyTier(plan *Plan, dep string) *Candidate {
	if i := tierOf(plan, dep); i >= 0 {
		return plan.candidate(i, dep)
	}
	return nil
}

// tierOf is the tier (0-based) of plan holding dep, -1 if none.
func tierOf(plan *Plan, dep string) int {
	for i := range plan.Tiers {
		if plan.candidate(i, dep) != nil {
			return i
		}
	}
	return -1
}

// TestClampRouteOption checks the route's max_tokens option: refuse
// keeps every candidate below the request's max_tokens off (a 400 when
// none is left), always lowers it for a deployment named by its own name
// too (its home route's option).
func TestClampRouteOption(t *testing.T) {
	yaml := strings.Replace(clampConfig, "small: {deployments: [gpt, deep], strategy: ordered}", "small: {deployments: [gpt, deep], strategy: ordered, max_tokens: refuse}", 1)
	yaml = strings.Replace(yaml, "mixed: {deployments: [gpt, sonnet], strategy: ordered}", "mixed: {deployments: [gpt, sonnet], strategy: ordered, max_tokens: always}", 1)
	cfg, err := config.Parse([]byte(yaml), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	_, err = p.Plan(req("small", llm.CategoryChat, maxTokens(32000)))
	if e := wantErr(t, err, llm.KindInvalidRequest, "writes at most"); e.Param != "max_tokens" {
		t.Errorf("refuse: param %q", e.Param)
	}
	plan := mustPlan(t, p, req("gpt", llm.CategoryChat, maxTokens(32000)))
	if c := anyTier(plan, "gpt"); c == nil || !c.Pinned || c.MaxTokens != 16384 {
		t.Errorf("always: pinned candidate %+v", c)
	}
	if _, err := config.Parse([]byte(strings.Replace(yaml, "max_tokens: refuse", "max_tokens: lower", 1)), nil); err == nil || !strings.Contains(err.Error(), `routes.small.max_tokens: unknown value "lower"`) {
		t.Errorf("an unknown value: %v", err)
	}
}

// TestClampsOnRefusal checks Candidate.Clamps, whether a refusal of the
// request's max_tokens may be sent again lowered (dispatch.Plan.
// LowerMaxTokens): a route's candidates, whatever their declared limit,
// when the request sets max_tokens; not without one, not under refuse,
// not a deployment the client named by its own name (clamp), which
// always lowers too.
func TestClampsOnRefusal(t *testing.T) {
	yaml := strings.Replace(clampConfig, "small: {deployments: [gpt, deep], strategy: ordered}", "small: {deployments: [gpt, deep], strategy: ordered, max_tokens: refuse}", 1)
	yaml = strings.Replace(yaml, "max_output_tokens: 64000", "max_output_tokens: 0", 1)
	cfg, err := config.Parse([]byte(yaml), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	for _, c := range []struct {
		model string
		max   int
		dep   string
		want  bool
	}{
		{"mixed", 2000, "gpt", true}, {"mixed", 2000, "sonnet", true}, {"mixed", 0, "sonnet", false},
		{"small", 2000, "gpt", false}, {"sonnet", 32000, "sonnet", false},
	} {
		plan := mustPlan(t, p, req(c.model, llm.CategoryChat, maxTokens(c.max)))
		if cand := anyTier(plan, c.dep); cand == nil || cand.Clamps != c.want {
			t.Errorf("%s max_tokens %d: %s candidate %+v, want Clamps %v", c.model, c.max, c.dep, cand, c.want)
		}
	}
	cfg.Routes["mixed"].MaxTokens = config.MaxTokensAlways
	plan := mustPlan(t, New(cfg, Options{}), req("sonnet", llm.CategoryChat, maxTokens(32000)))
	if cand := anyTier(plan, "sonnet"); cand == nil || !cand.Pinned || !cand.Clamps {
		t.Errorf("always: pinned candidate %+v", cand)
	}
}
