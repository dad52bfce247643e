package adaptive

import (
	"context"
	"os"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"switchyard/learn/bandit"
	"switchyard/state"
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
