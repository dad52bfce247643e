package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// driftRun returns a run of set on dep started at Base + minutes, with n
// results.
func driftRun(id, set, dep string, minutes, n int) *store.DriftRun {
	r := &store.DriftRun{
		ID: id, Set: set, Deployment: dep, Started: Base.Add(time.Duration(minutes) * time.Minute),
		Finished: Base.Add(time.Duration(minutes)*time.Minute + 90*time.Second + 7), Prompts: n,
		CostUSD: 0.125 * float64(n), Verdict: "clean",
	}
	for i := range n {
		res := store.DriftResult{
			PromptID: "p" + string(rune('a'+i%26)), Category: llm.Categories[i%len(llm.Categories)], Expect: "contains",
			Pass: i%3 != 0, Refusal: i%5 == 0, AnswerChars: 100 + i, Latency: time.Duration(i+1) * time.Millisecond, CostUSD: 0.125,
		}
		if i%7 == 6 {
			res.ErrorKind, res.Pass, res.AnswerChars = llm.KindUpstream, false, 0
			r.Errors++
		}
		if res.Pass {
			r.Passed++
		}
		if res.Refusal {
			r.Refused++
		}
		r.Results = append(r.Results, res)
	}
	return r
}

// testDriftRuns: a run and its results read back whole; listing filters,
// orders and limits; a run is written once.
func testDriftRuns(t *testing.T, s store.Store) {
	ctx := context.Background()
	first := driftRun("run_1", "starter", "gpt-4o", 0, 700) // more than one INSERT of results
	first.Verdict = "baseline"
	second := driftRun("run_2", "starter", "gpt-4o", 60, 3)
	second.Verdict = "flagged"
	second.Tests = []store.DriftTest{{Metric: "pass_rate", Category: llm.CategoryCode, Scope: "run", Baseline: 0.9, Current: 0.5,
		BaselineN: 100, CurrentN: 20, Effect: -0.4, Test: "fisher", P: 0.0001, Q: 0.001, Flagged: true}}
	other := driftRun("run_3", "starter", "claude", 30, 2)
	mine := driftRun("run_4", "mine", "gpt-4o", 90, 1)
	for _, r := range []*store.DriftRun{first, second, other, mine} {
		if err := s.WriteDriftRun(ctx, r); err != nil {
			t.Fatalf("WriteDriftRun(%s): %v", r.ID, err)
		}
	}
	if err := s.WriteDriftRun(ctx, driftRun("run_2", "x", "y", 0, 1)); !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("writing run_2 again: %v, want ErrBadQuery", err)
	}
	if err := s.WriteDriftRun(ctx, &store.DriftRun{}); !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("writing a run without an id: %v, want ErrBadQuery", err)
	}
	res, err := s.DriftResults(ctx, "run_1")
	if err != nil || !reflect.DeepEqual(res, first.Results) {
		t.Fatalf("DriftResults(run_1): %d results, %v; want the %d written", len(res), err, len(first.Results))
	}
	if res, err := s.DriftResults(ctx, "nope"); !errors.Is(err, store.ErrNotFound) || res != nil {
		t.Errorf("DriftResults(nope) = %v, %v; want ErrNotFound", res, err)
	}
	runs, err := s.DriftRuns(ctx, store.DriftFilter{Set: "starter", Deployment: "gpt-4o"})
	if err != nil || len(runs) != 2 {
		t.Fatalf("DriftRuns = %v, %v", runs, err)
	}
	want := *second
	want.Results = nil
	if !reflect.DeepEqual(runs[0], &want) || runs[1].ID != "run_1" || runs[1].Results != nil || runs[1].Tests != nil {
		t.Errorf("DriftRuns newest first:\n got %+v\nwant %+v", runs[0], &want)
	}
	for _, tt := range []struct {
		f    store.DriftFilter
		want []string
	}{
		{store.DriftFilter{}, []string{"run_4", "run_2", "run_3", "run_1"}},
		{store.DriftFilter{Oldest: true, Limit: 2}, []string{"run_1", "run_3"}},
		{store.DriftFilter{Deployment: "gpt-4o", Since: Base.Add(time.Minute), Until: Base.Add(90 * time.Minute)}, []string{"run_2"}},
		{store.DriftFilter{Verdict: "baseline"}, []string{"run_1"}},
		{store.DriftFilter{Set: "mine"}, []string{"run_4"}},
	} {
		runs, err := s.DriftRuns(ctx, tt.f)
		if err != nil || !reflect.DeepEqual(driftIDs(runs), tt.want) {
			t.Errorf("DriftRuns(%+v) = %v, %v; want %v", tt.f, driftIDs(runs), err, tt.want)
		}
	}
	if _, err := s.DriftRuns(ctx, store.DriftFilter{Limit: -1}); !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("negative limit: %v", err)
	}
	spend, err := s.DriftSpend(ctx, Base.Add(time.Minute))
	if err != nil || spend != 0.125*(3+2+1) {
		t.Errorf("DriftSpend = %v, %v; want %v", spend, err, 0.125*6)
	}
}

