package adaptive

import (
	"context"
	"testing"
	"time"

	"switchyard/learn/bandit"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
)

// roundTrip: what one learner learned and saved at Close, a new learner
// on the same store restores, decayed by the time in between; arms of a
// route no longer adaptive are dropped.
func roundTrip(t *testing.T, st Store) {
	c := newClock()
	a := New(context.Background(), Options{HalfLife: map[string]time.Duration{"auto": time.Hour, "gone": time.Hour}, Store: st, Now: c.Now})
	for i, dep := range []string{"cheap", "cheap", "dear"} {
		id := "r" + string(rune('0'+i))
		a.Served(served(id, dep, "acme"))
		a.Feedback([]*store.Feedback{rating(id, "acme", float64(i%2))})
	}
	gone := served("g", "cheap", "")
	gone.Route = "gone"
	a.Served(gone)
	a.Feedback([]*store.Feedback{rating("g", "", 1)})
	before := flush(t, a)
	if err := a.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	c.Advance(time.Hour) // one half-life
	b := newLearner(t, c, Options{HalfLife: map[string]time.Duration{"auto": time.Hour}, Store: st})
	after := b.Snapshot()
	n := 0
	before.Each(func(k bandit.Key, want bandit.Counts) {
		got := after.Counts(k)
		if k.Route == "gone" {
			if got.N() != 0 {
				t.Errorf("%v of a route no longer adaptive restored: %+v", k, got)
			}
			return
		}
		n++
		if !near(got.Good, want.Good/2) || !near(got.Bad, want.Bad/2) {
			t.Errorf("%v: restored %+v, want half of %+v", k, got, want)
		}
	})
	if n != 8 || after.Len() != 8 {
		t.Errorf("%d arms compared, %d restored; want 8", n, after.Len())
	}
}

func TestPersistSQLite(t *testing.T) { roundTrip(t, openSQLite(t)) }

func TestPersistPostgres(t *testing.T) {
	db, err := postgres.Open(context.Background(), pgtest.FreshSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	roundTrip(t, db)
}

func TestSnapshotCodec(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	s := bandit.NewSnapshot(at, map[bandit.Key]bandit.Counts{
		key("a", "", bandit.Global): {Good: 1.5, Bad: 0.25}, key("a", "t\x00x", ctxCode): {Good: 3},
		{Route: "other", Deployment: "b", Context: ctxCode.Category()}: {Bad: 2},
	})
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data, func(r string) bool { return r == "auto" })
	if err != nil || !got.At.Equal(at) || got.Len() != 2 || got.Counts(key("a", "t\x00x", ctxCode)).Good != 3 {
		t.Fatalf("Decode = %+v, %v", got, err)
	}
	for _, bad := range []string{`{"version":2,"arms":[]}`, `{`, `[]`} {
		if _, err := Decode([]byte(bad), func(string) bool { return true }); err == nil {
			t.Errorf("Decode(%s) accepted", bad)
		}
	}
}
