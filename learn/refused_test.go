package learn

import (
	"context"
	"math"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/storetest"
)

// addRefused writes n requests of route "auto" in category that dep
// refused (at refusalCost) before by answered (at total cost cost, the
// refusal's included), each rated up.
func (sd *seeder) addRefused(category llm.Category, dep, by string, n int, refusalCost, cost float64) {
	sd.t.Helper()
	reqs := make([]*store.Request, n)
	fb := make([]*store.Feedback, n)
	for i := range reqs {
		r := storetest.Sample(sd.id)
		sd.id++
		r.Tenant, r.Category, r.Deployment, r.CostUSD, r.Tokens.Prompt = "acme", category, by, cost, 500
		r.Attempts = []store.Attempt{
			{Deployment: dep, Outcome: store.OutcomeRefused, CostUSD: refusalCost},
			{Deployment: by, Outcome: store.OutcomeOK, CostUSD: cost - refusalCost},
		}
		reqs[i] = r
		fb[i] = &store.Feedback{RequestID: r.ID, Tenant: "acme", Time: storetest.Base.Add(time.Minute), Kind: store.KindExplicit, Value: 1}
	}
	if err := sd.s.Write(context.Background(), reqs); err != nil {
		sd.t.Fatal(err)
	}
	if err := sd.s.WriteFeedback(context.Background(), fb); err != nil {
		sd.t.Fatal(err)
	}
}

// TestReportRefusalsPassedOver: a cheaper deployment that answers code as
// well as the incumbent when it answers, but refuses a third of it (each
// refusal passed over to the incumbent), is not recommended: its
// refusals are outcomes at the refusal's reward, and their cost is its
// own, not the incumbent's. By category alone, the request counts once.
func TestReportRefusalsPassedOver(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		sd := &seeder{t: t, s: s}
		sd.add("acme", llm.CategoryCode, "strong", 40, 32, 0.05, 500)
		sd.add("acme", llm.CategoryCode, "cheap", 35, 28, 0.01, 500)
		sd.addRefused(llm.CategoryCode, "cheap", "strong", 25, 0.002, 0.052)
		ctx := context.Background()
		rep, err := BuildReport(ctx, s, store.TenantScope("acme"), ReportQuery{Since: storetest.Base})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Recommendations) != 0 {
			t.Errorf("recommended %q, though cheap refuses a third of code", rep.Recommendations[0].Text)
		}
		// Without the refusals as outcomes cheap looks as good.
		zero := 0.0
		rep, err = BuildReport(ctx, s, store.TenantScope("acme"), ReportQuery{Since: storetest.Base, RefusalWeight: &zero})
		if err != nil || len(rep.Recommendations) != 1 {
			t.Errorf("refusals not outcomes: %d recommendations, %v; want cheap recommended", len(rep.Recommendations), err)
		}
		scores, err := Scores(ctx, s, store.TenantScope("acme"), ScoreQuery{Since: storetest.Base, By: []store.Dimension{store.ByDeployment}})
		if err != nil || len(scores) != 2 {
			t.Fatalf("scores %+v, %v", scores, err)
		}
		byDep := map[string]Score{}
		for _, sc := range scores {
			byDep[sc.Group[store.ByDeployment]] = sc
		}
		cheap, strong := byDep["cheap"], byDep["strong"]
		// cheap: 35 answers (28 up) and 25 refusals at 0.25.
		if cheap.Requests != 35 || cheap.Refused != 25 || cheap.Outcomes != 60 || math.Abs(cheap.Satisfaction-(28+25*0.25)/60) > 1e-9 {
			t.Errorf("cheap: %+v", cheap)
		}
		if math.Abs(cheap.CostUSD-(35*0.01+25*0.002)) > 1e-9 || math.Abs(cheap.CostPerRequest-cheap.CostUSD/60) > 1e-9 {
			t.Errorf("cheap's cost %v (%v per call), want its answers' and refusals'", cheap.CostUSD, cheap.CostPerRequest)
		}
		if strong.Requests != 65 || strong.Refused != 0 || math.Abs(strong.CostUSD-(40*0.05+25*0.05)) > 1e-9 {
			t.Errorf("strong: %+v", strong)
		}
		// A weight of zero counts the refusals without making them outcomes.
		scores, err = Scores(ctx, s, store.TenantScope("acme"), ScoreQuery{Since: storetest.Base, By: []store.Dimension{store.ByDeployment}, RefusalWeight: &zero})
		if err != nil {
			t.Fatalf("weight 0: %+v, %v", scores, err)
		}
		for _, sc := range scores {
			if sc.Group[store.ByDeployment] == "cheap" && (sc.Outcomes != 35 || sc.Refused != 25) {
				t.Errorf("weight 0: cheap %+v, want 35 outcomes, 25 refused", sc)
			}
		}
		// By category: one group, each request once.
		scores, err = Scores(ctx, s, store.TenantScope("acme"), ScoreQuery{Since: storetest.Base, By: []store.Dimension{store.ByCategory}})
		if err != nil || len(scores) != 1 {
			t.Fatalf("by category: %+v, %v", scores, err)
		}
		all := scores[0]
		total := 40*0.05 + 35*0.01 + 25*0.052
		if all.Requests != 100 || all.Refused != 25 || math.Abs(all.CostUSD-total) > 1e-9 || math.Abs(all.CostPerRequest-total/100) > 1e-9 {
			t.Errorf("by category: %+v, want 100 requests costing %v", all, total)
		}
	})
}
