package statetest

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"switchyard/state"
)

// testStore: values and counters expire after their ttl; Add does not
// extend it; both back ends see the same values.
func testStore(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	get := func(be state.Backend, key string) (string, bool) {
		t.Helper()
		v, ok, err := be.Get(ctx, key)
		if err != nil {
			t.Fatalf("Get(%s): %v", key, err)
		}
		return string(v), ok
	}
	if _, ok := get(a, "v"); ok {
		t.Fatal("Get of a key never set found a value")
	}
	if err := a.Set(ctx, "v", []byte("open\x00{}"), 10*time.Second); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if v, ok := get(b, "v"); !ok || v != "open\x00{}" {
		t.Errorf("Get = %q, %v; want the bytes set", v, ok)
	}
	for i, want := range []int64{3, 1, 11} {
		delta := []int64{3, -2, 10}[i]
		n, err := pick(i, a, b).Add(ctx, "n", delta, 10*time.Second)
		if err != nil || n != want {
			t.Fatalf("Add(%d) = %d, %v; want %d", delta, n, err, want)
		}
		c.Advance(3 * time.Second)
	}
	if v, ok := get(a, "n"); !ok || v != "11" {
		t.Errorf("Get of a counter = %q, %v; want \"11\"", v, ok)
	}
	if _, err := a.Add(ctx, "v", 1, time.Second); !errors.Is(err, state.ErrInvalid) {
		t.Errorf("Add to a text value: %v, want ErrInvalid", err)
	}
	c.Advance(time.Second) // 10s since both were made
	if _, ok := get(b, "v"); ok {
		t.Error("a value outlived its ttl")
	}
	if _, ok := get(b, "n"); ok {
		t.Error("a counter outlived its ttl: Add extended it")
	}
	if n, err := b.Add(ctx, "n", 5, time.Second); err != nil || n != 5 {
		t.Errorf("Add to an expired counter = %d, %v; want 5", n, err)
	}
}

