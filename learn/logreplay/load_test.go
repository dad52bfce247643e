package logreplay

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"

	"switchyard/store"
	"switchyard/store/sqlite"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// decided is a chat row of route whose adaptive scorer chose first among
// dear (static rank 1) and cheap (rank 2), with propensity p.
func decided(id, route, first string, p float64) *store.Request {
	dear := store.Candidate{Deployment: "dear", Tier: 1, Kept: true, PGood: 0.9, CI95: 0.1, Cost: 1, Rank: 1, Outcomes: 40}
	cheap := store.Candidate{Deployment: "cheap", Tier: 1, Kept: true, PGood: 0.8, CI95: 0.15, Cost: 0.1, Static: true, Rank: 2, Outcomes: 4}
	cands := []store.Candidate{dear, cheap}
	if first == "cheap" {
		cands = []store.Candidate{cheap, dear}
	}
	cands[1].Tier = 2
	return &store.Request{
		ID: id, Time: t0, Tenant: "acme", Endpoint: "chat", Route: route, Deployment: first, Status: 200,
		CostUSD: 0.01, Propensity: p,
		Explanation: store.Explanation{
			Scorer: "adaptive", Candidates: append(cands, store.Candidate{Deployment: "o3", Reason: "max_price"}),
			Adaptive: &store.Adaptive{Context: "chat/<500/en/first/plain", Lambda: 0.5, Explore: 0.05, Greedy: "dear"},
		},
	}
}

// loadStore writes a log with every kind of row to a fresh SQLite file.
func loadStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "requests.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rated := decided("r-rated", "auto", "cheap", 0.2)
	plain := decided("r-plain", "auto", "dear", 0.9)
	failed := decided("r-failed", "auto", "dear", 0.9)
	failed.Status, failed.ErrorKind = 502, "upstream"
	implicit := decided("r-implicit", "auto", "dear", 0.9)
	unknown := decided("r-unknown-price", "auto", "dear", 0.9)
	unknown.CostUnknown = true
	static := decided("r-static", "auto", "dear", 1)
	static.Explanation.Adaptive, static.Explanation.Scorer = nil, "static"
	old := decided("r-old", "auto", "dear", 0.9)
	for i := range old.Explanation.Candidates {
		old.Explanation.Candidates[i].Rank, old.Explanation.Candidates[i].CI95 = 0, 0
	}
	bad := decided("r-bad", "auto", "dear", 0)
	dry := decided("r-dry-run", "auto", "dear", 0.9)
	dry.Endpoint = "route"
	other := decided("r-other", "other", "cheap", 0.1)
	// A split's pick: the scorer had it alone, the propensity is the
	// split's weight.
	split := decided("r-split", "other", "dear", 0.7)
	split.Explanation.Candidates[1].Rank = 0
	globex := decided("r-globex", "auto", "dear", 0.9)
	globex.Tenant = "globex"
	before := decided("r-before", "auto", "dear", 0.9)
	before.Time = t0.Add(-48 * time.Hour)
	rows := []*store.Request{rated, plain, failed, implicit, unknown, static, old, bad, dry, other, split, globex, before}
	// More than a page of bulk rows.
	for i := range store.MaxLimit + 5 {
		rows = append(rows, decided(fmt.Sprintf("r-bulk-%04d", i), "bulk", "dear", 0.95))
	}
	ctx := context.Background()
	if err := db.Write(ctx, rows); err != nil {
		t.Fatal(err)
	}
	fb := []*store.Feedback{
		{RequestID: "r-rated", Tenant: "acme", Time: t0, Kind: store.KindRetry, Value: -1, CostUSD: 0.003},
		{RequestID: "r-rated", Tenant: "acme", Time: t0, Kind: store.KindExplicit, Value: 1, CostUSD: 0.02},
		{RequestID: "r-implicit", Tenant: "acme", Time: t0, Kind: store.KindContinued, Value: 0.3},
		{RequestID: "r-other", Tenant: "acme", Time: t0, Kind: store.KindExplicit, Value: 0},
	}
	if err := db.WriteFeedback(ctx, fb); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestLoad: Load turns a tenant's chat rows since a time into decisions by
