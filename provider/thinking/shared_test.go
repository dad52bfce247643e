package thinking

import (
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	goredis "github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"switchyard/llm"
	"switchyard/state"
	"switchyard/state/redis"
)

// TestMain checks that no test leaves a goroutine behind: a shared
// memory's writer stops on Close.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// redisAddr is the test Redis: $SWITCHYARD_TEST_REDIS or 127.0.0.1:6379.
func redisAddr() string {
	if a := os.Getenv("SWITCHYARD_TEST_REDIS"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// sharedRedis returns a state back end on its own client (its own
// "process") under prefix, on the real Redis; the keys under prefix are
// deleted when the test ends.
func sharedRedis(t testing.TB, prefix string) (*redis.Backend, *goredis.Client) {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: redisAddr(), DialTimeout: 2 * time.Second})
	if err := c.Ping(context.Background()).Err(); err != nil {
		_ = c.Close()
		t.Fatalf("Redis at %s does not answer (%v): these tests need a real Redis", redisAddr(), err)
	}
	b, err := redis.New(redis.Options{Client: c, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		for _, k := range redisKeys(t, c, prefix) {
			c.Del(ctx, k)
		}
		_ = c.Close()
	})
	return b, c
}

func redisKeys(t testing.TB, c *goredis.Client, prefix string) []string {
	t.Helper()
	keys, err := c.Keys(context.Background(), prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// openShared returns a memory whose shared tier is store, closed when the
// test ends.
func openShared(t testing.TB, store Store, opts Options) *Memory {
	t.Helper()
	opts.Shared = store
	m, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close(context.Background()) })
	return m
}

func events(m *Memory, event string) float64 {
	return testutil.ToFloat64(m.shared.events.WithLabelValues(event))
}

// What one process keeps, another sharing the Redis restores, in the same
// scope only; the keys name neither the scope nor the call, and expire
// with the memory's TTL.
func TestSharedAcrossProcesses(t *testing.T) {
	prefix := "switchyard-test:" + state.NewID() + ":"
	ra, c := sharedRedis(t, prefix)
	rb, _ := sharedRedis(t, prefix)
	a := openShared(t, ra, Options{TTL: 10 * time.Minute})
	b := openShared(t, rb, Options{})
	a.Keep("tenant-acme", []string{"call_1", "call_2"}, blocks)
	a.KeepSignature("tenant-acme", "gcall_1", "gemini-sig", "gemini-3-pro-preview")
	if err := a.Close(ctx); err != nil { // drains the queue
		t.Fatal(err)
	}
	if got := events(a, "written"); got != 3 {
		t.Fatalf("written %v, want 3", got)
	}
	keys := redisKeys(t, c, prefix)
	for _, k := range keys {
		if strings.Contains(k, "acme") || strings.Contains(k, "call") {
			t.Errorf("key %q names the scope or the call", k)
		}
		if ttl := c.PTTL(ctx, k).Val(); ttl <= 0 || ttl > 10*time.Minute {
			t.Errorf("key %q expires in %v, want the memory's 10m", k, ttl)
		}
	}
	if len(keys) != 3 {
		t.Errorf("keys %v, want 3", keys)
	}

	if _, ok := b.Restore(ctx, "tenant-other", loop("call_2", nil)); ok {
		t.Error("another scope restored the thinking")
	}
	got, ok := b.Restore(ctx, "tenant-acme", loop("call_2", nil))
	if !ok || len(got[1].Thinking()) != 1 || got[1].Thinking()[0] != blocks[0] {
		t.Fatalf("restored %v: %+v", ok, got[1].Thinking())
	}
	gem := loop("gcall_1", nil)[:2]
	if got, ok := b.Restore(ctx, "tenant-acme", gem); !ok || got[1].ToolCalls()[0].Signature != "gemini-sig" || got[1].ToolCalls()[0].SignatureModel != "gemini-3-pro-preview" {
		t.Fatalf("signature restored %v: %+v", ok, got[1].ToolCalls())
	}
	if hits := events(b, "hit"); hits != 2 {
		t.Errorf("hits %v, want 2", hits)
	}
	// Found entries are held here: a second restore asks nothing.
	b.Restore(ctx, "tenant-acme", loop("call_2", nil))
	if hits := events(b, "hit"); hits != 2 || b.Len() != 2 {
		t.Errorf("after a second restore: hits %v, held %d", hits, b.Len())
	}
}

