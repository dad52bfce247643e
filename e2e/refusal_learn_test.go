package e2e

import (
	"testing"
	"time"

	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/sim"
	"switchyard/store"
)

// refusingRoute is an adaptive route that passes refusals over: its
// static order puts gpt-4o-mini first (the cheaper of two equals).
func refusingRoute(c *config.Config) {
	c.Routes["careful-learned"] = &config.Route{
		Name: "careful-learned", Deployments: []string{cheapDep, dearDep}, OnRefusal: config.RefusalFallback,
		Policy: config.Policy{Strategy: config.StrategyCheapest},
		Adaptive: &config.Adaptive{
			Enabled: true, Lambda: 0.15, MinOutcomes: 10, HalfLife: 24 * time.Hour,
			PriorWeight: config.DefaultAdaptivePriorWeight, Pool: config.DefaultAdaptivePool,
		},
	}
}

// TestAdaptiveLearnsRefusals: when the first choice of an adaptive route
// refuses every request and the route passes refusals over, the scorer
// learns it from the refusals, and puts the deployment that answers
// (rated up by its users) first once both have min_outcomes, so requests
// stop paying for a refused call first. The refusals passed over are the
// only evidence about the refusing deployment: without them it never
// has an outcome and keeps its static place first.
func TestAdaptiveLearnsRefusals(t *testing.T) {
	clock := newVirtualClock()
	e, recs := newAdaptiveEnv(t, clock, refusingRoute)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: cheapDep})
	firsts := make([]string, 0, 40)
	for i := range 40 {
		clock.Advance(time.Minute)
		var hdr httpHeader
		c, err := e.Client.Chat.Completions.New(ctxT(t), userChat("careful-learned", "Name three rivers of Europe."), option.WithResponseInto(&hdr.resp))
		if err != nil || c.Choices[0].Message.Content == "" {
			t.Fatalf("request %d: %v", i, err)
		}
		if d := hdr.resp.Header.Get("x-switchyard-deployment"); d != dearDep {
			t.Fatalf("request %d answered by %s, want %s (the other refuses)", i, d, dearDep)
		}
		rec := recs.wait(t, hdr.resp.Header.Get("x-switchyard-request-id"))
		if len(rec.Trail) == 0 {
			t.Fatalf("request %d: no trail", i)
		}
		firsts = append(firsts, rec.Trail[0].Deployment)
		if rec.Trail[0].Deployment == cheapDep && rec.Trail[0].Outcome != store.OutcomeRefused {
			t.Fatalf("request %d: trail %+v", i, rec.Trail)
		}
		id := hdr.resp.Header.Get("x-switchyard-request-id")
		if err := e.Client.Post(ctxT(t), "feedback", map[string]string{"request_id": id, "thumbs": "up"}, nil); err != nil {
			t.Fatalf("feedback on %s: %v", id, err)
		}
		if err := e.Router.Adaptive.Flush(ctxT(t)); err != nil {
			t.Fatal(err)
		}
	}
	if firsts[0] != cheapDep {
		t.Fatalf("the first request went first to %s, want %s (the static order)", firsts[0], cheapDep)
	}
	late := 0
	for _, d := range firsts[20:] {
		if d == cheapDep {
			late++
		}
	}
	if late > 0 {
		t.Errorf("after 20 refusals, %d of the next 20 requests still went first to %s (firsts %v)", late, cheapDep, firsts)
	}
}
