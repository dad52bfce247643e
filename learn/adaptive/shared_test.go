package adaptive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	goredis "github.com/redis/go-redis/v9"

	"switchyard/learn/bandit"
	"switchyard/state"
	"switchyard/state/memory"
	"switchyard/state/redis"
	"switchyard/store"
)

// openRedis returns a state back end on its own client (one router
// process) under prefix, on the real Redis; the prefix's keys are
// deleted when the test ends.
func openRedis(t *testing.T, prefix string, c *clock) *redis.Backend {
	t.Helper()
	addr := os.Getenv("SWITCHYARD_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	rc := goredis.NewClient(&goredis.Options{Addr: addr, DialTimeout: 2 * time.Second})
	if err := rc.Ping(context.Background()).Err(); err != nil {
		_ = rc.Close()
		t.Fatalf("Redis at %s does not answer (%v): these tests need a real Redis", addr, err)
	}
	b, err := redis.New(redis.Options{Client: rc, Prefix: prefix, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		iter := rc.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			rc.Del(ctx, iter.Val())
		}
		_ = b.Close()
	})
	return b
}

func rate(l *Learner, id, dep string, reward float64) {
	l.Served(served(id, dep, ""))
	l.Feedback([]*store.Feedback{rating(id, "", reward)})
}

func same(t *testing.T, what string, a, b *bandit.Snapshot, want map[bandit.Key]bandit.Counts) {
	t.Helper()
	for k, w := range want {
		ga, gb := a.Counts(k), b.Counts(k)
		if !near(ga.Good, w.Good) || !near(ga.Bad, w.Bad) || !near(gb.Good, w.Good) || !near(gb.Bad, w.Bad) {
			t.Errorf("%s: %s/%v: first %+v, second %+v, want %+v", what, k.Deployment, k.Context, ga, gb, w)
		}
	}
	if a.Len() != b.Len() {
		t.Errorf("%s: %d arms and %d", what, a.Len(), b.Len())
	}
}

// TestTwoProcessesConverge: two learners on one Redis (two clients, as
// two router processes) each learn from their own traffic and, after
// merging, hold the same counts: the sum of both; decay stays consistent
// between them; a third process starting later restores the merged
// state.
func TestTwoProcessesConverge(t *testing.T) {
	c := newClock()
	prefix := "switchyard-test:" + state.NewID() + ":"
	opts := func() Options {
		return Options{HalfLife: map[string]time.Duration{"auto": time.Hour}, Shared: openRedis(t, prefix, c), SyncEvery: time.Hour}
	}
	a, b := newLearner(t, c, opts()), newLearner(t, c, opts())
	for i := range 10 {
		rate(a, "a"+string(rune('0'+i)), "cheap", 1)
	}
	for i := range 4 {
		rate(b, "b"+string(rune('0'+i)), "dear", 0)
	}
	rate(b, "b9", "cheap", 0)
	flush(t, a)
	flush(t, b)
	sa, sb := flush(t, a), flush(t, b)
	want := map[bandit.Key]bandit.Counts{
		key("cheap", "", bandit.Global): {Good: 10, Bad: 1}, key("cheap", "", ctxCode): {Good: 10, Bad: 1},
		key("dear", "", ctxCode.Category()): {Bad: 4},
	}
	same(t, "after merging", sa, sb, want)
	// An hour (one half-life) later both read half; new outcomes merge on
	// top of the decayed ones.
	c.Advance(time.Hour)
	rate(a, "a-late", "dear", 1)
	flush(t, a)
	sb = flush(t, b)
	sa = flush(t, a)
	want = map[bandit.Key]bandit.Counts{
		key("cheap", "", bandit.Global): {Good: 5, Bad: 0.5}, key("dear", "", ctxCode): {Good: 1, Bad: 2},
	}
	same(t, "a half-life later", sa, sb, want)
	third := newLearner(t, c, opts())
	same(t, "a process started later", third.Snapshot(), sa, want)
}

// TestSeedOnce: with an empty shared state, the processes that start
// with a store snapshot seed it once, not once each.
func TestSeedOnce(t *testing.T) {
	c := newClock()
	st := openSQLite(t)
	counts := map[bandit.Key]bandit.Counts{key("cheap", "", bandit.Global): {Good: 6, Bad: 2}}
	data, err := Encode(bandit.NewSnapshot(c.Now(), counts))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveSnapshot(context.Background(), SnapshotName, c.Now(), data); err != nil {
		t.Fatal(err)
	}
	prefix := "switchyard-test:" + state.NewID() + ":"
	opts := func() Options {
		return Options{HalfLife: map[string]time.Duration{"auto": time.Hour}, Shared: openRedis(t, prefix, c), Store: st, SyncEvery: time.Hour}
	}
	a, b := newLearner(t, c, opts()), newLearner(t, c, opts())
	same(t, "seeded", flush(t, a), flush(t, b), counts)
}

// flaky is a shared state that fails while down.
type flaky struct {
	state.Store
	mu   sync.Mutex
	down bool
}

func (f *flaky) AddFloats(ctx context.Context, key string, d map[string]float64, ttl time.Duration) (map[string]float64, error) {
	f.mu.Lock()
	down := f.down
	f.mu.Unlock()
	if down {
		return nil, fmt.Errorf("%w: connection refused", state.ErrUnavailable)
	}
	return f.Store.AddFloats(ctx, key, d, ttl)
}

func (f *flaky) AddFloatsOnce(ctx context.Context, key string, once state.Once, d map[string]float64, ttl time.Duration) (map[string]float64, error) {
	f.mu.Lock()
	down := f.down
	f.mu.Unlock()
	if down {
		return nil, fmt.Errorf("%w: connection refused", state.ErrUnavailable)
	}
	return f.Store.AddFloatsOnce(ctx, key, once, d, ttl)
}

// TestSharedDown: while the shared state fails, a process learns alone
// (its outcomes count at once) and counts the failures; once it answers,
// the outcomes are merged, once.
func TestSharedDown(t *testing.T) {
	c := newClock()
	sh := &flaky{Store: memory.New(memory.Options{Now: c.Now}), down: true}
	reg := prometheus.NewRegistry()
	l := newLearner(t, c, Options{HalfLife: map[string]time.Duration{"auto": time.Hour}, Shared: sh, SyncEvery: time.Hour, Registerer: reg})
	rate(l, "r1", "cheap", 1)
	ctx := context.Background()
	if err := l.Flush(ctx); !errors.Is(err, state.ErrUnavailable) {
		t.Fatalf("Flush while down: %v", err)
	}
	if got := l.Snapshot().Counts(key("cheap", "", bandit.Global)); got.Good != 1 {
		t.Errorf("local outcome while down: %+v", got)
	}
	if n := testutil.ToFloat64(l.m.syncErrors); n < 1 {
		t.Errorf("sync errors %v", n)
	}
	sh.mu.Lock()
	sh.down = false
	sh.mu.Unlock()
	rate(l, "r2", "cheap", 0)
	flush(t, l)
	flush(t, l)
	if got := l.Snapshot().Counts(key("cheap", "", bandit.Global)); got != (bandit.Counts{Good: 1, Bad: 1}) {
		t.Errorf("after the shared state is back: %+v, want {1 1}", got)
	}
}
