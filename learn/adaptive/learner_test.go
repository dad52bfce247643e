package adaptive

import (
	"context"
	"math"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"

	"switchyard/learn/bandit"
	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/sqlite"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// clock is a settable clock safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var (
	ctxCode = bandit.ContextOf(bandit.Features{Category: llm.CategoryCode, PromptTokens: 100})
	routes  = map[string]time.Duration{"auto": 24 * time.Hour}
)

func newLearner(t *testing.T, c *clock, opts Options) *Learner {
	t.Helper()
	if opts.HalfLife == nil {
		opts.HalfLife = routes
	}
	opts.Now = c.Now
	l := New(context.Background(), opts)
	t.Cleanup(func() { l.Close(context.Background()) })
	return l
}

func flush(t *testing.T, l *Learner) *bandit.Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := l.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	return l.Snapshot()
}

func key(dep, tenant string, c bandit.Context) bandit.Key {
	return bandit.Key{Route: "auto", Deployment: dep, Tenant: tenant, Context: c}
}

func served(id, dep, tenant string) Served {
	return Served{RequestID: id, Route: "auto", Deployment: dep, Tenant: tenant, Context: ctxCode, Answered: true}
}

func rating(id, tenant string, v float64) *store.Feedback {
	return &store.Feedback{RequestID: id, Tenant: tenant, Kind: store.KindExplicit, Value: v}
}

