package drift

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// liveRows writes n chat requests on a path, evenly over [from, to),
// each refused with probability refusal and answering about tokens.
func liveRows(rng *rand.Rand, route string, cat llm.Category, dep string, n int, from, to time.Time, refusal float64, tokens int) []*store.Request {
	out := make([]*store.Request, n)
	step := to.Sub(from) / time.Duration(n)
	for i := range out {
		r := &store.Request{
			ID: fmt.Sprintf("req_%s_%s_%s_%d_%d", route, dep, cat, from.Unix(), i), Time: from.Add(time.Duration(i) * step), Endpoint: "chat",
			Route: route, Deployment: dep, Category: cat, Status: 200, Propensity: 1,
		}
		r.Signals.Refusal = rng.Float64() < refusal
		r.Tokens.Completion = int(float64(tokens) * (0.7 + 0.6*rng.Float64()))
		out[i] = r
	}
	return out
}

// The live monitor flags the path whose refusals rose, only it, and
// alerts once per window.
func TestLiveFlagsTheChangedPath(t *testing.T) {
	db := openSQLite(t)
	ctx := context.Background()
	now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(1, 1))
	hourAgo, dayBefore := now.Add(-time.Hour), now.Add(-25*time.Hour)
	var rows []*store.Request
	rows = append(rows, liveRows(rng, "auto", llm.CategoryCode, "gpt-4o", 600, dayBefore, hourAgo, 0.02, 300)...)
	rows = append(rows, liveRows(rng, "auto", llm.CategoryCode, "gpt-4o", 200, hourAgo, now, 0.15, 300)...)
	rows = append(rows, liveRows(rng, "auto", llm.CategoryChat, "gpt-4o-mini", 600, dayBefore, hourAgo, 0.02, 80)...)
	rows = append(rows, liveRows(rng, "auto", llm.CategoryChat, "gpt-4o-mini", 200, hourAgo, now, 0.02, 80)...)
	// Answers three times longer on a third path.
	rows = append(rows, liveRows(rng, "auto", llm.CategoryFactual, "claude", 600, dayBefore, hourAgo, 0, 100)...)
	rows = append(rows, liveRows(rng, "auto", llm.CategoryFactual, "claude", 200, hourAgo, now, 0, 300)...)
	// Too little traffic to test.
	rows = append(rows, liveRows(rng, "auto", llm.CategoryCode, "rare", 10, hourAgo, now, 1, 10)...)
	if err := db.Write(ctx, rows); err != nil {
		t.Fatal(err)
	}
	var alerts []string
	l := &Live{Store: db, Now: func() time.Time { return now }, Alerter: &Alerter{Log: discardLog()}}
	l.Alerter.Webhook = nil
	paths, err := l.Look(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 3 {
		t.Fatalf("%d paths tested, want 3: %+v", len(paths), paths)
	}
	for _, p := range paths {
		var flagged []string
		for _, x := range p.Tests {
			if x.Flagged {
				flagged = append(flagged, x.Metric)
			}
		}
		alerts = append(alerts, fmt.Sprint(p.Path.Deployment, flagged))
	}
	want := fmt.Sprint([]string{"gpt-4o-mini[]", "gpt-4o[refusal_rate]", "claude[answer_length]"})
	if got := fmt.Sprint(alerts); got != want {
		t.Errorf("flagged %s, want %s", got, want)
	}
	// A second look within the window flags again but does not alert again.
	n := len(l.alerted)
	if _, err := l.Look(ctx); err != nil || len(l.alerted) != n {
		t.Errorf("second look: %v, %d alert keys (want %d)", err, len(l.alerted), n)
	}
}
