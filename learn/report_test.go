package learn

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

// seeder writes rated chat requests with distinct ids.
type seeder struct {
	t  *testing.T
	s  store.Store
	id int
}

// add writes n requests of tenant's route "auto" in category on dep, each
// costing cost with a prompt of prompt tokens, of which up get a thumbs
// up and the others a thumbs down.
func (sd *seeder) add(tenant string, category llm.Category, dep string, n, up int, cost float64, prompt int) {
	sd.t.Helper()
	ctx := context.Background()
	reqs := make([]*store.Request, n)
	fb := make([]*store.Feedback, n)
	for i := range reqs {
		r := storetest.Sample(sd.id)
		sd.id++
		r.Tenant, r.Category, r.Deployment, r.CostUSD, r.Tokens.Prompt = tenant, category, dep, cost, prompt
		reqs[i] = r
		v := 0.0
		if i < up {
			v = 1
		}
		fb[i] = &store.Feedback{RequestID: r.ID, Tenant: tenant, Time: storetest.Base.Add(time.Minute), Kind: store.KindExplicit, Value: v}
	}
	if err := sd.s.Write(ctx, reqs); err != nil {
		sd.t.Fatal(err)
	}
	if err := sd.s.WriteFeedback(ctx, fb); err != nil {
		sd.t.Fatal(err)
	}
}

// seedReport writes acme's traffic: on code, cheap ($0.01) is as good as
// strong ($0.05); on factual it is worse; on extraction it is as good on
// small prompts and worse on large ones; on chat it has too few outcomes.
// globex's cheap is as good as strong on creative.
func seedReport(t *testing.T, s store.Store) {
	sd := &seeder{t: t, s: s}
	sd.add("acme", llm.CategoryCode, "strong", 40, 32, 0.05, 500)
	sd.add("acme", llm.CategoryCode, "cheap", 35, 28, 0.01, 500)
	sd.add("acme", llm.CategoryFactual, "strong", 50, 45, 0.05, 500)
	sd.add("acme", llm.CategoryFactual, "cheap", 50, 25, 0.01, 500)
	sd.add("acme", llm.CategoryExtraction, "strong", 40, 32, 0.04, 500)
	sd.add("acme", llm.CategoryExtraction, "strong", 20, 16, 0.04, 3000)
	sd.add("acme", llm.CategoryExtraction, "cheap", 40, 32, 0.008, 500)
	sd.add("acme", llm.CategoryExtraction, "cheap", 15, 3, 0.008, 3000)
	sd.add("acme", llm.CategoryChat, "strong", 40, 32, 0.05, 500)
	sd.add("acme", llm.CategoryChat, "cheap", 10, 10, 0.01, 500)
	sd.add("globex", llm.CategoryCreative, "strong", 40, 30, 0.05, 500)
	sd.add("globex", llm.CategoryCreative, "cheap", 40, 30, 0.01, 500)
}

func TestReport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		seedReport(t, s)
		ctx := context.Background()
		rep, err := BuildReport(ctx, s, store.TenantScope("acme"), ReportQuery{Since: storetest.Base})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Rows) != 8 {
			t.Errorf("rows = %d, want 8 (four categories, two deployments)", len(rep.Rows))
		}
		for _, r := range rep.Rows {
			if r.Category == string(llm.CategoryCreative) {
				t.Errorf("globex's row in acme's report: %+v", r)
			}
		}
		code := rep.Rows[0] // chat, strong first (40 of 50)
		if code.Category != "chat" || code.Deployment != "strong" || math.Abs(code.Share-0.8) > 1e-9 {
			t.Errorf("first row = %+v, want chat/strong with 80%%", code)
		}
		if len(rep.Recommendations) != 2 {
			var texts []string
			for _, r := range rep.Recommendations {
				texts = append(texts, r.Text)
			}
			t.Fatalf("recommendations:\n%s\nwant code and extraction", strings.Join(texts, "\n"))
		}
		checkCodeRecommendation(t, rep.Recommendations[0])
		checkExtractionRecommendation(t, rep.Recommendations[1])
		if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "auto/chat: cheap is cheaper than strong but has too few outcomes to compare (10 and 40; 30 each needed)") {
			t.Errorf("notes = %q, want chat's too few outcomes", rep.Notes)
		}
		all, err := BuildReport(ctx, s, store.AllTenants(), ReportQuery{Since: storetest.Base})
		if err != nil || len(all.Recommendations) != 3 || all.Recommendations[1].Category != "creative" {
			t.Errorf("all tenants: %d recommendations, %v; want creative's too", len(all.Recommendations), err)
		}
	})
}

