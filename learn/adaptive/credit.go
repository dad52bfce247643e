package adaptive

import (
	"context"
	"errors"
	"time"

	"switchyard/learn"
	"switchyard/learn/bandit"
	"switchyard/store"
)

// This file credits outcomes: each finished request served on an
// adaptive route is remembered with its arm; each feedback row on it
// (an implicit signal, or a rating that may come minutes later) makes its
// reward, which becomes an outcome of the arm, or corrects the outcome it
// already gave.

// Served is a finished request of an adaptive route, as the learner
// needs it.
type Served struct {
	RequestID, Route, Tenant string
	// Deployment is the deployment that served the answer.
	Deployment string
	// Context is the plan's adaptive context.
	Context bandit.Context
	// Explored reports that the plan's first candidate was a Thompson
	// draw; Answered that the client got an answer (others are counted,
	// never credited).
	Explored, Answered bool
	// Refused lists the deployments whose refusals were passed over for
	// a later candidate (routes.NAME.on_refusal: fallback), in the order
	// they were called; each is an outcome of reward learn.RefusedReward. The
	// deployment that served is not among them: its answer, a refusal
	// kept when nothing else answered, is credited as any answer.
	Refused []string
}

// Served queues a finished request without blocking.
func (l *Learner) Served(s Served) {
	if s.RequestID == "" || l.opts.HalfLife[s.Route] == 0 {
		return
	}
	l.enqueue(event{served: &s})
}

// Feedback queues feedback rows (implicit signals and ratings, as the
// feedback learner writes them) without blocking.
func (l *Learner) Feedback(rows []*store.Feedback) {
	if len(rows) > 0 {
		l.enqueue(event{feedback: rows})
	}
}

// request is a remembered request and the reward it gave.
type request struct {
	id, route, dep, tenant string
	ctx                    bandit.Context
	// at is when it was served (by the learner's clock): its outcome
	// counts from then, however late its feedback comes (add).
	at time.Time
	// implicit sums the implicit rows' values; explicit is the last
	// rating, when hasExplicit.
	implicit, explicit float64
	implicitN          int
	hasExplicit        bool
	// credited reports an outcome given, of reward.
	credited bool
	reward   float64
}

// requests remembers the most recent requests, the oldest forgotten
// first. Owned by the run goroutine.
type requests struct {
	byID map[string]*request
	ring []string
	next int
}

func newRequests(n int) *requests {
	return &requests{byID: make(map[string]*request, n), ring: make([]string, n)}
}

func (rs *requests) add(r *request) {
	if _, ok := rs.byID[r.id]; ok {
		return
	}
	if old := rs.ring[rs.next]; old != "" {
		delete(rs.byID, old)
	}
	rs.ring[rs.next] = r.id
	rs.next = (rs.next + 1) % len(rs.ring)
	rs.byID[r.id] = r
}

func (l *Learner) serve(s *Served) {
	l.m.decision(s.Route, s.Explored)
	l.refused(s)
	if !s.Answered || s.Deployment == "" {
		return
	}
	l.reqs.add(&request{id: s.RequestID, route: s.Route, dep: s.Deployment, tenant: s.Tenant, ctx: s.Context, at: l.now()})
}

// refused credits each deployment that refused s's request before
// another candidate was tried with an outcome of reward learn.RefusedReward, at
// once: the client never saw those answers, so no later feedback is about
// them. Without it the scorer would never learn that a deployment
// refuses a kind of request, and keep calling it first: a refusal passed
// over is no health failure.
func (l *Learner) refused(s *Served) {
	if l.opts.RefusalWeight == 0 {
		return
	}
	reward := learn.RefusedReward(l.opts.RefusalWeight)
	for _, dep := range s.Refused {
		r := &request{route: s.Route, dep: dep, tenant: s.Tenant, ctx: s.Context, at: l.now()}
		l.m.outcomes.WithLabelValues(r.route).Inc()
		l.add(r, bandit.Counts{Good: reward, Bad: 1 - reward})
		l.watch(r, reward)
	}
}

// feedback credits f to its request: remembered, or, for a rating,
// looked up in the store (off this goroutine; at most maxLookups at
// once, others dropped and counted). An implicit row of a request not
// remembered is not looked up: the detector makes it in this process,
// after the request's record, so the request was not adaptive (or is
// long forgotten).
func (l *Learner) feedback(f *store.Feedback) {
	if r := l.reqs.byID[f.RequestID]; r != nil {
		l.credit(r, f)
		return
	}
	if l.opts.Store == nil || f.Kind != store.KindExplicit {
		return
	}
	if l.lookups >= maxLookups {
		l.m.dropped.Inc()
		return
	}
	l.lookups++
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
		defer cancel()
		r, err := l.lookup(ctx, f)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			l.log.Warn("adaptive: looking up a rated request failed", "request_id", f.RequestID, "err", err)
		}
		l.resolved <- resolved{req: r, feedback: f}
	}()
}

