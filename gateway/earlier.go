package gateway

import (
	"context"

	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/record"
)

// This file bills, on a request's record, a call made for the request
// before the router ran it: a provider batch's failed answer to a batch
// line, which the router then runs as a live request (the issue's "cost
// of every attempt, including failed ones"); gives the record's total
// to a caller in the process that asks for it (a batch line's runner);
// and marks a batch line's record with its batch.

type earlierKey struct{}

// earlierAttempt is what WithEarlierAttempt carries.
type earlierAttempt struct {
	dep   llm.Deployment
	usage llm.Usage
	err   *llm.Error
}

// WithEarlierAttempt returns ctx carrying an upstream call made for the
// request before it reached the gateway: on dep (priced as that call is
// billed: a provider batch's call at the batch price), using usage, and
// failed with err (nil: answered, its answer not used). The request's
// record bills it as its first attempt: in Billed and Trail, and in the
// record's cost (and so its budgets), not in the served cost.
func WithEarlierAttempt(ctx context.Context, dep llm.Deployment, usage llm.Usage, err *llm.Error) context.Context {
	return context.WithValue(ctx, earlierKey{}, &earlierAttempt{dep: dep, usage: usage, err: err})
}

// billEarlier bills the earlier call ctx carries, if any, on rec, which
// is new.
func billEarlier(ctx context.Context, rec *record.Record) {
	e, _ := ctx.Value(earlierKey{}).(*earlierAttempt)
	if e == nil {
		return
	}
	a := &record.Attempt{Deployment: e.dep.Name, Outcome: string(dispatch.OutcomeOK), Start: rec.Start}
	if e.err != nil {
		a.Outcome, a.ErrorKind, a.ErrorCode = string(dispatch.OutcomeError), e.err.Kind, e.err.Code
	}
	a.CostUSD = bill(rec, -1, &e.dep, e.usage, false)
	a.Usage, a.CostUnknown = e.usage, e.dep.CostUnknown(e.usage)
	rec.Earlier = a
}

// earlierFirst puts rec's earlier call, if any, first in its trail.
func earlierFirst(rec *record.Record) {
	if rec.Earlier != nil {
		rec.Trail = append([]record.Attempt{*rec.Earlier}, rec.Trail...)
	}
}

type totalKey struct{}

// WithTotalCost returns ctx asking the gateway to write into t the total
// cost of the request it serves with ctx (its record's cost_usd: every
// billed attempt, an earlier one included), once it is complete — before
// the call returns for a complete answer, at the stream's end for a
// stream. A batch line's runner reads it there.
func WithTotalCost(ctx context.Context, t *record.Total) context.Context {
	return context.WithValue(ctx, totalKey{}, t)
}

// totalTo is the Total ctx asks the record's cost in, nil when none.
func totalTo(ctx context.Context) *record.Total {
	t, _ := ctx.Value(totalKey{}).(*record.Total)
	return t
}

type batchKey struct{}

// WithBatch returns ctx marking the request the gateway serves with it as
// a line of the batch id (batch_…, msgbatch_…): its record carries the
// id, and how the line ran — record.BatchRouter, unless it is recorded
// as forwarded (RecordBatchLine, RecordBatchEmbedding:
// record.BatchProvider). The request log, the admin API's batches and
// the report tell batch lines from live requests by it.
func WithBatch(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, batchKey{}, id)
}

// markBatch marks rec, new, as a line of the batch ctx names, if any.
func markBatch(ctx context.Context, rec *record.Record) {
	if id, _ := ctx.Value(batchKey{}).(string); id != "" {
		rec.BatchID, rec.Batch = id, record.BatchRouter
	}
}
