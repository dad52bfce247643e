package admin

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/learn"
	"switchyard/route"
	"switchyard/store"
)

// savingsConfig prices strong at $100 input, $50 cached input, $300
// output per 1M tokens (cache writes at the input price, one-hour ones at
// twice it) and cheap at $1 and $3; route auto may choose both, route
// named's reference is cheap. The built-in auto-cheap covers both too.
const savingsConfig = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  strong: {provider: p, price: {input: 100, cached_input: 50, output: 300}}
  cheap: {provider: p, price: {input: 1, output: 3}}
  mystery: {provider: p, model: no-such-model}
routes:
  auto: {deployments: [cheap, strong]}
  named: {deployments: [cheap, strong, mystery], reference: cheap}
  cats: {deployments: [strong], categories: {code: {deployments: [mystery, cheap]}, chat: {deployments: [cheap]}}}
`

func savingsPolicyFixture(t *testing.T) *learn.SavingsPolicy {
	t.Helper()
	cfg, err := config.Parse([]byte(savingsConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	return SavingsPolicyOf(route.New(cfg, route.Options{}), cfg)
}

func TestSavingsPolicyOf(t *testing.T) {
	p := savingsPolicyFixture(t)
	if r := p.Routes["named"]; !slices.Equal(r.Deployments, []string{"cheap", "strong", "mystery"}) || r.Reference != "cheap" {
		t.Errorf("named = %+v", r)
	}
	// The route's list first, then its categories' others by name.
	if r := p.Routes["cats"]; !slices.Equal(r.Deployments, []string{"strong", "cheap", "mystery"}) {
		t.Errorf("cats = %+v", r)
	}
	if r := p.Routes["auto-cheap"]; len(r.Deployments) != 3 || r.Reference != "" {
		t.Errorf("built-in auto-cheap = %+v; want every chat deployment", r)
	}
	if d := p.Deployments["strong"]; d == nil || d.InputPricePerM != 100 || d.CachedInputPricePerM != 50 || d.CacheWrite1hPricePerM != 200 || d.PriceUnknown {
		t.Errorf("strong = %+v; want the cost package's prices", d)
	}
	if d := p.Deployments["mystery"]; d == nil || !d.PriceUnknown {
		t.Errorf("mystery = %+v; want its price unknown", d)
	}
}

// TestReportSavingsEndpoint: acme's report prices acme's counted requests
// (the fixture's sample tokens) at strong, the default reference; an
// override and its mistakes; no savings without the configuration.
func TestReportSavingsEndpoint(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		reportFixture(t, s)
		policy := savingsPolicyFixture(t)
		h := newMuxWith(s, &acmeOps, func(h *Handler) { h.Savings = func() *learn.SavingsPolicy { return policy } })
		var got ReportView
		decode(t, do(h, "/admin/report"), &got)
		sv := got.Savings
		if sv == nil || len(sv.Routes) != 1 || !strings.Contains(sv.Estimate, "estimate") {
			t.Fatalf("savings = %+v", sv)
		}
		r := sv.Routes[0]
		if r.Route != "auto" || r.Reference == nil || *r.Reference != "strong" || r.ReferenceSource != "default" || !r.ReferencePriced {
			t.Errorf("route %+v; want auto priced at strong by default", r)
		}
		// Acme's 80 requests: i%5 == 0 have an unpriced attempt (16); of
		// the 64 counted, 9 have estimated tokens (i%7 == 0, not i%5 ==
		// 0), 32 cost $0.05 and 32 $0.01. Each one's tokens at strong:
		// 236 uncached × $100 + 512 cached × $50 + 32 five-minute writes ×
		// $100 + 32 one-hour writes × $200 + 193 visible × $300 + 40
		// reasoning × $300 = $0.1287.
		actual, ref := 32*0.05+32*0.01, 64*0.1287
		if r.Requests != 80 || r.Counted != 64 || r.Excluded != (SavingsExcluded{CostUnknown: 16}) || r.EstimatedTokens != 9 {
			t.Errorf("counts %+v", r.SavingsAccountView)
		}
		if !approx(r.ActualUSD, actual) || !approx(*r.ReferenceUSD, ref) || !approx(*r.SavedUSD, ref-actual) || !approx(*r.SavedPercent, 100*(ref-actual)/ref) {
			t.Errorf("actual $%v, reference $%v, saved $%v (%v%%); want $%v, $%v", r.ActualUSD, *r.ReferenceUSD, *r.SavedUSD, *r.SavedPercent, actual, ref)
		}
		q := r.Quality
		if q == nil || q.Verdict != "no_drop_detected" || q.Reference.Outcomes != 40 || *q.Reference.Satisfaction != 0.8 || q.Others.Outcomes != 40 {
			t.Errorf("quality %+v", q)
		}
		if total, route := mustJSON(t, sv.Total), mustJSON(t, r.SavingsAccountView); total != route || sv.NoReference != 0 {
			t.Errorf("total %+v; want the one route's", sv.Total)
		}

		decode(t, do(h, "/admin/report?reference=auto=cheap"), &got)
		if r := got.Savings.Routes[0]; *r.Reference != "cheap" || r.ReferenceSource != "override" {
			t.Errorf("overridden: %+v", r)
		}
		decode(t, do(h, "/admin/report?reference=mystery"), &got)
		if r := got.Savings.Routes[0]; *r.Reference != "mystery" || r.ReferencePriced || r.ReferenceUSD != nil || r.SavedPercent != nil ||
			got.Savings.Total.ReferenceUSD != nil || got.Savings.NoReference != 80 {
			t.Errorf("an unpriced reference: %+v, total %+v", r, got.Savings.Total)
		}
		for _, bad := range []string{"cheap,strong", "auto=cheap,auto=strong", "=cheap", "auto=", "a,,b"} {
			wantError(t, do(h, "/admin/report?reference="+bad), 400, "", "reference")
		}
		e := wantError(t, do(h, "/admin/report?reference=nope"), 400, "", "")
		if !strings.Contains(e.Error.Message, `deployment "nope" is not configured`) {
			t.Errorf("an unknown reference: %q", e.Error.Message)
		}

		rec := do(newMux(s, &acmeOps), "/admin/report")
		var raw map[string]json.RawMessage
		decode(t, rec, &raw)
		if string(raw["savings"]) != "null" {
			t.Errorf("savings without a configuration: %s", raw["savings"])
		}
		wantError(t, do(newMux(s, &acmeOps), "/admin/report?reference=strong"), 400, "", "")
	})
}

func approx(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
