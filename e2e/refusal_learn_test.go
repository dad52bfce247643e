package e2e

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/openai/openai-go/v3/option"

	"switchyard/admin"
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
	t.Parallel()
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
		rec := recs.wait(t, e.Router.Recorder, hdr.resp.Header.Get("x-switchyard-request-id"))
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
	refusals := 0
	for _, d := range firsts {
		if d == cheapDep {
			refusals++
		}
	}
	reportShowsRefusals(t, e, refusals)
}

// reportShowsRefusals: GET /admin/report gives the refusing deployment
// its refusals, at the refusal's reward, and the answering one only its
// answers.
func reportShowsRefusals(t *testing.T, e *env, refusals int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, b := callAs(t, http.MethodGet, e.URL+"/admin/report?min_outcomes=5", "")
		var rep admin.ReportView
		if err := json.Unmarshal(b, &rep); code != 200 || err != nil {
			t.Fatalf("GET /admin/report: %d %v %s", code, err, b)
		}
		rows := map[string]admin.ReportRowView{}
		for _, r := range rep.Rows {
			if r.Route == "careful-learned" {
				rows[r.Deployment] = r
			}
		}
		cheap, dear := rows[cheapDep], rows[dearDep]
		if dear.Requests == 40 && dear.Outcomes == 40 && cheap.Refused == int64(refusals) {
			if cheap.Requests != 0 || cheap.Outcomes != int64(refusals) || cheap.Satisfaction == nil || *cheap.Satisfaction != 0.25 || cheap.CostUSD <= 0 {
				t.Errorf("%s's row: %+v", cheapDep, cheap.ReportStats)
			}
			if dear.Refused != 0 || dear.Satisfaction == nil || *dear.Satisfaction != 1 {
				t.Errorf("%s's row: %+v", dearDep, dear.ReportStats)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the report's rows after 10 s: %+v; want %d refusals of %s", rows, refusals, cheapDep)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