// route: candidates in the static order rebuilt from the recorded
// estimates, the chosen one and its propensity, the feedback's reward
// (the rating over the implicit signals) and every cost; the rows that
// are no decisions are counted by why.
func TestLoad(t *testing.T) {
	db := loadStore(t)
	log, err := Load(context.Background(), db, Query{Since: t0.Add(-time.Hour), Scope: store.TenantScope("acme")})
	if err != nil {
		t.Fatal(err)
	}
	if log.Requests != 10+store.MaxLimit+5 || log.Skipped != (Skipped{NotAdaptive: 1, NotRecorded: 1, BadPropensity: 1}) || log.CostUnknown != 1 {
		t.Errorf("requests %d, skipped %+v, cost unknown %d", log.Requests, log.Skipped, log.CostUnknown)
	}
	if len(log.Routes) != 3 || log.Routes[0].Route != "auto" || log.Routes[1].Route != "bulk" || log.Routes[2].Route != "other" ||
		len(log.Routes[0].Decisions) != 5 || len(log.Routes[1].Decisions) != store.MaxLimit+5 || len(log.Routes[2].Decisions) != 2 {
		t.Fatalf("routes %+v", routeSizes(log))
	}
	auto := log.Routes[0].Decisions
	var rated *Decision
	for i := range auto {
		if auto[i].Chosen == 1 {
			rated = &auto[i]
		}
	}
	if rated == nil {
		t.Fatal("no decision chose cheap")
	}
	// cheap is rank 2 in the static order; its arm comes back from p_good
	// 0.8 ± 0.15: α+β+1 = 0.8·0.2/(0.15/1.96)².
	n := 0.8*0.2/math.Pow(0.15/z95, 2) - 1
	if rated.Deployments[0] != "dear" || rated.Deployments[1] != "cheap" || rated.Propensity != 0.2 || rated.Lambda != 0.5 ||
		rated.Explore != 0.05 || !rated.Arms[0].Learned || rated.Arms[1].Learned || rated.Arms[1].Cost != 0.1 ||
		math.Abs(rated.Arms[1].Alpha-0.8*n) > 1e-9 || math.Abs(rated.Arms[1].Beta-0.2*n) > 1e-9 {
		t.Errorf("rated decision %+v", *rated)
	}
	if !rated.Rated || rated.Reward != 1 || math.Abs(rated.CostUSD-(0.01+0.003+0.02)) > 1e-12 {
		t.Errorf("the rating wins over the retry, and both costs count: %+v", *rated)
	}
	rewards := map[bool]int{}
	for _, d := range auto {
		rewards[d.Rated]++
	}
	// Rated: r-rated (explicit) and r-implicit (continued); the others
	// have no feedback and are left out by default.
	if rewards[true] != 2 {
		t.Errorf("rated %d of %d", rewards[true], len(auto))
	}
	for _, o := range log.Routes[2].Decisions {
		switch len(o.Arms) {
		case 2:
			if !o.Rated || o.Reward != 0 || o.Propensity != 0.1 || o.Chosen != 1 {
				t.Errorf("route other: %+v", o)
			}
		case 1:
			// Every policy takes the split's pick: weight 1.
			if o.Propensity != 1 || o.Deployments[0] != "dear" || o.Chosen != 0 {
				t.Errorf("a split's pick: %+v", o)
			}
		default:
			t.Errorf("route other: %+v", o)
		}
	}
}

// TestLoadUnrated: a request without feedback counts as Unrated says.
func TestLoadUnrated(t *testing.T) {
	db := loadStore(t)
	for _, c := range []struct {
		u                   Unrated
		plain, failed, cont float64
		counted             int
	}{
		{Unrated{}, -1, -1, 0.65, 2},
		{Unrated{Mode: UnratedImplicit}, 0.5, 0, 0.65, 5},
		{Unrated{Mode: UnratedValue, Value: 0.7}, 0.7, 0.7, 0.65, 5},
	} {
		log, err := Load(context.Background(), db, Query{Since: t0.Add(-time.Hour), Route: "auto", Scope: store.AllTenants(), Unrated: c.u})
		if err != nil {
			t.Fatal(err)
		}
		if len(log.Routes) != 1 || log.Routes[0].Route != "auto" || len(log.Routes[0].Decisions) != 6 {
			t.Fatalf("%s: %+v", c.u, routeSizes(log))
		}
		counted := 0
		for _, d := range log.Routes[0].Decisions {
			if d.Rated {
				counted++
			}
		}
		// globex's row is in scope now: one more unrated decision.
		if want := c.counted + map[bool]int{true: 1}[c.u.Mode != UnratedSkip]; counted != want {
			t.Errorf("%s: %d rated decisions, want %d", c.u, counted, want)
		}
		ev := Evaluate(log.Routes[0].Decisions, nil, Options{})
		if ev.Rated != counted {
			t.Errorf("%s: evaluation rated %d", c.u, ev.Rated)
		}
	}
	checkUnratedRewards(t, db)
}

// checkUnratedRewards checks each row's reward under the implicit rule.
func checkUnratedRewards(t *testing.T, db *sqlite.DB) {
	t.Helper()
	log, err := Load(context.Background(), db, Query{Since: t0.Add(-time.Hour), Route: "auto", Scope: store.TenantScope("acme"),
		Unrated: Unrated{Mode: UnratedImplicit}})
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, d := range log.Routes[0].Decisions {
		sum += d.Reward
	}
	// rated 1, plain 0.5, failed 0, continued 0.65, unknown price 0.5.
	if want := 1 + 0.5 + 0 + 0.65 + 0.5; math.Abs(sum-want) > 1e-12 {
		t.Errorf("sum of rewards %v, want %v", sum, want)
	}
}

func routeSizes(log *Log) map[string]int {
	out := map[string]int{}
	for _, r := range log.Routes {
		out[r.Route] = len(r.Decisions)
	}
	return out
}

// TestParseUnrated: the forms of --unrated.
func TestParseUnrated(t *testing.T) {
	for in, want := range map[string]Unrated{
		"skip": {}, "": {}, "implicit": {Mode: UnratedImplicit}, "0.25": {Mode: UnratedValue, Value: 0.25}, "1": {Mode: UnratedValue, Value: 1},
	} {
		got, err := ParseUnrated(in)
		if err != nil || got != want {
			t.Errorf("ParseUnrated(%q) = %+v, %v", in, got, err)
		}
		if in != "" && got.String() != in {
			t.Errorf("%+v.String() = %q, want %q", got, got.String(), in)
		}
	}
	for _, in := range []string{"1.5", "-0.1", "none", "NaN"} {
		if _, err := ParseUnrated(in); err == nil {
			t.Errorf("ParseUnrated(%q) accepted", in)
		}
	}
}
