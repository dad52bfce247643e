package bandit

import (
	"math"
	"testing"
	"time"

	"switchyard/llm"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func TestContextRoundTrip(t *testing.T) {
	for _, f := range []Features{
		{},
		{Category: llm.CategoryCode, PromptTokens: 499, Language: "en"},
		{Category: llm.CategoryCode, PromptTokens: 500, Language: "de", Turn: 2, Structured: true},
		{Category: llm.CategoryChat, PromptTokens: 9000, Turn: 1},
	} {
		c := ContextOf(f)
		for _, x := range []Context{c, c.Category(), Global} {
			got, ok := ParseContext(x.String())
			if !ok || got != x || !x.valid() {
				t.Errorf("%+v: %q parsed as %v, %v (want %v)", f, x.String(), got, ok, x)
			}
		}
	}
	c := ContextOf(Features{Category: llm.CategoryCode, PromptTokens: 2500, Language: "fr", Turn: 1, Structured: true})
	if got := c.String(); got != "code/<8000/other/later/structured" {
		t.Errorf("String = %q", got)
	}
	if c.Category().String() != "code" || ContextOf(Features{}).Category().String() != "none" {
		t.Errorf("category levels: %q, %q", c.Category(), ContextOf(Features{}).Category())
	}
	for _, bad := range []string{"", "nope", "code/<500/en/first", "code/<500/xx/first/plain", "code/<9/en/first/plain"} {
		if _, ok := ParseContext(bad); ok {
			t.Errorf("ParseContext(%q) accepted", bad)
		}
	}
	k := Key{Route: "auto", Deployment: "d", Tenant: "acme", Context: c}
	if got, ok := ParseKey(k.String()); !ok || got != k {
		t.Errorf("ParseKey(%q) = %+v, %v", k.String(), got, ok)
	}
}

func TestTableDecay(t *testing.T) {
	tab := NewTable(func(string) time.Duration { return time.Hour }, 0)
	k := Key{Route: "r", Deployment: "d", Context: Global}
	tab.Add(k, Counts{Good: 8, Bad: 2}, t0)
	if got := tab.Get(k, t0.Add(time.Hour)); !near(got.Good, 4, 1e-9) || !near(got.Bad, 1, 1e-9) {
		t.Errorf("after one half-life: %+v, want {4 1}", got)
	}
	tab.Add(k, Counts{Good: 1}, t0.Add(2*time.Hour)) // 2 + 1, 0.5
	if got := tab.Get(k, t0.Add(2*time.Hour)); !near(got.Good, 3, 1e-9) || !near(got.Bad, 0.5, 1e-9) {
		t.Errorf("after two half-lives and one good outcome: %+v, want {3 0.5}", got)
	}
	// A late outcome (an hour before the cell's time) arrives decayed.
	tab.Add(k, Counts{Bad: 2}, t0.Add(time.Hour))
	if got := tab.Get(k, t0.Add(2*time.Hour)); !near(got.Bad, 1.5, 1e-9) {
		t.Errorf("late outcome: bad %v, want 1.5", got.Bad)
	}
	// A correction never takes a count below zero.
	tab.Add(k, Counts{Good: -100}, t0.Add(2*time.Hour))
	if got := tab.Get(k, t0.Add(2*time.Hour)); got.Good != 0 {
		t.Errorf("good after an over-large correction = %v", got.Good)
	}
	// Snapshot forgets what decayed to nothing.
	old := Key{Route: "r", Deployment: "old", Context: Global}
	tab.Add(old, Counts{Good: 0.01}, t0)
	s := tab.Snapshot(t0.Add(5 * time.Hour))
	if s.Counts(old).N() != 0 || tab.Len() != 1 {
		t.Errorf("decayed arm kept: %+v, table has %d arms", s.Counts(old), tab.Len())
	}
	if got := s.Counts(k); !near(got.Bad, 1.5/8, 1e-12) {
		t.Errorf("snapshot bad = %v", got.Bad)
	}
}

func TestTableBound(t *testing.T) {
	tab := NewTable(func(string) time.Duration { return 0 }, 2)
	for i, dep := range []string{"a", "b", "c"} {
		ok := tab.Add(Key{Route: "r", Deployment: dep}, Counts{Good: 1}, t0)
		if ok != (i < 2) {
			t.Errorf("Add %s = %v", dep, ok)
		}
	}
	if tab.Refused != 1 || tab.Len() != 2 {
		t.Errorf("refused %d, len %d", tab.Refused, tab.Len())
	}
	if !tab.Add(Key{Route: "r", Deployment: "a"}, Counts{Good: 1}, t0) {
		t.Error("an existing arm was refused")
	}
}

func TestEstimatePooling(t *testing.T) {
	p := Prior{Quality: 0.8, Weight: 10, Pool: 10}
	code := ContextOf(Features{Category: llm.CategoryCode})
	codeLater := ContextOf(Features{Category: llm.CategoryCode, Turn: 1})
	var s *Snapshot
	e := s.Estimate("r", "d", "", code, p)
	if !near(e.Mean(), 0.8, 1e-9) || !near(e.Alpha+e.Beta, 10, 1e-9) || e.Outcomes != 0 {
		t.Fatalf("prior only: %+v", e)
	}
	counts := map[Key]Counts{}
	add := func(tenant string, c Context, good, bad float64) {
		for _, k := range Keys(nil, "r", "d", tenant, c) {
			n := counts[k]
			counts[k] = Counts{n.Good + good, n.Bad + bad}
		}
	}
	add("", code, 10, 90)     // bad at first-turn code
	add("", codeLater, 90, 0) // good at later-turn code
	s = NewSnapshot(t0, counts)
	first, later := s.Estimate("r", "d", "", code, p), s.Estimate("r", "d", "", codeLater, p)
	if first.Mean() > 0.2 || later.Mean() < 0.9 {
		t.Errorf("contexts not told apart: first %.3f later %.3f", first.Mean(), later.Mean())
	}
	if first.Outcomes != 190 || first.ContextOutcomes != 100 || later.ContextOutcomes != 90 {
		t.Errorf("evidence: %+v %+v", first, later)
	}
	// An unseen context of the category backs off to the category mean.
	other := s.Estimate("r", "d", "", ContextOf(Features{Category: llm.CategoryCode, Language: "de"}), p)
	catMean := (10.0*(8+100)/200 + 100) / 200 // pooled global mean lent to the category, plus its counts
	if !near(other.Mean(), catMean, 0.01) || other.Alpha+other.Beta > 10.001 {
		t.Errorf("unseen context: mean %.3f (want ≈%.3f), α+β %.1f", other.Mean(), catMean, other.Alpha+other.Beta)
	}
	// A tenant's posterior starts from the global one and moves with its
	// own outcomes only.
	add("acme", code, 20, 0)
	s = NewSnapshot(t0, counts)
	acme, anyone, beta := s.Estimate("r", "d", "acme", code, p), s.Estimate("r", "d", "", code, p), s.Estimate("r", "d", "beta", code, p)
	if acme.Mean() < 0.6 || acme.TenantOutcomes != 20 {
		t.Errorf("tenant's own outcomes ignored: %+v mean %.3f", acme, acme.Mean())
	}
	if !near(beta.Mean(), anyone.Mean(), 1e-9) {
		t.Errorf("tenant without outcomes %.3f, global %.3f", beta.Mean(), anyone.Mean())
	}
}

func TestNewArmKeepsOthers(t *testing.T) {
	p := Prior{Quality: 0.5, Weight: 10, Pool: 10}
	tab := NewTable(func(string) time.Duration { return 0 }, 0)
	c := ContextOf(Features{Category: llm.CategoryChat})
	for range 50 {
		for _, k := range Keys(nil, "r", "old", "", c) {
			tab.Add(k, Counts{Good: 1}, t0)
		}
	}
	before := tab.Snapshot(t0).Estimate("r", "old", "", c, p)
	for _, k := range Keys(nil, "r", "new", "", c) {
		tab.Add(k, Counts{Bad: 1}, t0)
	}
	s := tab.Snapshot(t0)
	if after := s.Estimate("r", "old", "", c, p); after != before {
		t.Errorf("old arm changed: %+v → %+v", before, after)
	}
	fresh := s.Estimate("r", "newer", "", c, Prior{Quality: 0.9, Weight: 10, Pool: 10})
	if !near(fresh.Mean(), 0.9, 1e-9) {
		t.Errorf("a new arm's estimate %.3f, want its prior 0.9", fresh.Mean())
	}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }
