package admin

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/storetest"
)

// reportFixture writes, for acme on code and for globex on creative, 40
// rated requests on strong ($0.05, 32 thumbs up) and 40 on cheap ($0.01,
// 32 up): each tenant's report recommends cheap in its category.
func reportFixture(t *testing.T, s store.Store) {
	t.Helper()
	var reqs []*store.Request
	var fb []*store.Feedback
	for i := range 160 {
		r := storetest.Sample(i)
		r.Tenant, r.Category, r.Deployment, r.CostUSD = acme, llm.CategoryCode, "strong", 0.05
		if i >= 80 {
			r.Tenant, r.Category = globex, llm.CategoryCreative
		}
		if i%80 >= 40 {
			r.Deployment, r.CostUSD = "cheap", 0.01
		}
		reqs = append(reqs, r)
		v := 0.0
		if i%40 < 32 {
			v = 1
		}
		fb = append(fb, &store.Feedback{RequestID: r.ID, Tenant: r.Tenant, Time: storetest.Base.Add(time.Minute), Kind: store.KindExplicit, Value: v})
	}
	writeRows(t, s, reqs)
	if err := s.WriteFeedback(context.Background(), fb); err != nil {
		t.Fatal(err)
	}
}

func TestReportEndpoint(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		reportFixture(t, s)
		var got ReportView
		decode(t, do(newMux(s, &acmeOps), "/admin/report?since=7d"), &got)
		if len(got.Rows) != 2 || got.Rows[0].Category != "code" || got.MinOutcomes != 30 || got.LargePrompt != 2000 || got.Since == nil {
			t.Fatalf("acme's report = %+v", got)
		}
		if len(got.Recommendations) != 1 {
			t.Fatalf("recommendations = %+v, want acme's one", got.Recommendations)
		}
		r := got.Recommendations[0]
		if r.Category != "code" || r.Cheaper.Deployment != "cheap" || r.Incumbent.Deployment != "strong" ||
			*r.Cheaper.Satisfaction != 0.8 || r.Cheaper.Outcomes != 40 || math.Abs(r.CostRatio-0.2) > 1e-9 || r.Large != nil ||
			!strings.Contains(r.Text, "at 1/5 of the cost") {
			t.Errorf("recommendation = %+v", r)
		}
		if len(r.Changes) != 1 || fmt.Sprint(r.Changes[0].Path) != "[routes auto categories code prefer]" ||
			fmt.Sprint(r.Changes[0].Value) != "[cheap]" {
			t.Errorf("changes = %+v", r.Changes)
		}
		// An operator narrows to globex; acme's key may not.
		decode(t, do(newMux(s, &operator), "/admin/report?tenant=globex&min_outcomes=50"), &got)
		if len(got.Rows) != 2 || got.Rows[0].Category != "creative" || len(got.Recommendations) != 0 || len(got.Notes) != 1 {
			t.Errorf("globex, 50 outcomes needed: %+v", got)
		}
		wantError(t, do(newMux(s, &acmeOps), "/admin/report?tenant=globex"), 403, codeTenantNotAllowed, "tenant")
		wantError(t, do(newMux(s, &acmeOps), "/admin/report?min_outcomes=0"), 400, "", "min_outcomes")
		wantError(t, do(newMux(s, &acmeOps), "/admin/report?by=route"), 400, "", "by")
	})
}
