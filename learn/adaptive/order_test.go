package adaptive

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/learn/bandit"
	"switchyard/store"
)

// TestLateFeedbackCountsFromItsRequest: feedback that arrives a
// half-life late counts as the same feedback given at once would by
// now (decayed from when its request was served), and a correction a
// half-life later cancels what the reward it corrects added: the counts
// do not depend on when, or in what order, the feedback arrived.
func TestLateFeedbackCountsFromItsRequest(t *testing.T) {
	c := newClock()
	prompt, late := newLearner(t, c, Options{}), newLearner(t, c, Options{})
	for _, l := range []*Learner{prompt, late} {
		l.Served(served("x", "cheap", "acme"))
		l.Served(served("z", "cheap", "acme"))
	}
	prompt.Feedback([]*store.Feedback{rating("x", "acme", 1), signal("z", "acme", store.KindContinued, 0.3), rating("z", "acme", 0)})
	late.Feedback([]*store.Feedback{signal("z", "acme", store.KindContinued, 0.3)})
	flush(t, prompt)
	flush(t, late)
	c.Advance(routes["auto"]) // a half-life
	for _, l := range []*Learner{prompt, late} {
		l.Served(served("y", "cheap", "acme"))
		l.Feedback([]*store.Feedback{rating("y", "acme", 0)})
	}
	// x's rating, and z's rating replacing its implicit reward, a
	// half-life late.
	late.Feedback([]*store.Feedback{rating("z", "acme", 0), rating("x", "acme", 1)})
	a, b := flush(t, prompt), flush(t, late)
	want := bandit.Counts{Good: 0.5, Bad: 1.5} // x 1 and z 0, both halved; y 0
	for _, k := range []bandit.Key{key("cheap", "", bandit.Global), key("cheap", "", ctxCode), key("cheap", "acme", ctxCode)} {
		pa, pb := a.Counts(k), b.Counts(k)
		if !near(pa.Good, want.Good) || !near(pa.Bad, want.Bad) || !near(pb.Good, pa.Good) || !near(pb.Bad, pa.Bad) {
			t.Errorf("%v: feedback at once %+v, late %+v; want %+v both", k.Context, pa, pb, want)
		}
	}
}

// gatedStore holds every Get until gate closes; entered receives a value
// as each Get starts.
type gatedStore struct {
	Store
	entered chan struct{}
	gate    chan struct{}
}

func (g *gatedStore) Get(ctx context.Context, scope store.Scope, id string) (*store.Request, error) {
	g.entered <- struct{}{}
	<-g.gate
	return g.Store.Get(ctx, scope, id)
}

// TestRatingBeforeItsRequest: a rating the learner looks up in the store
// (its request not yet applied) while the request's own Served event is
// applied gives the request one outcome, which a later rating corrects;
// not one outcome per path.
func TestRatingBeforeItsRequest(t *testing.T) {
	c := newClock()
	st := openSQLite(t)
	row := &store.Request{
		ID: "req_x", Time: c.Now(), Tenant: "acme", Endpoint: "chat", Route: "auto", Deployment: "dear", Status: 200,
		Explanation: store.Explanation{Adaptive: &store.Adaptive{Context: ctxCode.String(), Greedy: "dear"}},
	}
	if err := st.Write(context.Background(), []*store.Request{row}); err != nil {
		t.Fatal(err)
	}
	gs := &gatedStore{Store: st, entered: make(chan struct{}, 1), gate: make(chan struct{})}
	l := newLearner(t, c, Options{Store: gs})
	l.Feedback([]*store.Feedback{rating("req_x", "acme", 1)})
	<-gs.entered // the look-up is in flight
	l.Served(served("req_x", "dear", "acme"))
	applied := l.m.decisions.WithLabelValues("auto", "exploit")
	for deadline := time.Now().Add(10 * time.Second); testutil.ToFloat64(applied) < 1; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the Served event was not applied")
		}
	}
	close(gs.gate)
	flush(t, l)
	l.Feedback([]*store.Feedback{rating("req_x", "acme", 0)}) // the user changed their mind
	s := flush(t, l)
	for _, k := range []bandit.Key{key("dear", "", bandit.Global), key("dear", "acme", ctxCode)} {
		if got := s.Counts(k); !near(got.Good, 0) || !near(got.Bad, 1) {
			t.Errorf("%v %q: %+v, want one outcome of reward 0", k.Context, k.Tenant, got)
		}
	}
}
