package gateway

import (
	"context"
	"errors"
	"strconv"

	"switchyard/budget"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/record"
)

// This file serves the endpoints that are not classified and go to a
// deployment named directly or to a configured route's deployments in
// their listed order — embeddings and moderations — failing over between
// those candidates on retryable errors (serveNamed).

// namedCall is what one such endpoint brings to serveNamed: the request's
// model and texts, and the endpoint's rules for its candidates.
type namedCall[Resp any] struct {
	// endpoint names the endpoint in the record: "embeddings", "moderations".
	endpoint string
	// model is the deployment or route the request names.
	model string
	// texts are the request's input texts, for admission and budgets.
	texts []string
	// unserved is the error when no candidate serves the endpoint.
	unserved error
	// serves reports whether t serves the endpoint at all; a candidate
	// that does not is passed over without a word.
	serves func(t *Target) bool
	// refuse returns why t, which serves the endpoint, cannot take this
	// request's input, or nil when it can. The refusal of the last
	// candidate passed over before any call is the error when no
	// candidate is called.
	refuse func(t *Target) error
	// firstByte is how the endpoint bounds an attempt's first byte
	// (attemptTimeout); the zero firstByte means the bound a chat attempt
	// on t would have (namedTTFT): an embedding comes whole, as soon as a
	// first token would.
	firstByte firstByte
	// discard, for an answer read after call returns (speech audio, an
	// event stream, a WebSocket), closes an answer abandoned at the
	// first-byte timeout; nil for an answer that comes whole.
	discard func(resp *Resp)
	// call sends the request to t, with its model set to t's.
	call func(ctx context.Context, t *Target) (*Resp, error)
	// usage returns the usage to bill for resp, setting it on resp when
	// the upstream reports none.
	usage func(resp *Resp) llm.Usage
	// price returns the USD cost of resp on t, and false when it cannot
	// be known; nil means u at t's token prices (t.Deployment.Cost).
	price func(t *Target, resp *Resp, u llm.Usage) (float64, bool)
	// estimate returns the most the request can cost on t, for the
	// budgets' reservation; nil means the tokens of texts at t's input
	// price.
	estimate func(t *Target) float64
}

// serveNamed answers nc's request: the caller's limits and budgets, then
// the candidates in order (tryNamed), recording the request once it ends.
// It fills served as it goes. Errors are *llm.Error values.
func serveNamed[Resp any](ctx context.Context, g *Gateway, nc *namedCall[Resp], served *llm.Served) (*Resp, error) {
	resp, call, err := openNamed(ctx, g, nc, served)
	if err == nil {
		call.done(nil)
	}
	return resp, err
}

// openNamed is serveNamed for an answer read after it returns (speech
// audio, a streamed answer's events, relayed as they arrive): when it
// returns no error, the request's context lives, and the request is
// recorded, only once the opened call's done is called with the error
// that ended the reading (nil when it was read whole).
func openNamed[Resp any](ctx context.Context, g *Gateway, nc *namedCall[Resp], served *llm.Served) (*Resp, *openedCall, error) {
	nc.model = g.resolvedName(nc.model)
	rec := g.newRecord(ctx, nc.endpoint, false)
	c := cutOnShutdown(ctx)
	var hold budget.Hold
	ticket, err := g.admitNamed(c.ctx, nc.model, nc.texts)
	var resp *Resp
	if err == nil {
		resp, err = tryNamed(c.ctx, g, nc, served, rec, &hold)
	}
	end := func(err error) error {
		err = c.err(err)
		c.cancel()
		g.finish(rec, served, nil, err, &hold, ticket)
		return err
	}
	if err != nil {
		return nil, nil, end(err)
	}
	return resp, &openedCall{rec: rec, served: served, end: end}, nil
}

// openedCall is a request openNamed opened, recorded once done.
type openedCall struct {
	rec    *record.Record
	served *llm.Served
	end    func(error) error
}

// done ends the request with the error that ended the reading (nil when
// the answer was read whole) and records it.
func (o *openedCall) done(err error) { o.end(err) }

// bill sets the answer's usage and cost when they are known only at its
// end (a streamed answer's last event): on the record, its last attempt
// and the served cost.
func (o *openedCall) bill(u llm.Usage, usd float64, known bool) {
	o.served.CostUSD, o.served.CostUnknown = usd, !known
	o.rec.Usage = u
	if n := len(o.rec.Trail); n > 0 {
		a := &o.rec.Trail[n-1]
		a.Usage, a.CostUSD, a.CostUnknown = u, usd, !known
	}
}

// tryNamed tries the candidates of nc's model that serve the endpoint and
// take its input, in order, until one answers or fails with an error not
// worth another candidate (failover).
func tryNamed[Resp any](ctx context.Context, g *Gateway, nc *namedCall[Resp], served *llm.Served, rec *record.Record, hold *budget.Hold) (*Resp, error) {
	cands, route, err := g.namedCandidates(nc.model)
	if err != nil {
		return nil, err
	}
	served.Route = route
	cands = keepAllowed(ctx, cands)
	if cands, err = g.namedBudgets(ctx, nc.model, nc.texts, nc.estimate, route, cands, hold); err != nil {
		return nil, err
	}
	if nc.estimate != nil && !hold.Ceiling().IsZero() {
		cands = cheapestServing(cands, nc.serves, nc.estimate)
	}
	resp, _, called, err := attemptInOrder(ctx, g, nc, route, cands, served, rec)
	if e := llm.AsError(err); called && e != nil && e.Code == llm.CodeModelNotFound {
		err = dispatch.Misconfigured(e) // the router's configuration, not the client's model
	}
	return resp, err
}

