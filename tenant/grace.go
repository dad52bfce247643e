package tenant

import (
	"context"
	"time"
)

// admitChecks runs an admission's checks; when only a concurrency slot
// is missing, it tries again, at growing intervals, until l.grace has
// passed or ctx ends. A slot is released as its request is recorded
// (with a remote back end, on a goroutine of its own), a moment after its
// client has read the answer; without the grace a client that sends its
// requests one after another, to this router or to another sharing the
// state, could be refused by the slot of the request it has just seen end.
func (l *Limiter) admitChecks(ctx context.Context, checks []check) error {
	err := l.runChecks(ctx, checks)
	if err == nil || l.grace <= 0 || !onlySlotsMissing(checks) {
		return err
	}
	deadline := time.Now().Add(l.grace)
	for pause := 2 * time.Millisecond; ; pause *= 2 {
		pause = min(pause, time.Until(deadline))
		if pause <= 0 {
			return err
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		for i := range checks {
			checks[i] = check{kind: checks[i].kind, lim: checks[i].lim, cost: checks[i].cost, estimate: checks[i].estimate}
		}
		if err = l.runChecks(ctx, checks); err == nil || !onlySlotsMissing(checks) {
			return err
		}
	}
}

// onlySlotsMissing reports whether the refused checks are all
// concurrency checks refused for want of a slot (not a back end failure,
// nor a rate, which waiting a moment would not change).
func onlySlotsMissing(checks []check) bool {
	refused := false
	for i := range checks {
		c := &checks[i]
		if !c.tried || c.ok || c.givenBack {
			continue
		}
		if c.kind != checkConc || c.err != nil {
			return false
		}
		refused = true
	}
	return refused
}
