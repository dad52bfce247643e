package gateway

import (
	"math"
	"testing"

	"switchyard/llm"
	"switchyard/record"
)

// A request run again on the router after an earlier call made for it
// (a provider batch's failed answer to a batch line: WithEarlierAttempt)
// bills that call on its record, first in its trail, at the price it
// came with; the total cost adds it, the served cost does not.
func TestEarlierAttemptBilled(t *testing.T) {
	for _, stream := range []bool{false, true} {
		g, flush := recorded(t, upstream(nil), false)
		dep := llm.Deployment{Name: "a", Provider: "p", Model: "a", InputPricePerM: 0.5, OutputPricePerM: 2}
		failed := llm.Errorf(llm.KindUpstream, "The server had an error processing your request.")
		failed.Code, failed.Retryable = "server_error", true
		ctx := WithEarlierAttempt(callerCtx(), dep, llm.Usage{PromptTokens: 1000, CompletionTokens: 500, TotalTokens: 1500}, failed)
		var served llm.Served
		if stream {
			s, err := g.Stream(ctx, hello("r"), nil, &served)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := readStream(s, 0); err != nil {
				t.Fatal(err)
			}
		} else if _, err := g.Chat(ctx, hello("r"), nil, &served); err != nil {
			t.Fatal(err)
		}
		recs := flush()
		if len(recs) != 1 {
			t.Fatalf("%d records", len(recs))
		}
		r := recs[0] // (not onlyRecord: the earlier call's latency is not known, 0)
		const earlier = (1000*0.5 + 500*2) / 1e6
		if len(r.Trail) < 2 || r.Trail[0].Deployment != "a" || r.Trail[0].Outcome != "error" || r.Trail[0].ErrorKind != llm.KindUpstream ||
			r.Trail[0].ErrorCode != "server_error" || math.Abs(r.Trail[0].CostUSD-earlier) > 1e-12 || r.Attempts != len(r.Trail) {
			t.Fatalf("stream %v: trail %s %+v", stream, trailOf(r), r.Trail)
		}
		if len(r.Billed) != 2 || r.Billed[0].Served || math.Abs(r.CostUSD-llm.RoundUSD(earlier+r.ServedCostUSD)) > 1e-12 || r.ServedCostUSD == 0 {
			t.Errorf("stream %v: billed %+v, cost %v served %v", stream, r.Billed, r.CostUSD, r.ServedCostUSD)
		}
	}
}

// A caller that asks for its request's total cost (WithTotalCost: a batch
// line's runner) gets the record's, the earlier call included, once Chat
// returned; the served cost stays the answer's.
func TestTotalCostGiven(t *testing.T) {
	g, flush := recorded(t, upstream(nil), false)
	dep := llm.Deployment{Name: "a", Provider: "p", Model: "a", InputPricePerM: 0.5, OutputPricePerM: 2}
	var total record.Total
	ctx := WithTotalCost(WithEarlierAttempt(callerCtx(), dep, llm.Usage{PromptTokens: 1000, CompletionTokens: 500}, llm.Errorf(llm.KindUpstream, "failed")), &total)
	var served llm.Served
	if _, err := g.Chat(ctx, hello("r"), nil, &served); err != nil {
		t.Fatal(err)
	}
	got := total
	recs := flush()
	if len(recs) != 1 || got.CostUSD != recs[0].CostUSD || got.CostUSD <= served.CostUSD || served.CostUSD == 0 || got.CostUnknown {
		t.Errorf("total %+v, served %v; records %d", got, served.CostUSD, len(recs))
	}
}

// A request served with WithBatch (a batch line the router runs) is
// recorded as a line of that batch, run on the router; one without it is
// no batch's.
func TestBatchLineMarked(t *testing.T) {
	g, flush := recorded(t, upstream(nil), false)
	var served llm.Served
	if _, err := g.Chat(WithBatch(callerCtx(), "batch_1"), hello("r"), nil, &served); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Chat(callerCtx(), hello("r"), nil, &served); err != nil {
		t.Fatal(err)
	}
	recs := flush()
	if len(recs) != 2 || recs[0].BatchID != "batch_1" || recs[0].Batch != record.BatchRouter || recs[1].BatchID != "" || recs[1].Batch != "" {
		t.Fatalf("records: %+v", recs)
	}
}
