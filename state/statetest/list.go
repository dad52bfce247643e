package statetest

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"switchyard/state"
)

// listed returns ListBudgets(prefix, p) of b as key → usage.
func listed(t *testing.T, b state.Backend, prefix string, p state.Period) map[string]state.Usage {
	t.Helper()
	list, err := b.ListBudgets(context.Background(), prefix, p)
	if err != nil {
		t.Fatalf("ListBudgets(%q, %s): %v", prefix, p, err)
	}
	out := map[string]state.Usage{}
	for _, k := range list {
		if _, dup := out[k.Key]; dup {
			t.Errorf("ListBudgets(%q, %s) lists %s twice", prefix, p, k.Key)
		}
		out[k.Key] = k.Usage
	}
	return out
}

// testBudgetList: ListBudgets lists, from either back end, every budget
// under a prefix that began the current period, with what it spent and
// holds — both back ends' reservations and charges together — and
// nothing of another prefix, another period or a period that ended.
// Keys may hold the characters a glob pattern would read (* ? [ ] \).
func testBudgetList(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	c.Advance(time.Hour) // into February 1st: the day and the month last past the reservations
	odd := "budget:x:usd:a*b?[c]\\d"
	ra := reserve(t, a, req("budget:x:usd:acme", 30, 100, state.Day))
	reserve(t, b, req("budget:x:usd:acme", 20, 100, state.Day))
	if err := a.Settle(ctx, ra, 25); err != nil {
		t.Fatal(err)
	}
	reserve(t, b, req("budget:x:usd:globex", 7, 100, state.Day))
	reserve(t, a, req(odd, 1, 100, state.Day))
	reserve(t, a, req("budget:x:usd:monthly", 5, 100, state.Month)) // another period
	reserve(t, b, req("budget:xy:usd:acme", 9, 100, state.Day))     // another prefix
	_, resets := state.Day.Bounds(c.Now())
	want := map[string]state.Usage{
		"budget:x:usd:acme":   {Spent: 25, Reserved: 20, Resets: resets},
		"budget:x:usd:globex": {Reserved: 7, Resets: resets},
		odd:                   {Reserved: 1, Resets: resets},
	}
	for i, back := range []state.Backend{a, b} {
		if got := listed(t, back, "budget:x:", state.Day); !maps.Equal(got, want) {
			t.Errorf("back end %d lists %v, want %v", i, got, want)
		}
	}
	if got := listed(t, a, "budget:x:usd:a*b", state.Day); len(got) != 1 || got[odd].Reserved != 1 {
		t.Errorf("a prefix with glob characters lists %v", got)
	}
	if got := listed(t, b, "budget:none:", state.Day); len(got) != 0 {
		t.Errorf("an unused prefix lists %v", got)
	}
	// The reservations expire; the charge stays for the period.
	c.Advance(ttl + time.Second)
	if got := listed(t, b, "budget:x:usd:acme", state.Day); got["budget:x:usd:acme"].Spent != 25 || got["budget:x:usd:acme"].Reserved != 0 {
		t.Errorf("after the reservations expired: %v", got)
	}
	// A new day starts from nothing.
	c.Advance(24 * time.Hour)
	if got := listed(t, a, "budget:x:", state.Day); len(got) != 0 {
		t.Errorf("the next day lists %v", got)
	}
	if got := listed(t, a, "budget:x:", state.Month); len(got) != 1 || got["budget:x:usd:monthly"].Reserved != 0 {
		t.Errorf("the month lists %v", got)
	}
	if _, err := a.ListBudgets(ctx, "", "week"); !errors.Is(err, state.ErrInvalid) {
		t.Errorf("an unknown period: %v, want ErrInvalid", err)
	}
}
