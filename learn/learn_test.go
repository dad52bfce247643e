package learn

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// backends returns an opener of an empty store per back end.
func backends() map[string]func(t *testing.T) store.Store {
	return map[string]func(t *testing.T) store.Store{
		"sqlite": func(t *testing.T) store.Store {
			s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "switchyard.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
		"postgres": func(t *testing.T) store.Store {
			s, err := postgres.Open(context.Background(), pgtest.FreshSchema(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
	}
}

func forEachBackend(t *testing.T, fn func(t *testing.T, s store.Store)) {
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) { fn(t, open(t)) })
	}
}

// newLearner returns a learner on s with a fixed clock, closed (and
// flushed) by the test's cleanup unless the test closes it.
func newLearner(t *testing.T, s store.Store, settle func(context.Context, string) error) *Learner {
	l := New(Options{Store: s, Settle: settle, Now: func() time.Time { return t0.Add(time.Hour) }})
	t.Cleanup(func() { l.Close(context.Background()) })
	return l
}

func feedbackOf(t *testing.T, s store.Store, id string) []*store.Feedback {
	t.Helper()
	p, err := s.ListFeedback(context.Background(), store.AllTenants(), store.FeedbackFilter{RequestID: id})
	if err != nil {
		t.Fatalf("ListFeedback: %v", err)
	}
	return p.Feedback
}

func writeRequest(t *testing.T, s store.Store, id, tenant string) {
	t.Helper()
	r := storetest.Sample(1)
	r.ID, r.Tenant = id, tenant
	if err := s.Write(context.Background(), []*store.Request{r}); err != nil {
		t.Fatal(err)
	}
}

func TestRate(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		writeRequest(t, s, "req_acme", "acme")
		writeRequest(t, s, "req_globex", "globex")
		l := newLearner(t, s, nil)
		if err := l.Rate(ctx, "acme", Rating{RequestID: "req_acme", Thumbs: "down", Tags: []string{"wrong"}, CorrectionUSD: 0.5}); err != nil {
			t.Fatalf("Rate(own request): %v", err)
		}
		if err := l.Rate(ctx, "acme", Rating{RequestID: "req_acme", Score: ptr(0.8)}); err != nil {
			t.Fatalf("Rate again: %v", err)
		}
		got := feedbackOf(t, s, "req_acme")
		if len(got) != 1 || got[0].Value != 0.8 || got[0].Tenant != "acme" || got[0].Tags != nil || got[0].CostUSD != 0 ||
			got[0].Kind != store.KindExplicit || !got[0].Time.Equal(t0.Add(time.Hour)) {
			t.Errorf("after two ratings: %s; want the last one only", rows(got))
		}
		for _, tt := range []struct{ tenant, id string }{{"acme", "req_globex"}, {"globex", "req_acme"}, {"acme", "req_none"}, {"", "req_acme"}} {
			if err := l.Rate(ctx, tt.tenant, Rating{RequestID: tt.id, Thumbs: "up"}); !errors.Is(err, ErrUnknownRequest) {
				t.Errorf("tenant %q rating %s: %v, want ErrUnknownRequest", tt.tenant, tt.id, err)
			}
		}
		if got := feedbackOf(t, s, "req_globex"); len(got) != 0 {
			t.Errorf("globex's request got acme's rating: %s", rows(got))
		}
	})
}

// TestRateBeforeTheRowIsWritten: a rating of a request the learner has
// observed, or that settles while the rating waits, is taken before the
// request log has its row; the owner index still refuses other tenants.
func TestRateBeforeTheRowIsWritten(t *testing.T) {
	ctx := context.Background()
	s := backends()["sqlite"](t)
	var l *Learner
	settled := map[string]bool{}
	l = newLearner(t, s, func(_ context.Context, id string) error {
		settled[id] = true
		if id == "req_late" { // the request finishes while the rating waits
			l.Observe(&Observation{RequestID: id, Tenant: "acme", Endpoint: "chat"})
		}
		return nil
	})
	l.Observe(&Observation{RequestID: "req_seen", Tenant: "acme", Endpoint: "chat"})
	if err := l.Rate(ctx, "acme", Rating{RequestID: "req_seen", Thumbs: "up"}); err != nil || settled["req_seen"] {
		t.Errorf("rating an observed request: %v (settled: %v), want it taken at once", err, settled["req_seen"])
	}
	if err := l.Rate(ctx, "globex", Rating{RequestID: "req_seen", Thumbs: "up"}); !errors.Is(err, ErrUnknownRequest) {
		t.Errorf("another tenant rating an observed request: %v, want ErrUnknownRequest", err)
	}
	if err := l.Rate(ctx, "acme", Rating{RequestID: "req_late", Thumbs: "down"}); err != nil || !settled["req_late"] {
		t.Errorf("rating a request still finishing: %v (settled: %v), want it taken", err, settled["req_late"])
	}
	if err := l.Rate(ctx, "acme", Rating{RequestID: "req_never", Thumbs: "down"}); !errors.Is(err, ErrUnknownRequest) || !settled["req_never"] {
		t.Errorf("rating an unknown request: %v (settled: %v), want ErrUnknownRequest after settling", err, settled["req_never"])
	}
	for _, id := range []string{"req_seen", "req_late"} {
		if got := feedbackOf(t, s, id); len(got) != 1 {
			t.Errorf("feedback of %s: %s, want one rating", id, rows(got))
		}
	}
	boom := errors.New("settle failed")
	l2 := newLearner(t, s, func(context.Context, string) error { return boom })
	if err := l2.Rate(ctx, "acme", Rating{RequestID: "req_x", Thumbs: "down"}); !errors.Is(err, boom) {
		t.Errorf("Rate when settling fails: %v, want its error", err)
	}
}