// attemptInOrder calls nc on cands in order, on route, passing over
// those that do not serve it, refuse it or whose breaker is open, until
// one answers or an error is not one to fail over on. It returns the
// answer and the candidate that gave it, or the error: the last
// attempt's (called true); else, when no candidate was called, the first
// refusal or open breaker met, or nc.unserved.
func attemptInOrder[Resp any](ctx context.Context, g *Gateway, nc *namedCall[Resp], route string, cands []*Target, served *llm.Served, rec *record.Record) (resp *Resp, t *Target, called bool, err error) {
	last := nc.unserved
	attempt := 0
	for _, t := range cands {
		if !nc.serves(t) {
			continue
		}
		if err := nc.refuse(t); err != nil {
			if attempt == 0 {
				last = err
			}
			continue
		}
		probe, ok := g.acquireNamed(t)
		if !ok {
			if attempt == 0 {
				last = dispatch.BreakerOpen(g.health, t.Deployment.Name)
			}
			continue
		}
		attempt++
		served.Deployment, served.Provider, served.Model, served.Attempts = t.Deployment.Name, t.Deployment.Provider, t.Deployment.Model, attempt
		served.Summary = namedSummary(route, t, attempt)
		resp, err := attemptNamed(ctx, g, nc, t, namedTry{route: route, rank: attempt - 1, probe: probe}, served, rec)
		if err == nil {
			return resp, t, true, nil
		}
		last = err
		if !failover(ctx, err) {
			break
		}
	}
	return nil, nil, attempt > 0, last
}

// namedTry is what an attempt of tryNamed is: its route ("" for a
// deployment named directly), the candidate's rank among those called
// (from 0), and whether it is a breaker probe.
type namedTry struct {
	route string
	rank  int
	probe bool
}

// attemptNamed calls t once, noting the call in rec.Trail and its
// outcome in t's health and, when t answers, its usage in rec and its
// cost in served. The call is abandoned at its first-byte timeout
// (attemptTimeout), if it has one, as a chat attempt is at its
// first-token timeout.
func attemptNamed[Resp any](ctx context.Context, g *Gateway, nc *namedCall[Resp], t *Target, try namedTry, served *llm.Served, rec *record.Record) (*Resp, error) {
	ttft := g.attemptTimeout(ctx, nc.firstByte, try.route, t, try.rank, textTokens(nc.texts))
	actx, bound := boundAttempt(ctx, ttft)
	start := g.now()
	resp, err := nc.call(actx, t)
	live := nc.discard != nil
	if cut := bound.end(err == nil && live); cut {
		if err == nil && live { // it answered as the bound fired: its context is gone
			nc.discard(resp)
			resp, err = nil, context.DeadlineExceeded
		}
		if err != nil {
			err = dispatch.TierTimeoutError(&t.Deployment, ttft, err)
		}
	}
	a := record.Attempt{Deployment: t.Deployment.Name, Outcome: string(dispatch.OutcomeOK), Start: start, Latency: g.now().Sub(start)}
	g.recordNamed(t, err, try.probe, a.Latency)
	if err != nil {
		o, kind := dispatch.FailureOutcome(ctx, err)
		a.Outcome, a.ErrorKind = string(o), kind
		rec.Trail = append(rec.Trail, a)
		return nil, err
	}
	u := nc.usage(resp)
	served.CostUSD, served.CostUnknown = t.Deployment.Cost(u), t.Deployment.CostUnknown(u)
	if nc.price != nil {
		usd, ok := nc.price(t, resp, u)
		served.CostUSD, served.CostUnknown = usd, !ok
	}
	a.Usage, a.CostUSD, a.CostUnknown = u, served.CostUSD, served.CostUnknown
	rec.Trail = append(rec.Trail, a)
	rec.Usage = u
	return resp, nil
}

// namedCandidates resolves a model name for embeddings or moderations: a
// configured route's deployments, or one deployment (with no route name);
// a built-in route has none.
func (g *Gateway) namedCandidates(model string) ([]*Target, string, error) {
	if ts, ok := g.routes[model]; ok {
		return ts, model, nil
	}
	if t, ok := g.byName[model]; ok {
		return []*Target{t}, "", nil
	}
	if g.policy.IsRoute(model) {
		return nil, model, nil
	}
	return nil, "", g.policy.UnknownModel(model)
}

// namedSummary is the x-switchyard-route summary of an embeddings or
// moderations request.
func namedSummary(route string, t *Target, attempt int) string {
	if route == "" {
		return "pinned=" + t.Deployment.Name
	}
	return "route=" + route + "; deployment=" + t.Deployment.Name + "; attempt=" + strconv.Itoa(attempt)
}

// failover reports whether another candidate should be tried after err.
func failover(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var e *llm.Error
	if errors.As(err, &e) {
		// A deployment refused for its configuration (its key, its model)
		// says nothing about the request: another may take it.
		return e.Retryable || e.Code == llm.CodeUpstreamAuth || e.Code == llm.CodeModelNotFound
	}
	return true
}

// cheapestServing keeps, of the candidates that serve the endpoint, those
// whose request costs least by estimate: a media request under a spent
// soft budget, whose price ceiling is per token and so cannot compare
// prices per image, character or second, goes to its cheapest deployment
// (its equals, in their order, for failover).
func cheapestServing(cands []*Target, serves func(*Target) bool, estimate func(*Target) float64) []*Target {
	least := -1.0
	for _, t := range cands {
		if e := estimate(t); serves(t) && (least < 0 || e < least) {
			least = e
		}
	}
	kept := make([]*Target, 0, len(cands))
	for _, t := range cands {
		if serves(t) && estimate(t) <= least*(1+1e-9) {
			kept = append(kept, t)
		}
	}
	return kept
}
