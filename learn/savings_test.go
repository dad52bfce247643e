package learn

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/storetest"
)

// savingsPolicy prices strong at $10 input, $5 cached input, $30 output
// per 1M tokens (reasoning at the output price), cheap at $1, $0.5, $3,
// and leaves mystery's price unknown. Route auto may choose all three;
// solo only strong; pinned-ref's configured reference is cheap.
func savingsPolicy() *SavingsPolicy {
	return &SavingsPolicy{
		Routes: map[string]SavingsRoute{
			"auto":       {Deployments: []string{"cheap", "strong", "mystery"}},
			"solo":       {Deployments: []string{"strong"}},
			"configured": {Deployments: []string{"cheap", "strong"}, Reference: "cheap"},
		},
		Deployments: map[string]*llm.Deployment{
			"strong":  {Name: "strong", InputPricePerM: 10, CachedInputPricePerM: 5, OutputPricePerM: 30},
			"cheap":   {Name: "cheap", InputPricePerM: 1, CachedInputPricePerM: 0.5, OutputPricePerM: 3},
			"mystery": {Name: "mystery", PriceUnknown: true},
		},
	}
}

// savingsRequests writes requests of route on dep, one per tokens, each
// costing cost, served (200), not pinned, cost known and not estimated;
// edit adjusts each before it is written. It returns their ids.
type savingsSeeder struct {
	t  *testing.T
	s  store.Store
	id int
}

func (sd *savingsSeeder) add(route, dep string, cost float64, tokens store.Tokens, edit func(*store.Request)) string {
	sd.t.Helper()
	r := storetest.Sample(sd.id)
	sd.id++
	r.Route, r.Deployment, r.Pinned, r.CostUSD, r.Tokens = route, dep, "", cost, tokens
	r.Status, r.CostUnknown, r.CostEstimated = 200, false, false
	if edit != nil {
		edit(r)
	}
	if err := sd.s.Write(context.Background(), []*store.Request{r}); err != nil {
		sd.t.Fatal(err)
	}
	return r.ID
}

// rate rates the requests ids (1 up, 0 down).
func (sd *savingsSeeder) rate(tenant string, v float64, ids ...string) {
	sd.t.Helper()
	fb := make([]*store.Feedback, len(ids))
	for i, id := range ids {
		fb[i] = &store.Feedback{RequestID: id, Tenant: tenant, Time: storetest.Base.Add(time.Minute), Kind: store.KindExplicit, Value: v}
	}
	if err := sd.s.WriteFeedback(context.Background(), fb); err != nil {
		sd.t.Fatal(err)
	}
}

func savingsOf(t *testing.T, s store.Store, scope store.Scope, q ReportQuery) *Savings {
	t.Helper()
	if q.Policy == nil {
		q.Policy = savingsPolicy()
	}
	rep, err := BuildReport(context.Background(), s, scope, q)
	if err != nil {
		t.Fatal(err)
	}
	return rep.Savings
}