// testDriftPins: pinning replaces the earlier pin of the same set and
// deployment only; a run of another deployment is ErrNotFound and
// changes nothing.
func testDriftPins(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, r := range []*store.DriftRun{
		driftRun("a", "starter", "gpt-4o", 0, 1), driftRun("b", "starter", "gpt-4o", 1, 1),
		driftRun("c", "starter", "gpt-4o", 2, 1), driftRun("d", "starter", "claude", 3, 1),
	} {
		if err := s.WriteDriftRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	pinned := func(dep string) []string {
		runs, err := s.DriftRuns(ctx, store.DriftFilter{Deployment: dep, Pinned: true, Oldest: true})
		if err != nil {
			t.Fatal(err)
		}
		return driftIDs(runs)
	}
	if err := s.PinDriftBaseline(ctx, "starter", "claude", []string{"d"}); err != nil {
		t.Fatal(err)
	}
	if err := s.PinDriftBaseline(ctx, "starter", "gpt-4o", []string{"a", "b", "a"}); err != nil {
		t.Fatal(err)
	}
	if got := pinned("gpt-4o"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("pinned = %v, want a b", got)
	}
	if err := s.PinDriftBaseline(ctx, "starter", "gpt-4o", []string{"c", "d"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("pinning another deployment's run: %v, want ErrNotFound", err)
	}
	if got := pinned("gpt-4o"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("after a failed pin: %v, want a b unchanged", got)
	}
	if err := s.PinDriftBaseline(ctx, "starter", "gpt-4o", []string{"c"}); err != nil {
		t.Fatal(err)
	}
	if got := pinned("gpt-4o"); !reflect.DeepEqual(got, []string{"c"}) {
		t.Errorf("re-pinned = %v, want c", got)
	}
	if err := s.PinDriftBaseline(ctx, "starter", "gpt-4o", nil); err != nil {
		t.Fatal(err)
	}
	if got := pinned("gpt-4o"); len(got) != 0 || !reflect.DeepEqual(pinned("claude"), []string{"d"}) {
		t.Errorf("unpinned gpt-4o: %v; claude's pin %v must stay", got, pinned("claude"))
	}
}

// testSignalRows: the chat rows answered or failed on a deployment, of
// every tenant, newest first, within the range and the limit.
func testSignalRows(t *testing.T, s store.Store) {
	ctx := context.Background()
	var rows []*store.Request
	for i := range 6 {
		r := Sample(i)
		r.Time = Base.Add(time.Duration(i) * time.Minute)
		r.Tenant = []string{"acme", "globex"}[i%2]
		r.Signals = store.Signals{Refusal: i == 2, Truncated: i == 3}
		r.Tokens.Completion, r.Tokens.Reasoning = 50+i, 10
		rows = append(rows, r)
	}
	rows[4].Endpoint = "embeddings"
	rows[5].Deployment = ""
	write(t, s, rows...)
	var got []store.SignalRow
	err := s.SignalRows(ctx, store.SignalQuery{Since: Base, Until: Base.Add(time.Hour)}, func(r *store.SignalRow) error {
		got = append(got, *r)
		return nil
	})
	if err != nil || len(got) != 4 {
		t.Fatalf("SignalRows: %d rows, %v; want 4", len(got), err)
	}
	if got[0].Time != rows[3].Time || got[0].Flags&store.FlagTruncated == 0 || got[0].AnswerTokens != 43 ||
		got[1].Flags&store.FlagRefusal == 0 || got[0].Deployment != rows[3].Deployment || got[0].Route != rows[3].Route {
		t.Errorf("rows = %+v", got)
	}
	n := 0
	stop := errors.New("stop")
	err = s.SignalRows(ctx, store.SignalQuery{Since: Base.Add(time.Minute), Limit: 2}, func(*store.SignalRow) error {
		n++
		return nil
	})
	if err != nil || n != 2 {
		t.Errorf("with a limit of 2: %d rows, %v", n, err)
	}
	if err := s.SignalRows(ctx, store.SignalQuery{Since: Base}, func(*store.SignalRow) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("fn's error: %v", err)
	}
}

func driftIDs(runs []*store.DriftRun) []string {
	out := []string{}
	for _, r := range runs {
		out = append(out, r.ID)
	}
	return out
}

// testDriftRunPages: a run is found by its id; listing pages through
// every run with cursors (After), newest or oldest first, ties in start
// time ordered by id, with filters kept; a cursor not from After is
// ErrBadCursor.
func testDriftRunPages(t *testing.T, s store.Store) {
	ctx := context.Background()
	var all []string
	for i := range 7 {
		r := driftRun(fmt.Sprintf("run_%d", i), "starter", []string{"a", "b"}[i%2], i/2, 1) // pairs share a start
		if err := s.WriteDriftRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		all = append(all, r.ID)
	}
	runs, err := s.DriftRuns(ctx, store.DriftFilter{ID: "run_3"})
	if err != nil || len(runs) != 1 || runs[0].ID != "run_3" || runs[0].Deployment != "b" {
		t.Fatalf("DriftRuns(ID run_3) = %v, %v", driftIDs(runs), err)
	}
	if runs, err := s.DriftRuns(ctx, store.DriftFilter{ID: "nope"}); err != nil || len(runs) != 0 {
		t.Errorf("DriftRuns(ID nope) = %v, %v", driftIDs(runs), err)
	}
	page := func(f store.DriftFilter) []string {
		var got []string
		for range 20 {
			runs, err := s.DriftRuns(ctx, f)
			if err != nil {
				t.Fatalf("DriftRuns(%+v): %v", f, err)
			}
			got = append(got, driftIDs(runs)...)
			if len(runs) < f.Limit {
				return got
			}
			f.Cursor = store.DriftCursor(runs[len(runs)-1])
		}
		t.Fatal("more than 20 pages")
		return nil
	}
	newest := slices.Clone(all)
	slices.SortFunc(newest, func(a, b string) int { // by start, then id, descending
		ia, ib := int(a[4]-'0'), int(b[4]-'0')
		if ia/2 != ib/2 {
			return ib/2 - ia/2
		}
		return strings.Compare(b, a)
	})
	if got := page(store.DriftFilter{Limit: 2}); !slices.Equal(got, newest) {
		t.Errorf("newest first, by pages of 2: %v, want %v", got, newest)
	}
	oldest := slices.Clone(newest)
	slices.Reverse(oldest)
	if got := page(store.DriftFilter{Limit: 3, Oldest: true}); !slices.Equal(got, oldest) {
		t.Errorf("oldest first, by pages of 3: %v, want %v", got, oldest)
	}
	if got := page(store.DriftFilter{Limit: 1, Deployment: "a"}); !slices.Equal(got, []string{"run_6", "run_4", "run_2", "run_0"}) {
		t.Errorf("deployment a, by pages of 1: %v", got)
	}
	for _, c := range []string{"!!", "AAAA"} {
		if _, err := s.DriftRuns(ctx, store.DriftFilter{Cursor: c}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor %q: %v, want ErrBadCursor", c, err)
		}
	}
}
