package drift

import (
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

func results(n int, pass func(i int) bool, chars func(i int) int, cat func(i int) llm.Category) []store.DriftResult {
	out := make([]store.DriftResult, n)
	for i := range out {
		out[i] = store.DriftResult{
			PromptID: string(rune('A'+i%50)) + string(rune('a'+i/50)), Category: cat(i), Expect: string(KindContains),
			Pass: pass(i), AnswerChars: chars(i), Latency: time.Duration(100+i) * time.Millisecond,
		}
	}
	return out
}

func TestHistoryBaselineAndWindow(t *testing.T) {
	o := Options{BaselineRuns: 2, Window: 3}
	var h History
	run := results(20, func(int) bool { return true }, func(i int) int { return 100 + i }, func(int) llm.Category { return llm.CategoryCode })
	if h.Compare(run, o) != nil {
		t.Fatal("compared without a baseline")
	}
	for h.NeedsBaseline(o) {
		h.AddBaseline(run)
	}
	if len(h.Baseline) != 2 {
		t.Fatalf("baseline of %d runs", len(h.Baseline))
	}
	for range 5 {
		h.AddCompared(run, o)
	}
	if len(h.Recent) != 2 {
		t.Errorf("window keeps %d earlier runs, want 2", len(h.Recent))
	}
	tests := h.Compare(run, o)
	scopes := map[string]int{}
	for _, x := range tests {
		scopes[x.Scope]++
		if x.Category != "" {
			t.Errorf("a one-category set got a per-category test: %+v", x)
		}
	}
	// pass and refusal rates for run and window, length and latency once.
	if scopes[ScopeRun] != 4 || scopes[ScopeWindow] != 2 {
		t.Errorf("tests by scope %v", scopes)
	}
	pinned := History{Pinned: true, Baseline: [][]store.DriftResult{run}}
	if pinned.NeedsBaseline(o) {
		t.Error("a pinned baseline grows")
	}
}

// Answers 30% longer on every prompt are flagged by the length test
// even though prompts' lengths differ tenfold: lengths are compared
// relative to each prompt's baseline median.
func TestLengthIsComparedPerPrompt(t *testing.T) {
	o := Options{BaselineRuns: 1}
	cats := func(i int) llm.Category { return llm.Categories[i%7] }
	base := results(100, func(int) bool { return true }, func(i int) int { return 50 * (1 + i%10) }, cats)
	longer := results(100, func(int) bool { return true }, func(i int) int { return 65 * (1 + i%10) }, cats)
	h := History{Baseline: [][]store.DriftResult{base}}
	c := &Comparison{Tests: h.Compare(longer, o)}
	Decide([]*Comparison{c}, o)
	var length *store.DriftTest
	for i := range c.Tests {
		if c.Tests[i].Metric == MetricAnswerLength {
			length = &c.Tests[i]
		}
	}
	if length == nil || !length.Flagged || length.Effect < 0.29 || length.Effect > 0.31 || VerdictOf(c.Tests, o) != VerdictFlagged {
		t.Fatalf("length test %+v", length)
	}
	same := &Comparison{Tests: h.Compare(base, o)}
	Decide([]*Comparison{same}, o)
	if v := VerdictOf(same.Tests, o); v != VerdictClean {
		t.Errorf("the baseline against itself: %s", v)
	}
}

func TestDecideNeedsEffectAndSignificance(t *testing.T) {
	o := Options{}.WithDefaults()
	c := &Comparison{Tests: []store.DriftTest{
		{Metric: MetricPassRate, Effect: -0.2, P: 1e-9},                              // flagged
		{Metric: MetricPassRate, Effect: -0.01, P: 1e-9},                             // too small
		{Metric: MetricRefusalRate, Effect: 0.1, P: 0.01},                            // not significant after correction
		{Metric: MetricAnswerLength, Effect: -0.4, P: 1e-6},                          // shorter counts too
		{Metric: MetricLatency, Effect: -0.5, P: 1e-9},                               // faster is no alarm
		{Metric: MetricRefusalRate, Effect: -0.1, P: 1e-9},                           // fewer refusals is no alarm
		{Metric: MetricLatency, Effect: 0.5, P: 1e-9, Baseline: 1e9, Current: 1.5e9}, // 500ms slower
		{Metric: MetricLatency, Effect: 0.5, P: 1e-9, Baseline: 2e6, Current: 3e6},   // 1ms slower is noise
	}}
	Decide([]*Comparison{c}, o)
	want := []bool{true, false, false, true, false, false, true, false}
	for i, w := range want {
		if c.Tests[i].Flagged != w {
			t.Errorf("test %d %+v: flagged %v, want %v", i, c.Tests[i], c.Tests[i].Flagged, w)
		}
	}
	if VerdictOf(c.Tests[2:3], o) != VerdictWatch || VerdictOf(nil, o) != VerdictClean {
		t.Error("verdicts")
	}
	if d := Describe(&c.Tests[0]); d == "" {
		t.Error("no description")
	}
}

func TestComplete(t *testing.T) {
	o := Options{}.WithDefaults()
	rs := make([]store.DriftResult, 10)
	if !Complete(rs, o) || Complete(nil, o) {
		t.Error("Complete")
	}
	for i := range 3 {
		rs[i].ErrorKind = llm.KindUpstream
	}
	if Complete(rs, o) {
		t.Error("a run with 30% errors is complete")
	}
}

// IgnoreLatency leaves the latency test out, and with it the verdict a
// slower run would get: answers a second slower on every prompt are
// flagged, unless latency is ignored (the demo's loopback timings).
func TestIgnoreLatency(t *testing.T) {
	cats := func(i int) llm.Category { return llm.Categories[i%7] }
	base := results(100, func(int) bool { return true }, func(i int) int { return 100 + i }, cats)
	slower := results(100, func(int) bool { return true }, func(i int) int { return 100 + i }, cats)
	for i := range slower {
		slower[i].Latency += time.Second
	}
	h := History{Baseline: [][]store.DriftResult{base}}
	for _, ignore := range []bool{false, true} {
		o := Options{BaselineRuns: 1, IgnoreLatency: ignore}
		c := &Comparison{Tests: h.Compare(slower, o)}
		Decide([]*Comparison{c}, o)
		latency := 0
		for _, x := range c.Tests {
			if x.Metric == MetricLatency {
				latency++
			}
		}
		want, verdict := 1, VerdictFlagged
		if ignore {
			want, verdict = 0, VerdictClean
		}
		if latency != want || VerdictOf(c.Tests, o) != verdict {
			t.Errorf("IgnoreLatency %v: %d latency tests, verdict %s; want %d, %s", ignore, latency, VerdictOf(c.Tests, o), want, verdict)
		}
	}
}