// testInvalid: every back end refuses the same bad arguments.
func testInvalid(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	ok := state.BudgetRequest{Key: "k", Amount: 1, Limit: 1, Period: state.Day, TTL: time.Second}
	bad := func(f func(*state.BudgetRequest)) state.BudgetRequest { r := ok; f(&r); return r }
	calls := map[string]func() error{
		"empty key": func() error { _, err := a.Reserve(ctx, bad(func(r *state.BudgetRequest) { r.Key = "" })); return err },
		"negative": func() error {
			_, err := a.Reserve(ctx, bad(func(r *state.BudgetRequest) { r.Amount = -1 }))
			return err
		},
		"zero limit": func() error { _, err := a.Reserve(ctx, bad(func(r *state.BudgetRequest) { r.Limit = 0 })); return err },
		"period": func() error {
			_, err := a.Reserve(ctx, bad(func(r *state.BudgetRequest) { r.Period = "week" }))
			return err
		},
		"huge limit": func() error {
			_, err := a.Reserve(ctx, bad(func(r *state.BudgetRequest) { r.Limit = state.MaxAmount + 1 }))
			return err
		},
		"zero ttl":       func() error { _, err := a.Reserve(ctx, bad(func(r *state.BudgetRequest) { r.TTL = 0 })); return err },
		"settle unknown": func() error { return a.Settle(ctx, state.Reservation{}, 1) },
		"settle < 0":     func() error { return a.Settle(ctx, state.Reservation{Key: "k", ID: "x", Period: state.Day}, -1) },
		"usage period":   func() error { _, err := a.Usage(ctx, "k", ""); return err },
		"rate cost":      func() error { _, _, err := a.Allow(ctx, "k", 0, 1, time.Second); return err },
		"rate window":    func() error { _, _, err := a.Allow(ctx, "k", 1, 1, 0); return err },
		"adjust key":     func() error { return a.Adjust(ctx, "", 1, 1, time.Second) },
		"adjust limit":   func() error { return a.Adjust(ctx, "k", 1, 0, time.Second) },
		"adjust window":  func() error { return a.Adjust(ctx, "k", 1, 1, 0) },
		"adjust delta":   func() error { return a.Adjust(ctx, "k", state.MaxAmount+1, 1, time.Second) },
		"sem limit":      func() error { _, _, err := a.Acquire(ctx, "k", 0, time.Second); return err },
		"sem ttl":        func() error { _, _, err := a.Acquire(ctx, "k", 1, 0); return err },
		"set ttl":        func() error { return a.Set(ctx, "k", nil, 0) },
		"get key":        func() error { _, _, err := a.Get(ctx, ""); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, state.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

// testFloats: float maps add every delta at once and return the whole
// map; both back ends see the same sums, exactly under concurrency; the
// ttl is not extended by adds; bad arguments are ErrInvalid.
func testFloats(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	got, err := a.AddFloats(ctx, "f", nil, time.Minute)
	if err != nil || len(got) != 0 {
		t.Fatalf("reading an absent map = %v, %v", got, err)
	}
	if _, err := a.AddFloats(ctx, "f", map[string]float64{"x": 1.5, "y": -0.25}, 10*time.Second); err != nil {
		t.Fatalf("AddFloats: %v", err)
	}
	c.Advance(6 * time.Second)
	got, err = b.AddFloats(ctx, "f", map[string]float64{"x": 2, "z\x1fk": 1e-9}, 10*time.Second)
	if err != nil || len(got) != 3 || got["x"] != 3.5 || got["y"] != -0.25 || got["z\x1fk"] != 1e-9 {
		t.Fatalf("AddFloats on the other back end = %v, %v", got, err)
	}
	parallel(40, func(i int) {
		if _, err := pick(i, a, b).AddFloats(ctx, "f", map[string]float64{"x": 0.5, "w": 1}, 10*time.Second); err != nil {
			t.Errorf("AddFloats: %v", err)
		}
	})
	if got, err = a.AddFloats(ctx, "f", nil, time.Second); err != nil || got["x"] != 23.5 || got["w"] != 40 {
		t.Fatalf("after 40 concurrent adds: %v, %v", got, err)
	}
	if _, ok, _ := a.Get(ctx, "f"); ok {
		t.Error("a float map is visible to Get: the key spaces are not separate")
	}
	c.Advance(5 * time.Second) // 11s after creation: expired, adds did not extend it
	if got, err = b.AddFloats(ctx, "f", nil, time.Second); err != nil || len(got) != 0 {
		t.Fatalf("after the ttl: %v, %v", got, err)
	}
	if got, err = b.AddFloats(ctx, "f", map[string]float64{"x": 1}, time.Second); err != nil || len(got) != 1 || got["x"] != 1 {
		t.Fatalf("recreated: %v, %v", got, err)
	}
	for _, bad := range []struct {
		key    string
		deltas map[string]float64
		ttl    time.Duration
	}{
		{"", nil, time.Second}, {"f", nil, 0}, {"f", map[string]float64{"": 1}, time.Second},
		{"f", map[string]float64{"x": math.NaN()}, time.Second}, {"f", map[string]float64{"x": math.Inf(1)}, time.Second},
	} {
		if _, err := a.AddFloats(ctx, bad.key, bad.deltas, bad.ttl); !errors.Is(err, state.ErrInvalid) {
			t.Errorf("AddFloats(%q, %v, %v) = %v, want ErrInvalid", bad.key, bad.deltas, bad.ttl, err)
		}
	}
}

// testFloatsOnce: an addition repeated with the same writer and sequence
// number (a retry after a lost reply) counts once, on either back end; a
// higher number adds, a lower one only reads; writers are apart; the
// sequence numbers go with an expired map; bad arguments are ErrInvalid.
func testFloatsOnce(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	p, q := state.Once{Writer: "p", Seq: 1}, state.Once{Writer: "q", Seq: 1}
	add := func(be state.Backend, once state.Once, x float64) map[string]float64 {
		t.Helper()
		got, err := be.AddFloatsOnce(ctx, "g", once, map[string]float64{"x": x}, 10*time.Second)
		if err != nil {
			t.Fatalf("AddFloatsOnce(%+v, %v): %v", once, x, err)
		}
		return got
	}
	add(a, p, 1)
	if got := add(b, p, 1); got["x"] != 1 {
		t.Fatalf("the same addition again, on the other back end: %v, want x 1", got)
	}
	if got := add(a, q, 2); got["x"] != 3 {
		t.Fatalf("another writer's first addition: %v, want x 3", got)
	}
	p.Seq = 2
	if got := add(a, p, 4); got["x"] != 7 {
		t.Fatalf("the writer's next addition: %v, want x 7", got)
	}
	if got := add(b, state.Once{Writer: "p", Seq: 1}, 100); got["x"] != 7 {
		t.Fatalf("an older addition: %v, want x 7 (read only)", got)
	}
	parallel(40, func(i int) {
		if _, err := pick(i, a, b).AddFloatsOnce(ctx, "g", state.Once{Writer: "r", Seq: 5}, map[string]float64{"x": 1}, 10*time.Second); err != nil {
			t.Errorf("AddFloatsOnce: %v", err)
		}
	})
	if got, err := a.AddFloats(ctx, "g", nil, time.Second); err != nil || got["x"] != 8 {
		t.Fatalf("40 concurrent tries of one addition: %v, %v; want x 8", got, err)
	}
	c.Advance(11 * time.Second) // expired: a new map forgets the writers
	if got := add(a, p, 1); len(got) != 1 || got["x"] != 1 {
		t.Fatalf("the writer's addition to the map made again: %v, want x 1", got)
	}
	for _, once := range []state.Once{{}, {Writer: "p"}, {Writer: "p", Seq: -1}, {Writer: "p", Seq: state.MaxAmount + 1}} {
		if _, err := a.AddFloatsOnce(ctx, "g", once, map[string]float64{"x": 1}, time.Second); !errors.Is(err, state.ErrInvalid) {
			t.Errorf("AddFloatsOnce(%+v) = %v, want ErrInvalid", once, err)
		}
	}
	if _, err := a.AddFloatsOnce(ctx, "g", p, map[string]float64{"x": math.NaN()}, time.Second); !errors.Is(err, state.ErrInvalid) {
		t.Errorf("AddFloatsOnce(NaN) = %v, want ErrInvalid", err)
	}
}