func signal(id, tenant string, k store.FeedbackKind, w float64) *store.Feedback {
	return &store.Feedback{RequestID: id, Tenant: tenant, Kind: k, Value: w}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestCredit: a request gives one outcome whose reward follows
// learn.Reward's rule; a later rating corrects it rather than adding a
// second one; requests without feedback, failed ones and other routes
// give none.
func TestCredit(t *testing.T) {
	c := newClock()
	l := newLearner(t, c, Options{})
	l.Served(served("r1", "cheap", "acme"))
	l.Served(served("r2", "cheap", ""))
	l.Served(served("r3", "cheap", "acme"))
	failed := served("r4", "cheap", "acme")
	failed.Answered = false
	l.Served(failed)
	other := served("r5", "cheap", "acme")
	other.Route = "static"
	l.Served(other)
	l.Feedback([]*store.Feedback{signal("r1", "acme", store.KindContinued, 0.3)}) // 0.65
	l.Feedback([]*store.Feedback{signal("r2", "", store.KindRetry, -1)})          // 0
	l.Feedback([]*store.Feedback{signal("r4", "acme", store.KindRetry, -1), signal("r5", "acme", store.KindRetry, -1)})
	s := flush(t, l)
	full := s.Counts(key("cheap", "", ctxCode))
	if !near(full.Good, 0.65) || !near(full.Bad, 1.35) {
		t.Fatalf("after two outcomes: %+v, want {0.65 1.35}", full)
	}
	for _, k := range []bandit.Key{key("cheap", "", bandit.Global), key("cheap", "", ctxCode.Category())} {
		if got := s.Counts(k); got != full {
			t.Errorf("%v: %+v, want %+v", k.Context, got, full)
		}
	}
	if got := s.Counts(key("cheap", "acme", ctxCode)); !near(got.Good, 0.65) || !near(got.Bad, 0.35) {
		t.Errorf("acme's own: %+v", got)
	}
	// A rating replaces r1's implicit reward: still two outcomes.
	l.Feedback([]*store.Feedback{rating("r1", "acme", 0)})
	// A second signal on r3 adds to the first.
	l.Feedback([]*store.Feedback{signal("r3", "acme", store.KindContinued, 0.3)})
	l.Feedback([]*store.Feedback{signal("r3", "acme", store.KindFormatFailed, -1)}) // 0.5 + 0.5(−0.7) = 0.15
	s = flush(t, l)
	full = s.Counts(key("cheap", "", ctxCode))
	if !near(full.Good, 0.15) || !near(full.N(), 3) {
		t.Errorf("after the corrections: %+v, want good 0.15 over 3", full)
	}
	if l.tab.Len() != 4 {
		t.Errorf("%d arms, want 4 (global, category, context, acme)", l.tab.Len())
	}
}

// TestCreditFromStore: a rating of a request the learner does not
// remember (another process served it, or it was forgotten) is credited
// from its row in the request store.
func TestCreditFromStore(t *testing.T) {
	st := openSQLite(t)
	row := &store.Request{
		ID: "req_far", Time: time.Now().UTC(), Tenant: "acme", Endpoint: "chat", Route: "auto", Deployment: "dear", Status: 200,
		Propensity: 0.9, Explanation: store.Explanation{Adaptive: &store.Adaptive{Context: ctxCode.String(), Greedy: "dear"}},
	}
	static := &store.Request{ID: "req_static", Time: time.Now().UTC(), Tenant: "acme", Endpoint: "chat", Route: "auto", Deployment: "dear", Status: 200}
	if err := st.Write(context.Background(), []*store.Request{row, static}); err != nil {
		t.Fatal(err)
	}
	l := newLearner(t, newClock(), Options{Store: st})
	l.Feedback([]*store.Feedback{rating("req_far", "acme", 1), rating("req_static", "acme", 1), rating("req_none", "acme", 1)})
	s := flush(t, l)
	if got := s.Counts(key("dear", "acme", ctxCode)); got != (bandit.Counts{Good: 1}) {
		t.Errorf("credited from the store: %+v", got)
	}
	if got := s.Counts(key("dear", "", bandit.Global)); got != (bandit.Counts{Good: 1}) {
		t.Errorf("global: %+v (a request without an adaptive plan counted?)", got)
	}
}

func openSQLite(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "log.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestPublishesWithoutFlush: outcomes reach the hot path's snapshot
// within a few publish periods without anyone flushing.
func TestPublishesWithoutFlush(t *testing.T) {
	l := newLearner(t, newClock(), Options{PublishEvery: 5 * time.Millisecond})
	l.Served(served("r1", "cheap", ""))
	l.Feedback([]*store.Feedback{rating("r1", "", 1)})
	deadline := time.Now().Add(5 * time.Second)
	for l.Snapshot().Counts(key("cheap", "", bandit.Global)).Good != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the outcome was not published within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestQueueNeverBlocks: a full queue drops events (counted) instead of
// blocking the recorder; Close after Close is harmless.
func TestQueueNeverBlocks(t *testing.T) {
	l := New(context.Background(), Options{HalfLife: routes})
	done := make(chan struct{})
	go func() {
		for i := range 3 * queueSize {
			l.Served(served("r"+string(rune(i)), "cheap", ""))
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Served blocked")
	}
	if err := l.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(context.Background()); err != nil {
		t.Errorf("second Close: %v", err)
	}
	l.Served(served("late", "cheap", "")) // after Close: ignored, no panic
}

// TestMetrics: the decisions by branch, the outcomes and the per-arm
// gauges (category level only, every tenant together).
func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	l := newLearner(t, newClock(), Options{Registerer: reg})
	explored := served("r2", "cheap", "acme")
	explored.Explored = true
	l.Served(served("r1", "cheap", "acme"))
	l.Served(explored)
	l.Feedback([]*store.Feedback{rating("r1", "acme", 1), rating("r2", "acme", 0.5)})
	flush(t, l)
	if got := testutil.ToFloat64(l.m.decisions.WithLabelValues("auto", "explore")); got != 1 {
		t.Errorf("explore decisions %v", got)
	}
	if got := testutil.ToFloat64(l.m.decisions.WithLabelValues("auto", "exploit")); got != 1 {
		t.Errorf("exploit decisions %v", got)
	}
	if got := testutil.ToFloat64(l.m.outcomes.WithLabelValues("auto")); got != 2 {
		t.Errorf("outcomes %v", got)
	}
	if got := testutil.ToFloat64(l.m.pGood.WithLabelValues("auto", "cheap", "code")); got != 0.75 {
		t.Errorf("p_good %v", got)
	}
	if n := testutil.CollectAndCount(l.m.pGood); n != 1 {
		t.Errorf("%d p_good series, want 1 (the category level only)", n)
	}
	if got := testutil.ToFloat64(l.m.arms); got != 4 {
		t.Errorf("arms %v", got)
	}
}