func routeOf(t *testing.T, sv *Savings, route string) *RouteSavings {
	t.Helper()
	for i := range sv.Routes {
		if sv.Routes[i].Route == route {
			return &sv.Routes[i]
		}
	}
	t.Fatalf("no savings for route %s in %+v", route, sv.Routes)
	return nil
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestSavingsPricesTokens: the counted requests' tokens at the
// reference's prices, worked by hand; the requests left out are counted
// by why.
func TestSavingsPricesTokens(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		sd := &savingsSeeder{t: t, s: s}
		// On strong: 600 uncached × $10 + 400 cached × $5 + 400 visible ×
		// $30 + 100 reasoning × $30 = $0.023.
		sd.add("auto", "cheap", 0.001, store.Tokens{Prompt: 1000, CachedRead: 400, Completion: 500, Reasoning: 100}, nil)
		// On strong: 2000 × $10 + 1000 × $30 = $0.05, what it cost.
		sd.add("auto", "strong", 0.05, store.Tokens{Prompt: 2000, Completion: 1000}, nil)
		// Estimated tokens count: 100 × $10 + 10 × $30 = $0.0013.
		sd.add("auto", "cheap", 0.0002, store.Tokens{Prompt: 100, Completion: 10}, func(r *store.Request) { r.CostEstimated = true })
		// Left out: pinned, an unpriced attempt, no tokens (it failed).
		sd.add("auto", "strong", 0.05, store.Tokens{Prompt: 2000, Completion: 1000}, func(r *store.Request) { r.Pinned = "strong" })
		sd.add("auto", "mystery", 0, store.Tokens{Prompt: 2000, Completion: 1000}, func(r *store.Request) { r.CostUnknown = true })
		sd.add("auto", "cheap", 0, store.Tokens{}, func(r *store.Request) { r.Status = 503 })
		// Requests through no route (pinned by model, refused before
		// routing) are in no route's account: counted apart.
		sd.add("", "strong", 0.05, store.Tokens{Prompt: 2000, Completion: 1000}, func(r *store.Request) { r.Pinned = "strong" })
		sd.add("", "", 0, store.Tokens{}, func(r *store.Request) { r.Status = 400 })
		// Another tenant's request is not in acme's savings.
		sd.add("auto", "cheap", 0.5, store.Tokens{Prompt: 9000}, func(r *store.Request) { r.Tenant = "globex" })

		sv := savingsOf(t, s, store.TenantScope("acme"), ReportQuery{})
		r := routeOf(t, sv, "auto")
		if r.Reference != "strong" || r.ReferenceSource != ReferenceDefault || !r.Priced {
			t.Errorf("reference %q (%s, priced %v), want strong by default", r.Reference, r.ReferenceSource, r.Priced)
		}
		if !strings.Contains(r.Why, "most expensive deployment with a known price") || !strings.Contains(r.Why, "mystery") {
			t.Errorf("why = %q; want the default said, and mystery named as unpriced", r.Why)
		}
		want := SavingsAccount{Requests: 6, Counted: 3, Pinned: 1, CostUnknown: 1, NoTokens: 1, Estimated: 1}
		got := r.SavingsAccount
		got.ActualUSD, got.ReferenceUSD, got.SavedUSD, got.SavedShare = 0, 0, 0, 0
		if got != want {
			t.Errorf("counts = %+v\nwant %+v", got, want)
		}
		actual, ref := 0.001+0.05+0.0002, 0.023+0.05+0.0013
		if !near(r.ActualUSD, actual) || !near(r.ReferenceUSD, ref) || !near(r.SavedUSD, ref-actual) || !near(r.SavedShare, (ref-actual)/ref) {
			t.Errorf("actual $%v, reference $%v, saved $%v (%v); want $%v, $%v, $%v", r.ActualUSD, r.ReferenceUSD, r.SavedUSD, r.SavedShare, actual, ref, ref-actual)
		}
		if len(sv.Routes) != 1 || sv.Total != r.SavingsAccount || sv.NoReference != 0 || sv.NoRoute != 2 {
			t.Errorf("total = %+v (%d routes, %d without reference, %d without a route); want the one route's, and 2 without a route", sv.Total, len(sv.Routes), sv.NoReference, sv.NoRoute)
		}
		all := savingsOf(t, s, store.AllTenants(), ReportQuery{})
		if r := routeOf(t, all, "auto"); r.Requests != 7 || !near(r.ActualUSD, actual+0.5) {
			t.Errorf("all tenants: %d requests, $%v actual; want globex's too", r.Requests, r.ActualUSD)
		}
	})
}

