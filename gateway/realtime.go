package gateway

import (
	"context"
	"sync"
	"time"

	"github.com/coder/websocket"

	"switchyard/budget"
	"switchyard/llm"
	"switchyard/provider"
	"switchyard/record"
	wire "switchyard/wire/openai"
)

// This file opens the Realtime API's sessions (GET /v1/realtime): the
// caller's limits and budgets, then the candidates of the model that
// declare the realtime capability, in order, each handshake bounded,
// failing over on a refused or failed handshake until one upstream
// accepts. From then on the session is the relay's (api/openai); the
// gateway only accounts: each response.done's usage priced and charged
// to the budgets as it completes, the session recorded once it ends.

// accountQueue bounds the response.done events waiting to be priced;
// past it the relay waits (a response is far rarer than its deltas).
const accountQueue = 64

// RealtimeSession is a Realtime API session the gateway opened with an
// upstream. Observe and Close may be called from different goroutines;
// Observe from one at a time.
type RealtimeSession struct {
	upstream *websocket.Conn
	ctx      context.Context // the session's: the request's, cut by the shutdown
	cut      *cut
	g        *Gateway
	target   *Target
	call     *openedCall
	who      budget.Who

	events chan []byte   // response.done candidates for account
	done   chan struct{} // closed once account returned
	once   sync.Once
	// Written by account only, read after done.
	responses int
	usage     llm.Usage
	usd       float64
	charged   []string
}

// OpenRealtime opens a session with a realtime deployment of model (a
// deployment, or a configured route's deployments in order), each
// upstream handshake bounded by connect (zero: none). Before the session
// starts it fails with the *llm.Error the HTTP handshake is answered
// with: an unknown model (404), one with no realtime deployment (400),
// a deployment or route the caller may not use (403), a spent hard
// budget (429 budget_exceeded), the caller's limits, or the last
// candidate's failure. It fills served. The session must be closed
// (Close), which records it.
func (g *Gateway) OpenRealtime(ctx context.Context, model string, connect time.Duration, served *llm.Served) (*RealtimeSession, error) {
	model = g.resolvedName(model)
	rec := g.newRecord(ctx, "realtime", true)
	c := cutOnShutdown(ctx)
	ticket, err := g.admitNamed(c.ctx, model, nil)
	s := &RealtimeSession{ctx: c.ctx, cut: c, g: g}
	if err == nil {
		err = g.connectRealtime(s, model, connect, served, rec)
	}
	end := func(err error) error {
		err = c.err(err)
		c.cancel()
		rec.Responses, rec.Budgets = s.responses, s.charged
		g.finish(rec, served, nil, err, nil, ticket)
		return err
	}
	if err != nil {
		return nil, end(err)
	}
	s.call = &openedCall{rec: rec, served: served, end: end}
	s.events, s.done = make(chan []byte, accountQueue), make(chan struct{})
	go s.account()
	return s, nil
}

// connectRealtime resolves model's candidates, holds the caller to its
// budgets and dials the realtime ones in order; the first that accepts
// is s's upstream.
func (g *Gateway) connectRealtime(s *RealtimeSession, model string, connect time.Duration, served *llm.Served, rec *record.Record) error {
	ctx := s.ctx
	cands, route, err := g.namedCandidates(model)
	if err != nil {
		return err
	}
	served.Route = route
	s.who = g.who(ctx, "")
	s.who.Route = route
	if cands, err = g.realtimeBudgets(ctx, model, s.who, keepAllowed(ctx, cands)); err != nil {
		return err
	}
	nc := &namedCall[websocket.Conn]{
		call: func(ctx context.Context, t *Target) (*websocket.Conn, error) {
			if connect > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, connect)
				defer cancel()
			}
			return t.Provider.(provider.Realtimer).DialRealtime(ctx, t.Deployment.Model)
		},
		firstByte: noFirstByte,
		discard:   func(c *websocket.Conn) { c.CloseNow() },
		usage:     func(*websocket.Conn) llm.Usage { return llm.Usage{} },
		price:     func(*Target, *websocket.Conn, llm.Usage) (float64, bool) { return 0, true },
		unserved:  notMedia(model, "the Realtime API", llm.CapRealtime, "gpt-realtime"),
		serves:    func(t *Target) bool { return t.Deployment.Has(llm.CapRealtime) },
		refuse: func(t *Target) error {
			if _, ok := t.Provider.(provider.Realtimer); !ok {
				return wrongKind(t, "realtime")
			}
			return nil
		},
	}
	conn, t, _, err := attemptInOrder(ctx, g, nc, route, cands, served, rec)
	if err != nil {
		return err
	}
	s.upstream, s.target = conn, t
	served.CostUnknown = t.Deployment.PriceUnknown
	return nil
}