// TestObserveWritesSignals: the implicit rows reach the store, flushed by
// Close at the latest.
func TestObserveWritesSignals(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		l := New(Options{Store: s, Now: func() time.Time { return t0 }})
		q := user("Hi")
		l.Observe(chat("req_a", "u1", 0, "Hello", q))
		l.Observe(chat("req_b", "u1", 10*time.Second, "Hello", q))
		left := chat("req_c", "u1", time.Hour, "Hel", user("Bye"))
		left.Status, left.ClientLeft = 499, true
		l.Observe(left)
		if err := l.Close(context.Background()); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if got := feedbackOf(t, s, "req_a"); len(got) != 1 || got[0].Kind != store.KindRegenerate || got[0].Evidence.By != "req_b" {
			t.Errorf("feedback of req_a: %s, want its regeneration by req_b", rows(got))
		}
		if got := feedbackOf(t, s, "req_c"); len(got) != 1 || got[0].Kind != store.KindAbandoned {
			t.Errorf("feedback of req_c: %s, want abandoned", rows(got))
		}
	})
}

// failingStore fails every feedback write while down.
type failingStore struct {
	store.Store
	down bool
}

func (f *failingStore) WriteFeedback(ctx context.Context, rows []*store.Feedback) error {
	if f.down {
		return errors.New("database is down")
	}
	return f.Store.WriteFeedback(ctx, rows)
}

func TestCloseReportsLostRows(t *testing.T) {
	s := &failingStore{Store: backends()["sqlite"](t), down: true}
	l := New(Options{Store: s})
	left := chat("req_c", "u1", 0, "Hel", user("Bye"))
	left.Status, left.ClientLeft = 499, true
	l.Observe(left)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := l.Close(ctx); err == nil {
		t.Error("Close with the database down: nil error, want the lost row reported")
	}
	if err := l.Rate(context.Background(), "acme", Rating{RequestID: "req_c", Thumbs: "up"}); err == nil {
		t.Error("Rate with the database down: nil error, want the write's failure")
	}
}

// lateStore finds no request row in its first misses Gets: the row of a
// request another replica served, still in that replica's writer.
type lateStore struct {
	store.Store
	misses int
	gets   int
}

func (s *lateStore) Get(ctx context.Context, scope store.Scope, id string) (*store.Request, error) {
	if s.gets++; s.gets <= s.misses {
		return nil, store.ErrNotFound
	}
	return s.Store.Get(ctx, scope, id)
}

// TestRateWaitsForAnotherReplicasRow: a rating of a request this process
// never saw waits, for an id of the router's shape, until its row is in
// the request log — or RowWait has passed.
func TestRateWaitsForAnotherReplicasRow(t *testing.T) {
	ctx := context.Background()
	const id = "req_0123456789abcdef01234567"
	s := &lateStore{Store: backends()["sqlite"](t), misses: 3}
	writeRequest(t, s.Store, id, "acme")
	l := New(Options{Store: s, RowWait: 5 * time.Second})
	defer l.Close(ctx)
	if err := l.Rate(ctx, "acme", Rating{RequestID: id, Thumbs: "up"}); err != nil || s.gets != 4 {
		t.Errorf("Rate of a row arriving late: %v after %d reads, want nil after 4", err, s.gets)
	}
	short := New(Options{Store: s, RowWait: 120 * time.Millisecond})
	defer short.Close(ctx)
	s.gets, s.misses = 0, 0
	start := time.Now()
	if err := short.Rate(ctx, "globex", Rating{RequestID: id, Thumbs: "up"}); !errors.Is(err, ErrUnknownRequest) || s.gets < 2 {
		t.Errorf("another tenant's id: %v after %d reads, want ErrUnknownRequest after polling", err, s.gets)
	}
	if time.Since(start) < 120*time.Millisecond {
		t.Errorf("gave up after %v, before RowWait", time.Since(start))
	}
	s.gets = 0
	if err := short.Rate(ctx, "acme", Rating{RequestID: "req_not-a-router-id", Thumbs: "up"}); !errors.Is(err, ErrUnknownRequest) || s.gets != 1 {
		t.Errorf("an id not of the router's shape: %v after %d reads, want ErrUnknownRequest after 1", err, s.gets)
	}
}

// TestOnFeedback: the hook sees each implicit row Observe detects and
// each rating Rate stored, and no rating it refused.
func TestOnFeedback(t *testing.T) {
	s := backends()["sqlite"](t)
	var got []*store.Feedback
	l := New(Options{Store: s, Now: func() time.Time { return t0 }, OnFeedback: func(rows []*store.Feedback) { got = append(got, rows...) }})
	t.Cleanup(func() { l.Close(context.Background()) })
	q := user("Hi")
	l.Observe(chat("req_a", "u1", 0, "Hello", q))
	l.Observe(chat("req_b", "u1", 10*time.Second, "Hello", q))
	if len(got) != 1 || got[0].RequestID != "req_a" || got[0].Kind != store.KindRegenerate {
		t.Fatalf("after a regeneration: %s", rows(got))
	}
	if err := l.Rate(context.Background(), "acme", Rating{RequestID: "req_b", Thumbs: "up"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Rate(context.Background(), "globex", Rating{RequestID: "req_b", Thumbs: "down"}); !errors.Is(err, ErrUnknownRequest) {
		t.Fatalf("another tenant's rating: %v", err)
	}
	if len(got) != 2 || got[1].RequestID != "req_b" || got[1].Kind != store.KindExplicit || got[1].Value != 1 {
		t.Errorf("after the ratings: %s", rows(got))
	}
}
