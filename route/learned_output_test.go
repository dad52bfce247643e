package route

import (
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
)

// TestLearnedOutputLimit checks that an output limit learned from a
// deployment's refusal (Status.MaxOutputLearned) skips it for a request
// whose max_tokens exceeds it, as a configured max_output_tokens does,
// saying it was learned and when, in the explanation and the
// x-switchyard-route summary; a request within it, or without max_tokens,
// is not concerned, and a pin is a 400 on max_tokens.
func TestLearnedOutputLimit(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oai: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  ant: {kind: anthropic, base_url: "http://127.0.0.1:2"}
deployments:
  haiku: {provider: ant, price: {input: 1, output: 2}, max_output_tokens: 64000}
  mini:  {provider: oai, price: {input: 1, output: 2}}
routes:
  all: {deployments: [haiku, mini], strategy: ordered}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	at := time.Date(2026, 12, 6, 17, 40, 5, 0, time.UTC)
	learned := func(n int) func(*Input) {
		return func(in *Input) {
			in.Features.MaxTokens = n
			in.Health = Health{"haiku": {MaxOutputLearned: 32000, MaxOutputLearnedAt: at}}
		}
	}
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "haiku,mini"}, {32000, "haiku,mini"}, {32001, "mini"}} {
		if got := order(mustPlan(t, p, req("all", llm.CategoryChat, learned(tt.n)))); got != tt.want {
			t.Errorf("max_tokens %d: plan %s, want %s", tt.n, got, tt.want)
		}
	}
	plan := mustPlan(t, p, req("all", llm.CategoryChat, learned(40000)))
	r := findRejection(plan, "haiku")
	want := "writes at most 32000 tokens, as its refusal of a larger max_tokens said at 2026-12-06T17:40:05Z (learned for an hour), and the request asks for up to 40000 (max_tokens)"
	if r == nil || r.Reason != ReasonMaxOutput || r.By != ByRefusal || r.Detail() != want {
		t.Errorf("haiku rejection %+v: %s", r, r.Detail())
	}
	if s := plan.Summary(0, "mini", 1); !strings.Contains(s, "; learned_max_output=haiku:32000@2026-12-06T17:40:05Z;") {
		t.Errorf("summary %q names no learned limit", s)
	}
	if s := mustPlan(t, p, req("all", llm.CategoryChat, learned(100))).Summary(0, "haiku", 1); strings.Contains(s, "learned") {
		t.Errorf("summary %q names a limit that rejected nothing", s)
	}
	_, err = p.Plan(req("haiku", llm.CategoryChat, learned(40000)))
	if e := wantErr(t, err, llm.KindInvalidRequest, "as its refusal of a larger max_tokens said"); e.Param != "max_tokens" || e.HTTPStatus() != 400 {
		t.Errorf("pinned: param %q status %d", e.Param, e.HTTPStatus())
	}
}

// BenchmarkSummaryNoLearned: the summary's learned-limit scan allocates
// nothing of its own when nothing was learned.
func BenchmarkSummaryNoLearned(b *testing.B) {
	plan := &Plan{Tiers: []Tier{{}}, Explanation: Explanation{Rejected: []Rejection{{Deployment: "x", Reason: ReasonMaxOutput, By: "request"}}}}
	b.ReportAllocs()
	for b.Loop() {
		_ = appendLearned(nil, plan.Explanation.Rejected)
	}
}
