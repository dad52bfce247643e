package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"switchyard/store"
)

// The feedback tests of the conformance suite (run by Run).

func writeFeedback(t *testing.T, s store.Store, rows ...*store.Feedback) {
	t.Helper()
	if err := s.WriteFeedback(context.Background(), rows); err != nil {
		t.Fatalf("WriteFeedback: %v", err)
	}
}

func listFeedback(t *testing.T, s store.Store, scope store.Scope, f store.FeedbackFilter) store.FeedbackPage {
	t.Helper()
	p, err := s.ListFeedback(context.Background(), scope, f)
	if err != nil {
		t.Fatalf("ListFeedback(%+v): %v", f, err)
	}
	return p
}

// SampleFeedback returns a feedback row of kind on the request id of
// tenant acme, given at Base plus i seconds.
func SampleFeedback(id string, kind store.FeedbackKind, i int) *store.Feedback {
	f := &store.Feedback{RequestID: id, Tenant: "acme", Time: Base.Add(time.Duration(i) * time.Second), Kind: kind}
	switch kind {
	case store.KindExplicit:
		score := 0.75
		f.Value, f.Tags, f.CostUSD = score, []string{"too_long", "wrong-format"}, 0.02
		f.Evidence = store.Evidence{Score: &score}
	case store.KindRetry, store.KindRegenerate:
		f.Value, f.CostUSD = -1, 0.0031
		f.Evidence = store.Evidence{By: "req_later", GapMs: 4200, Match: "last_message"}
	case store.KindContinued:
		f.Value = 0.3
		f.Evidence = store.Evidence{By: "req_later", GapMs: 61000, Match: "extends", MessagesAdded: 2}
	case store.KindAbandoned:
		f.Value = -0.5
		f.Evidence = store.Evidence{Stream: true, AfterMs: 850, AnswerChars: 120}
	case store.KindFormatFailed:
		f.Value = -1
		f.Evidence = store.Evidence{InvalidToolCalls: 2}
	default:
		f.Value = -0.5
	}
	return f
}

func testFeedbackRoundTrip(t *testing.T, s store.Store) {
	var want []*store.Feedback
	for i, k := range store.FeedbackKinds {
		f := SampleFeedback("req_00000001", k, i)
		f.Time = f.Time.Add(123 * time.Nanosecond)
		want = append(want, f)
	}
	writeFeedback(t, s, want...)
	got := listFeedback(t, s, store.TenantScope("acme"), store.FeedbackFilter{RequestID: "req_00000001"}).Feedback
	slices.Reverse(want) // newest first
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListFeedback =\n%s\nwant\n%s", feedbackString(got), feedbackString(want))
	}
	kind := listFeedback(t, s, store.TenantScope("acme"), store.FeedbackFilter{Kind: store.KindContinued}).Feedback
	if len(kind) != 1 || kind[0].Kind != store.KindContinued {
		t.Errorf("ListFeedback(kind continued) = %s", feedbackString(kind))
	}
	err := s.WriteFeedback(context.Background(), []*store.Feedback{{RequestID: "req_x", Kind: "liked", Time: Base}})
	if !errors.Is(err, store.ErrBadQuery) {
		t.Errorf("WriteFeedback(unknown kind) error = %v, want ErrBadQuery", err)
	}
	for _, f := range []store.FeedbackFilter{{Kind: "liked"}, {Limit: -1}, {Since: Base, Until: Base.Add(-1)}} {
		if _, err := s.ListFeedback(context.Background(), store.AllTenants(), f); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("ListFeedback(%+v) error = %v, want ErrBadQuery", f, err)
		}
	}
	if _, err := s.ListFeedback(context.Background(), store.AllTenants(), store.FeedbackFilter{Cursor: "!!"}); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("ListFeedback(bad cursor) error = %v, want ErrBadCursor", err)
	}
	// A cursor of the request listing is not one of this listing.
	requestCursor := store.Cursor{Time: Base, ID: "req_00000001"}.Encode()
	if _, err := s.ListFeedback(context.Background(), store.AllTenants(), store.FeedbackFilter{Cursor: requestCursor}); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("ListFeedback(a request cursor) error = %v, want ErrBadCursor", err)
	}
}

