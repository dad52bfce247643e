package drift

import (
	"context"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// act raises the alert of a flagged path, unless the same path and
// metric was alerted on within the window, and with a Demoter demotes
// the path when it is not demoted yet (the alert then says so whatever
// was alerted before); base is the path's trailing traffic, which a
// demotion keeps as its reference. It reports whether the path is
// flagged.
func (l *Live) act(ctx context.Context, lp LivePath, base *pathSample, demoted map[Path]*liveDemotion, now time.Time, o LiveOptions) bool {
	var flagged []store.DriftTest
	for _, t := range lp.Tests {
		if t.Flagged {
			flagged = append(flagged, t)
		}
	}
	if len(flagged) == 0 {
		return false
	}
	fresh := l.fresh(lp.Path, flagged, now, o)
	descs := make([]string, len(flagged))
	for i := range flagged {
		descs[i] = Describe(&flagged[i])
	}
	summary := "live traffic changed on " + lp.Path.String() + ": " + strings.Join(descs, "; ")
	al := &Alert{Source: SourceLive, Time: now, Deployment: lp.Path.Deployment, Route: lp.Path.Route, Category: lp.Path.Category, Tests: fresh}
	if l.Demoter != nil && demoted[lp.Path] == nil {
		why := l.Demoter.demote(ctx, lp.Path, base, flagged, summary, now)
		if why == "" {
			al.Demoted, al.Tests = []llm.Category{lp.Path.Category}, flagged
		} else {
			summary += "; not demoted: " + why
		}
	}
	if len(al.Tests) == 0 {
		return true
	}
	al.Summary = summary
	l.Alerter.Raise(ctx, al)
	return true
}

// fresh returns the flagged tests of p not alerted on within the window,
// marking them alerted now.
func (l *Live) fresh(p Path, flagged []store.DriftTest, now time.Time, o LiveOptions) []store.DriftTest {
	var out []store.DriftTest
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.alerted == nil {
		l.alerted = map[string]time.Time{}
	}
	for _, t := range flagged {
		key := p.String() + "\x00" + t.Metric
		if last, ok := l.alerted[key]; ok && now.Sub(last) < o.Window {
			continue
		}
		l.alerted[key] = now
		out = append(out, t)
	}
	for k, at := range l.alerted {
		if now.Sub(at) > o.Window+o.Trailing {
			delete(l.alerted, k)
		}
	}
	return out
}
