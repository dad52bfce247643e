package drift

import (
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// With a LiveDemoter, a flagged path's deployment is demoted on its route
// for its category — not on a path of no route, nor where MayDemote
// refuses (the last healthy deployment) — and the demotion is kept in the
// store; it is lifted once the path's traffic of the last LiftAfter, all
// after the demotion, tests clean against what it was flagged against,
// and not before, nor while the change lasts.
func TestLiveDemotesAndLifts(t *testing.T) {
	for _, tt := range []struct {
		name    string
		refusal float64
		at      time.Duration
		lifted  bool
	}{
		{"recovered", 0.02, 7 * time.Hour, true},
		{"still changed", 0.15, 7 * time.Hour, false},
		{"too soon", 0.02, 3 * time.Hour, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := openSQLite(t)
			ctx := context.Background()
			now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
			rng := rand.New(rand.NewPCG(2, 2))
			hourAgo, dayBefore := now.Add(-time.Hour), now.Add(-25*time.Hour)
			var rows []*store.Request
			for _, route := range []string{"auto", "solo", ""} {
				rows = append(rows, liveRows(rng, route, llm.CategoryCode, "gpt-4o", 600, dayBefore, hourAgo, 0.02, 300)...)
				rows = append(rows, liveRows(rng, route, llm.CategoryCode, "gpt-4o", 200, hourAgo, now, 0.15, 300)...)
			}
			if err := db.Write(ctx, rows); err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			clock := now
			newDemoter := func() *LiveDemoter {
				return &LiveDemoter{Demoter: &Demoter{}, Snapshots: db, Log: log, MayDemote: func(p Path) string {
					if p.Route == "solo" {
						return "gpt-4o is the last healthy deployment of route solo for code"
					}
					return ""
				}}
			}
			ld := newDemoter()
			l := &Live{Store: db, Now: func() time.Time { return clock }, Alerter: &Alerter{Log: log}, Demoter: ld}
			if _, err := l.Look(ctx); err != nil {
				t.Fatal(err)
			}
			routing, _ := ld.Demoter.RouteRouting()
			if len(routing) != 1 || !strings.HasPrefix(routing["auto"]["gpt-4o"][llm.CategoryCode], "quality drift in live traffic on route auto, category code: refusal_rate") {
				t.Fatalf("route demotions %v", routing)
			}
			for _, want := range []string{
				`route=auto category=code demoted=[code]`,
				`route=solo category=code demoted=[] summary="live traffic changed on route solo`,
				"not demoted: gpt-4o is the last healthy deployment of route solo for code",
				"not demoted: the requests named no route",
			} {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("the alerts do not say %q:\n%s", want, logs.String())
				}
			}
			if dms := ld.Demoter.Of("gpt-4o"); len(dms) != 1 || dms[0].Source != SourceLive || dms[0].Route != "auto" || !dms[0].Since.Equal(now) ||
				len(dms[0].Evidence) == 0 {
				t.Errorf("demotions %+v", dms)
			}
			// A restart reads the demotion back.
			restarted := newDemoter()
			if err := restarted.Restore(ctx); err != nil {
				t.Fatal(err)
			}
			if r, _ := restarted.Demoter.RouteRouting(); r["auto"]["gpt-4o"][llm.CategoryCode] != routing["auto"]["gpt-4o"][llm.CategoryCode] {
				t.Fatalf("restored %v", r)
			}

			later := liveRows(rng, "auto", llm.CategoryCode, "gpt-4o", 200, now.Add(time.Hour), now.Add(tt.at), tt.refusal, 300)
			if err := db.Write(ctx, later); err != nil {
				t.Fatal(err)
			}
			clock = now.Add(tt.at)
			l.Demoter = restarted
			if _, err := l.Look(ctx); err != nil {
				t.Fatal(err)
			}
			r, _ := restarted.Demoter.RouteRouting()
			if lifted := r == nil; lifted != tt.lifted {
				t.Errorf("lifted %v, want %v: %v", lifted, tt.lifted, r)
			}
			again := newDemoter()
			if err := again.Restore(ctx); err != nil {
				t.Fatal(err)
			}
			if kept := len(again.Demoter.List()); kept != map[bool]int{true: 0, false: 1}[tt.lifted] {
				t.Errorf("%d demotions kept in the store after the second look", kept)
			}
		})
	}
}