// testFeedbackLastRatingCounts: a second explicit rating replaces the
// first, within a batch and across batches; a second implicit row of a
// kind is skipped.
func testFeedbackLastRatingCounts(t *testing.T, s store.Store) {
	first := SampleFeedback("req_00000001", store.KindExplicit, 1)
	second := SampleFeedback("req_00000001", store.KindExplicit, 2)
	second.Value, second.Tags, second.CostUSD, second.Evidence = 0, nil, 0, store.Evidence{Thumbs: "down"}
	third := SampleFeedback("req_00000001", store.KindExplicit, 3)
	third.Value, third.Tags, third.Evidence = 1, []string{"great"}, store.Evidence{Thumbs: "up"}
	retry := SampleFeedback("req_00000001", store.KindRetry, 1)
	again := SampleFeedback("req_00000001", store.KindRetry, 5)
	again.Evidence.By = "req_even_later"
	writeFeedback(t, s, first, retry)
	writeFeedback(t, s, second, third, again)
	got := listFeedback(t, s, store.AllTenants(), store.FeedbackFilter{RequestID: "req_00000001"}).Feedback
	if want := []*store.Feedback{third, retry}; !reflect.DeepEqual(got, want) {
		t.Errorf("after two batches of ratings: %s\nwant %s", feedbackString(got), feedbackString(want))
	}
}

func testFeedbackTenantIsolation(t *testing.T, s store.Store) {
	a := SampleFeedback("req_00000001", store.KindExplicit, 1)
	b := SampleFeedback("req_00000002", store.KindExplicit, 2)
	b.Tenant = "globex"
	writeFeedback(t, s, a, b)
	for tenant, want := range map[string][]string{"acme": {"req_00000001"}, "globex": {"req_00000002"}, "": nil} {
		got := feedbackIDs(listFeedback(t, s, store.TenantScope(tenant), store.FeedbackFilter{}).Feedback)
		if !slices.Equal(got, want) {
			t.Errorf("tenant %q ListFeedback = %v, want %v", tenant, got, want)
		}
		other := listFeedback(t, s, store.TenantScope(tenant), store.FeedbackFilter{RequestID: "req_00000002"}).Feedback
		if tenant != "globex" && len(other) != 0 {
			t.Errorf("tenant %q sees globex's feedback: %s", tenant, feedbackString(other))
		}
	}
	if got := listFeedback(t, s, store.AllTenants(), store.FeedbackFilter{}).Feedback; len(got) != 2 {
		t.Errorf("all tenants ListFeedback = %s, want 2 rows", feedbackString(got))
	}
}