func checkCodeRecommendation(t *testing.T, r Recommendation) {
	t.Helper()
	lowC, highC := Wilson(0.8, 35, Z95)
	lowS, highS := Wilson(0.8, 40, Z95)
	if r.Route != "auto" || r.Category != "code" || r.Incumbent != "strong" || r.Cheaper != "cheap" || r.Share != 1 ||
		math.Abs(r.CostRatio-0.2) > 1e-9 || r.LargeWorse || r.CheaperScore.Outcomes != 35 || r.IncumbentScore.Outcomes != 40 {
		t.Errorf("code = %+v", r)
	}
	want := fmt.Sprintf("auto/code: cheap handles 100%% of code requests as well as strong (satisfaction 0.80 [%.2f, %.2f] over 35 outcomes vs 0.80 [%.2f, %.2f] over 40) at 1/5 of the cost ($0.01 vs $0.05 per request)",
		lowC, highC, lowS, highS)
	if r.Text != want {
		t.Errorf("code text =\n%s\nwant\n%s", r.Text, want)
	}
	if len(r.Changes) != 1 || r.Changes[0].String() != "routes.auto.categories.code.prefer: [cheap]" {
		t.Errorf("code changes = %v", r.Changes)
	}
}

func checkExtractionRecommendation(t *testing.T, r Recommendation) {
	t.Helper()
	// cheap: 32/40 small, 3/15 large; strong 32/40 small, 16/20 large.
	if r.Category != "extraction" || r.Cheaper != "cheap" || !r.LargeWorse || math.Abs(r.Share-80.0/115) > 1e-9 ||
		r.CheaperScore.Requests != 40 || r.LargeCheaper.Requests != 15 || math.Abs(r.LargeCheaper.Satisfaction-0.2) > 1e-9 ||
		math.Abs(r.LargeIncumbent.Satisfaction-0.8) > 1e-9 || math.Abs(r.CostRatio-0.2) > 1e-9 {
		t.Errorf("extraction = %+v", r)
	}
	if !strings.Contains(r.Text, "cheap handles 70% of extraction requests as well as strong") ||
		!strings.Contains(r.Text, "the other 30% (prompts over 2000 tokens) need strong (satisfaction 0.20") {
		t.Errorf("extraction text = %s", r.Text)
	}
	if len(r.Changes) != 2 || r.Changes[1].String() !=
		"routes.auto.rules += {name: large-extraction-to-strong, prefer: [strong], when: {category: extraction, min_prompt_tokens: 2001}}" {
		t.Errorf("extraction changes = %v", r.Changes)
	}
}

func TestReportTooFewOutcomes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		sd := &seeder{t: t, s: s}
		sd.add("acme", llm.CategoryCode, "strong", 29, 25, 0.05, 500)
		sd.add("acme", llm.CategoryCode, "cheap", 20, 18, 0.01, 500)
		rep, err := BuildReport(context.Background(), s, store.AllTenants(), ReportQuery{})
		if err != nil || len(rep.Recommendations) != 0 || len(rep.Notes) != 1 || len(rep.Rows) != 2 {
			t.Errorf("report = %+v, %v; want no recommendation and a note", rep, err)
		}
		// With a lower bar the same numbers recommend.
		rep, err = BuildReport(context.Background(), s, store.AllTenants(), ReportQuery{MinOutcomes: 20})
		if err != nil || len(rep.Recommendations) != 1 {
			t.Errorf("min 20: %+v, %v; want one recommendation", rep, err)
		}
	})
}

// Requests refused before any deployment was tried have a row (they are
// the category's traffic) but are never a "cheaper deployment": they
// cost nothing and once made the report say " is cheaper than strong".
func TestReportRefusedRequestsAreNoDeployment(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		sd := &seeder{t: t, s: s}
		sd.add("acme", llm.CategoryCode, "strong", 40, 32, 0.05, 500)
		sd.add("acme", llm.CategoryCode, "", 5, 0, 0, 500)
		rep, err := BuildReport(context.Background(), s, store.AllTenants(), ReportQuery{})
		if err != nil || len(rep.Rows) != 2 || len(rep.Recommendations) != 0 || len(rep.Notes) != 0 {
			t.Errorf("report = %+v, %v; want two rows, no recommendation, no note", rep, err)
		}
		sd.add("acme", llm.CategoryCode, "cheap", 40, 32, 0.01, 500)
		rep, err = BuildReport(context.Background(), s, store.AllTenants(), ReportQuery{})
		if err != nil || len(rep.Recommendations) != 1 || rep.Recommendations[0].Cheaper != "cheap" || rep.Recommendations[0].Incumbent != "strong" {
			t.Errorf("report = %+v, %v; want cheap recommended over strong", rep, err)
		}
	})
}

// TestReportImplicitFeedback: a request with only implicit feedback (a
// retry) counts as an outcome in the report, as in the scores.
func TestReportImplicitFeedback(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		r := storetest.Sample(1)
		if err := s.Write(ctx, []*store.Request{r}); err != nil {
			t.Fatal(err)
		}
		fb := &store.Feedback{RequestID: r.ID, Tenant: r.Tenant, Time: storetest.Base.Add(time.Minute), Kind: store.KindRetry, Value: -1}
		if err := s.WriteFeedback(ctx, []*store.Feedback{fb}); err != nil {
			t.Fatal(err)
		}
		rep, err := BuildReport(ctx, s, store.AllTenants(), ReportQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Rows) != 1 || rep.Rows[0].Outcomes != 1 || rep.Rows[0].Satisfaction != 0 || rep.Rows[0].Signals[store.KindRetry] != 1 {
			t.Errorf("rows = %+v; want one row with the retry's outcome", rep.Rows)
		}
	})
}