// An entry past the expiry it was kept with is a miss, though Redis
// still holds it (the clocks of two processes); a value that does not
// decode is a miss; an id that missed is not asked again for MissTTL.
func TestSharedMisses(t *testing.T) {
	prefix := "switchyard-test:" + state.NewID() + ":"
	ra, _ := sharedRedis(t, prefix)
	rb, _ := sharedRedis(t, prefix)
	a := openShared(t, ra, Options{TTL: time.Minute})
	b := openShared(t, rb, Options{})
	a.Keep("s", []string{"call_old"}, blocks)
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Minute)
	b.now = func() time.Time { return later }
	if _, ok := b.Restore(ctx, "s", loop("call_old", nil)); ok {
		t.Error("an expired entry restored")
	}
	if err := rb.Set(ctx, storeKey(key{"s", "call_bad", false}), []byte("not an entry"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Restore(ctx, "s", loop("call_bad", nil)); ok {
		t.Error("a corrupt entry restored")
	}
	// Each restore of a turn asks for its calls' thinking and signatures:
	// two keys a call.
	if events(b, "corrupt") != 1 || events(b, "miss") != 3 {
		t.Errorf("corrupt %v, miss %v", events(b, "corrupt"), events(b, "miss"))
	}
	b.Restore(ctx, "s", loop("call_bad", nil))
	b.Restore(ctx, "s", loop("call_none", nil))
	b.Restore(ctx, "s", loop("call_none", nil))
	if events(b, "corrupt") != 1 || events(b, "miss") != 5 {
		t.Errorf("known misses asked again: corrupt %v, miss %v", events(b, "corrupt"), events(b, "miss"))
	}
	later = later.Add(DefaultMissTTL + time.Second)
	b.Restore(ctx, "s", loop("call_none", nil))
	if events(b, "miss") != 7 {
		t.Errorf("a miss past MissTTL not asked again: miss %v", events(b, "miss"))
	}
}

// blackHole returns the address of a listener that takes connections and
// never answers, closed when the test ends.
func blackHole(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns := make(chan net.Conn, 64)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				close(conns)
				return
			}
			conns <- c
		}
	}()
	t.Cleanup(func() {
		l.Close()
		for c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// A Redis that does not answer, or that is down, is a miss within the
// lookup timeout, counted and not asked again at once; a write queue
// that cannot drain drops what does not fit.
func TestSharedUnavailable(t *testing.T) {
	for name, addr := range map[string]string{"silent": blackHole(t), "down": deadAddr(t)} {
		t.Run(name, func(t *testing.T) {
			rb, err := redis.New(redis.Options{Addr: addr})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { rb.Close() })
			m := openShared(t, rb, Options{QueueLen: 1})
			if _, ok := m.Restore(ctx, "s", loop("call_1", nil)); ok {
				t.Fatal("restored from nowhere")
			}
			if got := events(m, "lookup_error"); got != 2 { // the call's thinking and signature
				t.Errorf("lookup errors %v, want 2", got)
			}
			m.Restore(ctx, "s", loop("call_1", nil))
			if got := events(m, "lookup_error"); got != 2 {
				t.Errorf("asked again at once: lookup errors %v", got)
			}
			for i := range 3 {
				m.Keep("s", []string{"k" + string(rune('a'+i))}, blocks)
			}
			if name == "silent" && events(m, "dropped") < 1 {
				t.Errorf("3 keeps into a queue of 1 behind a stuck writer: dropped %v", events(m, "dropped"))
			}
			if m.Len() != 3 {
				t.Errorf("held %d here, want 3", m.Len())
			}
		})
	}
}

func deadAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// Thinking larger than MaxEntryBytes stays in this process; a memory
// without a shared tier has nothing to close.
func TestSharedEntryCap(t *testing.T) {
	prefix := "switchyard-test:" + state.NewID() + ":"
	ra, c := sharedRedis(t, prefix)
	m := openShared(t, ra, Options{MaxEntryBytes: 1000})
	m.Keep("s", []string{"big"}, []llm.Thinking{{Text: strings.Repeat("x", 2000)}})
	m.Keep("s", []string{"small"}, blocks)
	if err := m.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if events(m, "too_large") != 1 || events(m, "written") != 1 || len(redisKeys(t, c, prefix)) != 1 {
		t.Errorf("too_large %v, written %v", events(m, "too_large"), events(m, "written"))
	}
	m.Keep("s", []string{"after"}, blocks) // after Close: here only
	if events(m, "dropped") != 1 || m.recall("s", "after", false) == nil {
		t.Errorf("a keep after Close: dropped %v", events(m, "dropped"))
	}
	if err := New(0, 0).Close(ctx); err != nil {
		t.Error(err)
	}
}

// BenchmarkRestoreShared is what a tool loop's request pays with the
// shared tier on the real Redis: local-hit (this process kept it),
// known-miss (an id that missed within MissTTL: no round trip),
// store-miss (a new id: one round trip for its thinking and signature,
// in parallel) and store-hit (kept by another process: the round trip,
// the decoding, and holding it here).
func BenchmarkRestoreShared(b *testing.B) {
	prefix := "switchyard-bench:" + state.NewID() + ":"
	ra, _ := sharedRedis(b, prefix)
	rb, _ := sharedRedis(b, prefix)
	m := openShared(b, rb, Options{})
	m.Keep("acme", []string{"call_local"}, blocks)
	b.Run("local-hit", func(b *testing.B) {
		msgs := loop("call_local", nil)
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := m.Restore(ctx, "acme", msgs); !ok {
				b.Fatal("not restored")
			}
		}
	})
	b.Run("known-miss", func(b *testing.B) {
		msgs := loop("call_unknown", nil)
		m.Restore(ctx, "acme", msgs)
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := m.Restore(ctx, "acme", msgs); ok {
				b.Fatal("restored")
			}
		}
	})
	b.Run("store-miss", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, ok := m.Restore(ctx, "acme", loop("call_miss_"+strconv.Itoa(i), nil)); ok {
				b.Fatal("restored")
			}
		}
	})
	b.Run("store-hit", func(b *testing.B) {
		keeper := openShared(b, ra, Options{QueueLen: b.N + 1})
		ids := make([]string, b.N)
		for i := range ids {
			ids[i] = "call_far_" + strconv.Itoa(b.N) + "_" + strconv.Itoa(i)
			keeper.Keep("acme", ids[i:i+1], blocks)
		}
		if err := keeper.Close(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if _, ok := m.Restore(ctx, "acme", loop(ids[i], nil)); !ok {
				b.Fatal("not restored")
			}
		}
	})
}

// A turn of many unsigned calls asks the store for at most maxFetch of
// them: a request cannot make a router send Redis thousands of Gets.
func TestSharedFetchBounded(t *testing.T) {
	prefix := "switchyard-test:" + state.NewID() + ":"
	rb, _ := sharedRedis(t, prefix)
	m := openShared(t, rb, Options{LookupTimeout: time.Minute}) // the bound, not the wait: a loaded machine must not miss some
	calls := make([]llm.ToolCall, 100)
	for i := range calls {
		calls[i] = llm.ToolCall{ID: "call_" + strconv.Itoa(i), Type: "function", Name: "get", Arguments: "{}"}
	}
	a := llm.Message{Role: llm.RoleAssistant}
	a.SetToolCalls(calls)
	m.Restore(ctx, "s", []llm.Message{llm.TextMessage(llm.RoleUser, "q"), a})
	if got := events(m, "miss"); got != maxFetch {
		t.Errorf("asked for %v keys, want %d", got, maxFetch)
	}
}