// testFeedbackPagination pages through rows sharing timestamps while new
// rows arrive: every row comes once, in order.
func testFeedbackPagination(t *testing.T, s store.Store) {
	var rows []*store.Feedback
	for i := range 11 {
		f := SampleFeedback(fmt.Sprintf("req_%08d", i/3), store.FeedbackKinds[i%len(store.FeedbackKinds)], 0)
		f.Time = Base.Add(time.Duration(i/4) * time.Second)
		rows = append(rows, f)
	}
	writeFeedback(t, s, rows...)
	all := listFeedback(t, s, store.TenantScope("acme"), store.FeedbackFilter{Limit: 100}).Feedback
	if len(all) != len(rows) {
		t.Fatalf("one page of all: %d rows, want %d", len(all), len(rows))
	}
	var got []*store.Feedback
	f := store.FeedbackFilter{Limit: 3}
	for page := 0; ; page++ {
		if page > 10 {
			t.Fatal("pagination does not end")
		}
		p := listFeedback(t, s, store.TenantScope("acme"), f)
		got = append(got, p.Feedback...)
		writeFeedback(t, s, SampleFeedback(fmt.Sprintf("req_new_%d", page), store.KindRefusal, 3600))
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	if !reflect.DeepEqual(got, all) {
		t.Errorf("pages = %s\nwant %s", feedbackString(got), feedbackString(all))
	}
}

// testOutcomes: each chat request of the range and scope, with its
// feedback summed.
func testOutcomes(t *testing.T, s store.Store) {
	rows := make([]*store.Request, 6)
	for i := range rows {
		rows[i] = Sample(i)
		rows[i].CostUSD = float64(i+1) / 1000
		rows[i].Tokens.Prompt = 100 * (i + 1)
	}
	rows[1].Pinned = "gpt-4o-mini"
	rows[3].Endpoint = "embeddings"
	rows[4].Tenant = "globex"
	rows[5].Time = Base.Add(time.Hour)
	// Refusals passed over: row 2's first call; of row 0's two refusals
	// the second, kept as the answer, served and is not listed.
	refused := func(dep string, cost float64) store.Attempt {
		return store.Attempt{Deployment: dep, Outcome: store.OutcomeRefused, CostUSD: cost}
	}
	rows[2].Attempts = []store.Attempt{refused("gpt-4o-mini", 0.0004), {Deployment: rows[2].Deployment, Outcome: store.OutcomeOK}}
	rows[0].Attempts = []store.Attempt{refused("gemini-2.5-flash", 0.0002), refused(rows[0].Deployment, 0.0003)}
	write(t, s, rows...)
	score := SampleFeedback("req_00000000", store.KindExplicit, 1) // 0.75, correction 0.02
	retry := SampleFeedback("req_00000000", store.KindRetry, 2)    // -1, re-prompt 0.0031
	cont := SampleFeedback("req_00000001", store.KindContinued, 3) // 0.3
	refusal := SampleFeedback("req_00000001", store.KindRefusal, 3)
	other := SampleFeedback("req_00000004", store.KindExplicit, 3)
	other.Tenant = "globex"
	writeFeedback(t, s, score, retry, cont, refusal, other)
	got := map[string]store.Outcome{}
	err := s.Outcomes(context.Background(), store.TenantScope("acme"), store.OutcomeQuery{Since: Base, Until: Base.Add(time.Minute)},
		func(o *store.Outcome) error { got[o.RequestID] = *o; return nil })
	if err != nil {
		t.Fatalf("Outcomes: %v", err)
	}
	out := func(i int) store.Outcome {
		r := rows[i]
		return store.Outcome{RequestID: r.ID, Time: r.Time, Route: r.Route, Category: string(r.Category),
			Deployment: r.Deployment, Pinned: r.Pinned, CostUSD: r.CostUSD, Tokens: r.Tokens,
			CostUnknown: r.CostUnknown, CostEstimated: r.CostEstimated}
	}
	want := map[string]store.Outcome{"req_00000000": out(0), "req_00000001": out(1), "req_00000002": out(2)}
	o := want["req_00000002"]
	o.Refused = []store.RefusedCall{{Deployment: "gpt-4o-mini", CostUSD: 0.0004}}
	want["req_00000002"] = o
	o = want["req_00000000"]
	o.Refused = []store.RefusedCall{{Deployment: "gemini-2.5-flash", CostUSD: 0.0002}}
	o.Kinds = store.KindExplicit.Bit() | store.KindRetry.Bit()
	o.Explicit, o.CorrectionUSD, o.Implicit, o.ImplicitN, o.RepromptUSD = 0.75, 0.02, -1, 1, 0.0031
	want["req_00000000"] = o
	o = want["req_00000001"]
	o.Kinds = store.KindContinued.Bit() | store.KindRefusal.Bit()
	o.Implicit, o.ImplicitN = -0.2, 2
	want["req_00000001"] = o
	if len(got) != len(want) {
		t.Fatalf("Outcomes = %+v\nwant %+v", got, want)
	}
	for id, w := range want {
		g := got[id]
		if math.Abs(g.Implicit-w.Implicit) > 1e-12 {
			t.Errorf("%s: implicit sum %v, want %v", id, g.Implicit, w.Implicit)
		}
		g.Implicit = w.Implicit
		if !reflect.DeepEqual(g, w) {
			t.Errorf("Outcome %s =\n%+v\nwant\n%+v", id, g, w)
		}
	}
	stop := errors.New("stop")
	n := 0
	err = s.Outcomes(context.Background(), store.AllTenants(), store.OutcomeQuery{}, func(*store.Outcome) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Outcomes stopped by fn: %v after %d calls, want stop after 1", err, n)
	}
	n = 0
	var order []store.Outcome
	if err := s.Outcomes(context.Background(), store.AllTenants(), store.OutcomeQuery{}, func(o *store.Outcome) error {
		n++
		order = append(order, *o)
		return nil
	}); err != nil || n != 5 {
		t.Errorf("Outcomes of all tenants, no range: %d, %v; want the 5 chat requests", n, err)
	}
	for i := 1; i < len(order); i++ {
		a, b := order[i-1], order[i]
		if a.Time.Before(b.Time) || (a.Time.Equal(b.Time) && a.RequestID < b.RequestID) {
			t.Errorf("Outcomes not newest first (ties by id, descending): %s at %v before %s at %v", a.RequestID, a.Time, b.RequestID, b.Time)
		}
	}
}

func testFeedbackRetention(t *testing.T, s store.Store) {
	old := SampleFeedback("req_00000001", store.KindExplicit, 0)
	fresh := SampleFeedback("req_00000002", store.KindExplicit, 7200)
	writeFeedback(t, s, old, fresh)
	if _, err := s.DeleteBefore(context.Background(), Base.Add(time.Hour)); err != nil {
		t.Fatalf("DeleteBefore: %v", err)
	}
	got := feedbackIDs(listFeedback(t, s, store.AllTenants(), store.FeedbackFilter{}).Feedback)
	if !slices.Equal(got, []string{"req_00000002"}) {
		t.Errorf("feedback after DeleteBefore = %v, want only the fresh row", got)
	}
}

func feedbackIDs(rows []*store.Feedback) []string {
	var out []string
	for _, f := range rows {
		out = append(out, f.RequestID)
	}
	return out
}

func feedbackString(rows []*store.Feedback) string {
	s := ""
	for _, f := range rows {
		s += fmt.Sprintf("\n  %+v", *f)
	}
	return s
}