// lookup reads the request of f from the store; nil when it is not a
// request an adaptive route served.
func (l *Learner) lookup(ctx context.Context, f *store.Feedback) (*request, error) {
	row, err := l.opts.Store.Get(ctx, store.TenantScope(f.Tenant), f.RequestID)
	if err != nil {
		return nil, err
	}
	a := row.Explanation.Adaptive
	if a == nil || row.Deployment == "" || row.Failed() || l.opts.HalfLife[row.Route] == 0 {
		return nil, nil
	}
	c, ok := bandit.ParseContext(a.Context)
	if !ok || c.Level() != bandit.LevelFull {
		return nil, nil
	}
	return &request{id: row.ID, route: row.Route, dep: row.Deployment, tenant: row.Tenant, ctx: c, at: row.Time}, nil
}

// resolve takes a store look-up's answer. The request may be remembered
// by now, its Served event (or an earlier look-up's answer) applied
// while the look-up was in flight: the feedback then goes to the
// remembered one, so that the request gives one outcome whichever
// arrived first, and later rows correct it rather than add another.
// A looked-up request counts from the time of its row, no later than
// now (another process's clock, or a test's learner clock, may differ).
func (l *Learner) resolve(r resolved) {
	l.lookups--
	if r.req != nil {
		req := l.reqs.byID[r.req.id]
		if req == nil {
			req = r.req
			if now := l.now(); req.at.IsZero() || req.at.After(now) {
				req.at = now
			}
			l.reqs.add(req)
		}
		l.credit(req, r.feedback)
	}
	l.finishFlushes()
}

// credit applies f to r and gives (or corrects) r's outcome: the reward
// is the last rating when there is one, else 0.5 + 0.5 × the implicit
// signals' weights, clamped to [0, 1] (learn.Reward's rule).
func (l *Learner) credit(r *request, f *store.Feedback) {
	if f.Kind == store.KindExplicit {
		r.explicit, r.hasExplicit = f.Value, true
	} else {
		r.implicit += f.Value
		r.implicitN++
	}
	reward := min(1, max(0, 0.5+0.5*r.implicit))
	if r.hasExplicit {
		reward = min(1, max(0, r.explicit))
	}
	d := bandit.Counts{Good: reward, Bad: 1 - reward}
	first := !r.credited
	if first {
		l.m.outcomes.WithLabelValues(r.route).Inc()
	} else {
		d = bandit.Counts{Good: reward - r.reward, Bad: r.reward - reward}
	}
	r.credited, r.reward = true, reward
	l.add(r, d)
	if first {
		l.watch(r, reward)
	}
}

// watch feeds an outcome to the change detector; when the deployment's
// recent outcomes in the category show it changed, its older record
// there has been discounted (bandit.Changes), and the shared state gets
// the same discount.
func (l *Learner) watch(r *request, reward float64) {
	now := l.now()
	c, ok := l.changes.Observe(l.tab, r.route, r.dep, r.ctx, reward, now, func(k bandit.Key, d bandit.Counts) {
		if l.shared != nil {
			l.shared.note(k, d, now)
		}
	})
	if !ok {
		return
	}
	l.m.changes.WithLabelValues(r.route, r.dep).Inc()
	l.log.Info("adaptive: a deployment changed; its older outcomes in the category now count for little",
		"route", r.route, "deployment", r.dep, "category", c.Key.Context.CategoryName(),
		"recent_p_good", c.Recent, "before_p_good", c.Before, "before_outcomes", c.BeforeN)
}

// add adds d to every key r's outcome updates, as of r.at, when r was
// served: feedback that arrives late counts as decayed from then, not as
// new (bandit.Table.Add), and a correction cancels exactly what the
// reward it corrects added. So the counts depend on which requests got
// which rewards, not on when or in what order their feedback arrived.
func (l *Learner) add(r *request, d bandit.Counts) {
	var buf [4]bandit.Key
	for _, k := range bandit.Keys(buf[:0], r.route, r.dep, r.tenant, r.ctx) {
		if l.tab.Add(k, d, r.at) && l.shared != nil {
			l.shared.note(k, d, r.at)
		}
	}
	l.dirty = true
}