// TestSavingsReference: an override beats the configured reference,
// which beats the default; a route with one deployment saves nothing
// and has nothing to compare; an unpriced or missing reference leaves
// the route out of the total.
func TestSavingsReference(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		sd := &savingsSeeder{t: t, s: s}
		tok := store.Tokens{Prompt: 1000, Completion: 100} // strong $0.013, cheap $0.0013
		sd.add("auto", "cheap", 0.0013, tok, nil)
		sd.add("configured", "strong", 0.013, tok, nil)
		sd.add("solo", "strong", 0.013, tok, nil)
		sd.add("gone", "strong", 0.013, tok, nil) // a route no longer configured

		sv := savingsOf(t, s, store.AllTenants(), ReportQuery{})
		if r := routeOf(t, sv, "configured"); r.Reference != "cheap" || r.ReferenceSource != ReferenceConfig ||
			!near(r.ReferenceUSD, 0.0013) || !near(r.SavedUSD, 0.0013-0.013) || !strings.Contains(r.Why, "routes.configured.reference") {
			t.Errorf("configured: %+v; want cheap from the config, a negative saving", r)
		}
		solo := routeOf(t, sv, "solo")
		if solo.Reference != "strong" || !near(solo.SavedUSD, 0) || solo.Quality != QualityTooFew || !strings.Contains(solo.QualityText, "only strong answered") {
			t.Errorf("solo: %+v; want strong, nothing saved, nothing to compare", solo)
		}
		if g := routeOf(t, sv, "gone"); g.Reference != "" || g.ReferenceSource != ReferenceNone || g.Priced || !strings.Contains(g.Why, "not in the configuration") {
			t.Errorf("gone: %+v; want no reference", g)
		}
		if sv.NoReference != 1 || sv.Total.Requests != 3 || !near(sv.Total.ActualUSD, 0.0013+0.013+0.013) {
			t.Errorf("total %+v, %d without reference; want the three referenced routes", sv.Total, sv.NoReference)
		}

		over := savingsOf(t, s, store.AllTenants(), ReportQuery{References: map[string]string{"": "strong", "auto": "mystery"}})
		if r := routeOf(t, over, "configured"); r.Reference != "strong" || r.ReferenceSource != ReferenceOverride || !near(r.SavedUSD, 0) {
			t.Errorf("configured, overridden for every route: %+v", r)
		}
		if r := routeOf(t, over, "gone"); r.Reference != "strong" || !r.Priced || !near(r.ReferenceUSD, 0.013) {
			t.Errorf("gone, overridden: %+v", r)
		}
		if r := routeOf(t, over, "auto"); r.Reference != "mystery" || r.Priced || r.ReferenceUSD != 0 || !strings.Contains(r.Why, "no known price") {
			t.Errorf("auto, overridden with an unpriced deployment: %+v", r)
		}
		if over.NoReference != 1 || over.Total.Requests != 3 {
			t.Errorf("overridden total %+v, %d without reference", over.Total, over.NoReference)
		}

		for _, refs := range []map[string]string{{"": "nope"}, {"nope": "strong"}} {
			_, err := BuildReport(context.Background(), s, store.AllTenants(), ReportQuery{Policy: savingsPolicy(), References: refs})
			if !errors.Is(err, store.ErrBadQuery) {
				t.Errorf("reference %v: %v, want ErrBadQuery", refs, err)
			}
		}
		if _, err := BuildReport(context.Background(), s, store.AllTenants(), ReportQuery{References: map[string]string{"": "strong"}}); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("a reference without a policy: %v, want ErrBadQuery", err)
		}
		if rep, err := BuildReport(context.Background(), s, store.AllTenants(), ReportQuery{}); err != nil || rep.Savings != nil {
			t.Errorf("no policy: savings %+v, %v; want none", rep.Savings, err)
		}
	})
}

