package gateway

import (
	"context"
	"math"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/record"
)

// checkHedgeLoserBilled checks that r bills the losing call to a (input
// $1 per 1M tokens) an estimate of the whole prompt's input (12 tokens,
// the classifier's count), that the total includes it and the served
// cost does not.
func checkHedgeLoserBilled(t *testing.T, r *record.Record) {
	t.Helper()
	if len(r.Billed) != 2 {
		t.Fatalf("billed %+v", r.Billed)
	}
	var loser, winner record.Billed
	for _, b := range r.Billed {
		if b.Deployment == "a" {
			loser = b
		} else {
			winner = b
		}
	}
	want := llm.Usage{PromptTokens: 12, TotalTokens: 12, Estimated: true}
	if loser.Usage != want || loser.Served || math.Abs(loser.CostUSD-12e-6) > 1e-15 {
		t.Errorf("loser billed %+v, want the prompt's input estimated", loser)
	}
	if !winner.Served || math.Abs(r.CostUSD-(winner.CostUSD+loser.CostUSD)) > 1e-15 || r.ServedCostUSD != winner.CostUSD {
		t.Errorf("cost %v served %v, winner %+v", r.CostUSD, r.ServedCostUSD, winner)
	}
	if !r.UsageEstimated() || r.Trail[0].Usage != want || r.Usage.Estimated {
		t.Errorf("estimated %v, trail %+v, usage %+v", r.UsageEstimated(), r.Trail, r.Usage)
	}
}

// A hedged call that loses before its first chunk is billed the input
// its upstream read, estimated, on complete and streamed chats alike.
func TestHedgeLoserBilledItsInput(t *testing.T) {
	t.Run("chat", func(t *testing.T) {
		g, flush := recorded(t, upstream(map[string]behaviour{"a": hangs}), false)
		var served llm.Served
		if _, err := g.Chat(callerCtx(), hello("h"), nil, &served); err != nil {
			t.Fatal(err)
		}
		checkHedgeLoserBilled(t, onlyRecord(t, flush(), hello("h"), false))
	})
	t.Run("stream", func(t *testing.T) {
		f := upstream(map[string]behaviour{"a": hangs})
		g, flush := recorded(t, f, false)
		s, err := g.Stream(callerCtx(), hello("h"), nil, &llm.Served{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := readStream(s, 0); err != nil {
			t.Fatal(err)
		}
		llmtest.WaitFor(t, "upstream streams closed", func() bool { return f.Active() == 0 })
		recs := flush()
		if len(recs) != 1 || trailOf(recs[0]) != "a1:canceled/canceled:$ b2:ok:h:$" {
			t.Fatalf("records %v", recs)
		}
		checkHedgeLoserBilled(t, recs[0])
	})
}

// When the client leaves before either call of a hedged pair answered,
// neither is billed: no twin won, so nothing says the calls were lost to
// a hedge rather than to the client.
func TestHedgeNotBilledWhenClientLeaves(t *testing.T) {
	f := upstream(map[string]behaviour{"a": hangs, "b": hangs})
	g, flush := recorded(t, f, false)
	ctx, cancel := context.WithCancel(callerCtx())
	done := make(chan error, 1)
	go func() {
		_, err := g.Chat(ctx, hello("h"), nil, &llm.Served{})
		done <- err
	}()
	llmtest.WaitFor(t, "both calls of the hedged pair running", func() bool { return f.Active() == 2 })
	cancel()
	if err := <-done; err == nil {
		t.Fatal("a cancelled chat answered")
	}
	recs := flush()
	if len(recs) != 1 || len(recs[0].Billed) != 0 || recs[0].CostUSD != 0 {
		t.Fatalf("records %+v", recs)
	}
	if got := trailOf(recs[0]); got != "a1:canceled/canceled b2:canceled/canceled:h" {
		t.Errorf("trail %q", got)
	}
}
