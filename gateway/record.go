package gateway

import (
	"context"

	"switchyard/budget"
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/tenant"
	"switchyard/wire/anthropic"
	"switchyard/wire/responses"
)

// This file builds each request's Record: who sent it, its attempts and
// what each is billed, and, when answers are kept, the request and the
// answer the client got.

func (g *Gateway) newRecord(ctx context.Context, endpoint string, stream bool) *record.Record {
	c := CallerFrom(ctx)
	rec := &record.Record{
		RequestID: llm.RequestID(ctx), Caller: c.Name, Tenant: c.Tenant, TraceParent: TraceParentFrom(ctx),
		Session: SessionFrom(ctx), Start: g.now(), Endpoint: endpoint, Stream: stream, Propensity: 1,
	}
	billEarlier(ctx, rec)
	markBatch(ctx, rec)
	rec.TotalTo = totalTo(ctx)
	return rec
}

// keepRequest puts req in rec when the gateway keeps answers.
func (g *Gateway) keepRequest(rec *record.Record, req *llm.Request) {
	if g.keepAnswers {
		rec.Request = req
	}
}

// finish completes rec from served, the attempt log the dispatcher filled
// (nil when nothing was dispatched) and err, settles the request's budget
// hold (nil: none) with its cost and its caller's ticket (nil: none) with
// its tokens, and queues it.
func (g *Gateway) finish(rec *record.Record, served *llm.Served, log *dispatch.Attempts, err error, hold *budget.Hold, ticket *tenant.Ticket) {
	now := g.now()
	rec.Route, rec.Deployment, rec.Provider, rec.Model = served.Route, served.Deployment, served.Provider, served.Model
	rec.SteersUndelivered = served.SteersUndelivered
	if log != nil {
		as := log.Seal(now)
		fillTrail(rec, as)
		g.billHedgeLosers(rec, as)
	}
	earlierFirst(rec)
	rec.Attempts = len(rec.Trail)
	rec.CostUSD, rec.ServedCostUSD = served.CostUSD, served.CostUSD
	rec.CostUnknown = served.CostUnknown || rec.BilledCostUnknown()
	if len(rec.Billed) > 0 {
		rec.CostUSD = 0
		for _, b := range rec.Billed {
			rec.CostUSD += b.CostUSD
		}
		rec.CostUSD = llm.RoundUSD(rec.CostUSD)
	}
	rec.TierPrice = g.tierPrice(rec)
	rec.Latency = now.Sub(rec.Start)
	rec.Status = 200
	if err != nil {
		e := llm.AsError(err)
		rec.Status, rec.ErrorKind, rec.ErrorCode = e.HTTPStatus(), e.Kind, e.Code
	}
	settleBudgets(hold, rec)
	ticket.Done(usedTokens(rec))
	if rec.TotalTo != nil {
		*rec.TotalTo = record.Total{CostUSD: rec.CostUSD, CostUnknown: rec.CostUnknown}
	}
	if g.recorder != nil {
		g.recorder.Add(rec)
	}
}

// tierPrice is how the tier that served rec was priced on its deployment
// (llm.TierPrice.Source), "" for the standard price.
func (g *Gateway) tierPrice(rec *record.Record) string {
	t := g.byName[rec.Deployment]
	if t == nil {
		return ""
	}
	if tp := t.Deployment.TierAt(rec.Usage.ServiceTier); tp != nil {
		return tp.Source
	}
	return ""
}

// bill notes the usage of attempt i (its index in the attempt log; -1
// when unknown) in rec — in Billed, on the attempt in Trail, and as the
// record's usage too when it is the attempt that served — and returns
// its cost (0 when dep's price is unknown, which both note).
func bill(rec *record.Record, i int, dep *llm.Deployment, u llm.Usage, served bool) float64 {
	c := cost.Of(dep, u)
	unknown := dep.CostUnknown(u)
	rec.Billed = append(rec.Billed, record.Billed{Deployment: dep.Name, Usage: u, CostUSD: c, CostUnknown: unknown, Served: served})
	if served || rec.Usage == (llm.Usage{}) {
		rec.Usage = u
	}
	if i >= 0 {
		growTrail(rec, i+1)
		rec.Trail[i].Usage, rec.Trail[i].CostUSD, rec.Trail[i].CostUnknown = u, c, unknown
	}
	return c
}

// onAbandon returns the dispatch plan's OnAbandon: it bills each attempt
// abandoned after its first chunk for what it produced (its usage when
// the upstream sent it, else what it reported on the way and an estimate
// of the rest: the prompt's size, the text, a compaction and the hosted
// tool calls done). It runs on the request's goroutine.
func onAbandon(rec *record.Record, promptTokens int, req *llm.Request) func(int, *llm.Deployment, *llm.Response, error) {
	advisor := anthropic.AdvisorModel(req.Tools)
	return func(i int, dep *llm.Deployment, partial *llm.Response, _ error) {
		u := cost.Usage(promptTokens, partial)
		estimateCompaction(&u, promptTokens, partialSummary(partial))
		estimateAdvisor(&u, advisor, promptTokens, partialAdvice(partial))
		if u.Estimated && partial != nil && len(partial.Choices) > 0 { // and the hosted calls it made
			var calls responses.HostedCalls
			for _, b := range partial.Choices[0].Message.Hosted() {
				calls.Add(b.Raw)
			}
			calls.AddTo(&u)
		}
		bill(rec, i, dep, u, false)
	}
}

// fillTrail sets rec.Trail from the sealed attempt log, keeping the usage
// and cost bill put on each attempt.
func fillTrail(rec *record.Record, as []dispatch.Attempt) {
	growTrail(rec, len(as))
	for i := range as {
		a, t := &as[i], &rec.Trail[i]
		t.Deployment, t.Tier, t.Outcome, t.ErrorKind, t.ErrorCode = a.Deployment, a.Tier, string(a.Outcome), a.ErrorKind, a.ErrorCode
		t.Start, t.TTFT, t.Latency, t.Hedge, t.Resumed = a.Start, a.TTFT, a.Latency, a.Hedge, a.Resumed
	}
}

// growTrail makes rec.Trail at least n attempts long.
func growTrail(rec *record.Record, n int) {
	if n > len(rec.Trail) {
		rec.Trail = append(rec.Trail, make([]record.Attempt, n-len(rec.Trail))...)
	}
}