// TestSavingsDefaultIsDearestForTheTraffic: the default reference is the
// deployment the traffic costs most on, not the one of the highest list
// price.
func TestSavingsDefaultIsDearestForTheTraffic(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		p := savingsPolicy()
		p.Deployments["reader"] = &llm.Deployment{Name: "reader", InputPricePerM: 20, OutputPricePerM: 1} // list 21 < strong's 40
		p.Routes["auto"] = SavingsRoute{Deployments: []string{"cheap", "strong", "reader"}}
		sd := &savingsSeeder{t: t, s: s}
		sd.add("auto", "cheap", 0.001, store.Tokens{Prompt: 10000, Completion: 10}, nil) // reader $0.20001, strong $0.1003
		r := routeOf(t, savingsOf(t, s, store.AllTenants(), ReportQuery{Policy: p}), "auto")
		if r.Reference != "reader" || !near(r.ReferenceUSD, 0.20001) || !strings.Contains(r.Why, "at strong's, the next") {
			t.Errorf("reference %s ($%v): %s; want reader, the dearest for prompt-heavy traffic", r.Reference, r.ReferenceUSD, r.Why)
		}
	})
}

// TestSavingsQuality: the reference's satisfaction beside the others',
// with the report's min_outcomes and the verdicts it allows.
func TestSavingsQuality(t *testing.T) {
	tok := store.Tokens{Prompt: 100, Completion: 10}
	cases := []struct {
		name                 string
		refUp, refDown       int
		otherUp, otherDown   int
		minOutcomes          int64
		want, wantText       string
		refOutcomes, outcome int64
	}{
		{"too few", 5, 1, 5, 1, 30, QualityTooFew, "too few outcomes to compare: 6 on strong, 6 on the others; 30 each needed", 6, 6},
		{"no drop", 32, 8, 30, 10, 30, QualityNoDrop, "no drop detected", 40, 40},
		{"lower", 36, 4, 16, 24, 30, QualityLower, "dropped: the others' satisfaction, 0.40 [", 40, 40},
		// 0.75 [0.60, 0.86] against 0.95 [0.83, 0.99]: below the mean,
		// yet the intervals overlap.
		{"possible drop", 38, 2, 30, 10, 30, QualityPossibleDrop, "a possible drop: the others' satisfaction, 0.75 [0.60, 0.86] over 40 outcomes, is below strong's 0.95, but the intervals overlap", 40, 40},
		// 0.80 [0.65, 0.90] against 0.95 [0.83, 0.99]: the same, closer.
		{"possible drop, closer", 38, 2, 32, 8, 30, QualityPossibleDrop, "a possible drop", 40, 40},
		{"higher", 16, 24, 36, 4, 30, QualityHigher, "the others did better", 40, 40},
		{"reference unmeasured", 0, 0, 36, 4, 30, QualityTooFew, "strong answered none of the route's requests", 0, 40},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := backends()["sqlite"](t)
			sd := &savingsSeeder{t: t, s: s}
			seed := func(dep string, n int, v float64) {
				ids := make([]string, n)
				for i := range ids {
					ids[i] = sd.add("auto", dep, 0.001, tok, nil)
				}
				if n > 0 {
					sd.rate("acme", v, ids...)
				}
			}
			seed("strong", c.refUp, 1)
			seed("strong", c.refDown, 0)
			seed("cheap", c.otherUp, 1)
			seed("cheap", c.otherDown, 0)
			r := routeOf(t, savingsOf(t, s, store.AllTenants(), ReportQuery{MinOutcomes: c.minOutcomes}), "auto")
			if r.Quality != c.want || !strings.Contains(r.QualityText, c.wantText) {
				t.Errorf("verdict %s: %q; want %s, %q", r.Quality, r.QualityText, c.want, c.wantText)
			}
			if r.ReferenceScore.Outcomes != c.refOutcomes || r.OthersScore.Outcomes != c.outcome {
				t.Errorf("outcomes %d and %d, want %d and %d", r.ReferenceScore.Outcomes, r.OthersScore.Outcomes, c.refOutcomes, c.outcome)
			}
			if c.refUp+c.refDown > 0 && !near(r.ReferenceScore.Satisfaction, float64(c.refUp)/float64(c.refUp+c.refDown)) {
				t.Errorf("reference satisfaction %v", r.ReferenceScore.Satisfaction)
			}
		})
	}
}