// realtimeBudgets keeps the candidates the caller's budgets allow (as
// keepBudgeted) and refuses the session (429 budget_exceeded) when a
// hard budget is spent: it reserves the least amount there is, and
// releases it at once. The responses are charged as they complete
// (account), not held for ahead: a session's cost is not known at its
// start.
func (g *Gateway) realtimeBudgets(ctx context.Context, model string, who budget.Who, cands []*Target) ([]*Target, error) {
	if g.budgets == nil {
		return cands, nil
	}
	h, err := g.budgets.Begin(ctx, who)
	if err != nil {
		return nil, err
	}
	if cands, err = keepBudgeted(model, cands, &h); err != nil {
		h.Settle(ctx, false, budget.Amount{})
		return nil, err
	}
	if err := h.Reserve(ctx, budget.Amount{USD: 1e-6, Tokens: 1}); err != nil {
		return nil, err
	}
	h.Settle(ctx, false, budget.Amount{})
	return cands, nil
}

// Conn returns the upstream's connection; the relay reads and writes it
// and closes it.
func (s *RealtimeSession) Conn() *websocket.Conn { return s.upstream }

// Interrupted returns the error that ended a session whose context
// ended with err: the shutdown's when the drain cut it, else err.
func (s *RealtimeSession) Interrupted(err error) error { return s.cut.err(err) }

// Context returns the session's context: the request's, cancelled too
// when the router's shutdown drain ends. The relay runs under it.
func (s *RealtimeSession) Context() context.Context { return s.ctx }

// Deployment returns the deployment serving the session.
func (s *RealtimeSession) Deployment() string { return s.target.Deployment.Name }

// Observe takes one text message the upstream sent (relayed as it is):
// a response.done is queued to be priced and charged off the relay's
// path; every other message costs a substring search. msg must not be
// modified afterwards, and Observe must not be called after Close.
func (s *RealtimeSession) Observe(msg []byte) {
	if !wire.MaybeRealtimeUsage(msg) {
		return
	}
	select {
	case s.events <- msg:
	case <-s.done:
	}
}

// account prices each response.done's usage at the deployment's prices
// and charges it to the budgets, until Close.
func (s *RealtimeSession) account() {
	defer close(s.done)
	dep := &s.target.Deployment
	for msg := range s.events {
		ru, ok, err := wire.DecodeRealtimeUsage(msg)
		if err != nil || !ok {
			continue
		}
		u := ru.Usage()
		usd := dep.Cost(u)
		s.responses++
		s.usage.Add(u)
		s.usd = llm.RoundUSD(s.usd + usd)
		if s.g.budgets == nil {
			continue
		}
		names, err := s.g.budgets.Charge(context.WithoutCancel(s.ctx), s.who, budget.Amount{USD: usd, Tokens: int64(u.TotalTokens)})
		if err == nil {
			s.charged = mergeNames(s.charged, names)
		}
	}
}

// Close ends the session once: the responses queued are accounted, then
// the session is recorded with err, what ended it (nil: a normal close
// by either side). It returns the error to tell the client: err, or the
// shutdown's when the drain cut the session.
func (s *RealtimeSession) Close(err error) error {
	s.once.Do(func() {
		close(s.events)
		<-s.done
		s.call.bill(s.usage, s.usd, !s.target.Deployment.PriceUnknown)
		err = s.call.end(err)
	})
	return err
}

// mergeNames adds the names of more not in names.
func mergeNames(names, more []string) []string {
	for _, n := range more {
		found := false
		for _, m := range names {
			found = found || m == n
		}
		if !found {
			names = append(names, n)
		}
	}
	return names
}
