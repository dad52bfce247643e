package admin

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/store"
	"switchyard/store/storetest"
)

// feedbackFixture writes four requests of acme on two deployments and one
// of globex, with feedback on each: acme's cheap answers get a thumbs up
// and a retry (re-prompt $0.02), acme's strong one a thumbs down with a
// $0.10 correction, globex's a thumbs up.
func feedbackFixture(t *testing.T, s store.Store) []*store.Request {
	t.Helper()
	rows := make([]*store.Request, 5)
	for i, dep := range []string{"cheap", "cheap", "cheap", "strong", "strong"} {
		r := storetest.Sample(i)
		r.Deployment, r.CostUSD = dep, 0.01
		rows[i] = r
	}
	rows[4].Tenant = globex
	writeRows(t, s, rows)
	at := storetest.Base.Add(time.Minute)
	fb := []*store.Feedback{
		{RequestID: rows[0].ID, Tenant: acme, Time: at, Kind: store.KindExplicit, Value: 1, Evidence: store.Evidence{Thumbs: "up"}},
		{RequestID: rows[1].ID, Tenant: acme, Time: at.Add(time.Second), Kind: store.KindRetry, Value: -1, CostUSD: 0.02,
			Evidence: store.Evidence{By: rows[2].ID, GapMs: 3000, Match: "last_message"}},
		{RequestID: rows[3].ID, Tenant: acme, Time: at, Kind: store.KindExplicit, Value: 0, CostUSD: 0.1, Tags: []string{"wrong"},
			Evidence: store.Evidence{Thumbs: "down"}},
		{RequestID: rows[4].ID, Tenant: globex, Time: at, Kind: store.KindExplicit, Value: 1},
	}
	if err := s.WriteFeedback(context.Background(), fb); err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestScoresEndpoint(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		feedbackFixture(t, s)
		var got ScoresList
		decode(t, do(newMux(s, &acmeOps), "/admin/scores?by=deployment&lambda=5&since=2026-03-01"), &got)
		if got.Lambda != 5 || len(got.Data) != 2 || got.By[0] != "deployment" {
			t.Fatalf("scores = %+v", got)
		}
		cheap, strong := got.Data[0], got.Data[1]
		// cheap: 3 requests, outcomes 1 (up) and 0 (retry); cost (0.03 + 0.02) / 3.
		if cheap.Group["deployment"] != "cheap" || cheap.Requests != 3 || cheap.Outcomes != 2 || cheap.Explicit != 1 ||
			cheap.Signals["retry"] != 1 || *cheap.Satisfaction != 0.5 || !near(cheap.CostPerRequest, 0.05/3) ||
			!near(cheap.RepromptUSD, 0.02) || !near(*cheap.Score, 0.5-5*0.05/3) ||
			!near(cheap.SatisfactionInterval[0]-cheap.ScoreInterval[0], 5*0.05/3) {
			t.Errorf("cheap = %+v", cheap)
		}
		// strong (acme's only): one thumbs down, cost 0.01 + 0.10 correction.
		if strong.Requests != 1 || *strong.Satisfaction != 0 || !near(strong.CorrectionUSD, 0.1) || !near(strong.CostPerRequest, 0.11) {
			t.Errorf("strong = %+v", strong)
		}
		// The default λ is the handler's; a group without outcomes has no
		// satisfaction.
		lambda := 0.0
		h := newMuxWith(s, &operator, func(h *Handler) { h.Lambda = &lambda })
		var all ScoresList
		decode(t, do(h, "/admin/scores?tenant=globex"), &all)
		if all.Lambda != 0 || len(all.Data) != 1 || all.Data[0].Requests != 1 || *all.Data[0].Score != 1 {
			t.Errorf("operator, tenant globex, λ 0: %+v", all)
		}
		writeRows(t, s, []*store.Request{func() *store.Request {
			r := storetest.Sample(9)
			r.Deployment = "silent"
			return r
		}()})
		decode(t, do(newMux(s, &acmeOps), "/admin/scores?by=deployment"), &got)
		if got.Lambda != 10 || len(got.Data) != 3 || got.Data[1].Satisfaction != nil || got.Data[1].Score != nil || got.Data[1].Requests != 1 {
			t.Errorf("a group without feedback, default λ: %+v", got)
		}
		wantError(t, do(newMux(s, &acmeOps), "/admin/scores?tenant=globex"), 403, codeTenantNotAllowed, "tenant")
	})
}

func TestFeedbackEndpoint(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		rows := feedbackFixture(t, s)
		var got FeedbackList
		decode(t, do(newMux(s, &acmeOps), "/admin/feedback"), &got)
		if len(got.Data) != 3 || got.Data[0].RequestID != rows[1].ID || got.Data[0].Evidence.By != rows[2].ID {
			t.Errorf("acme's feedback = %+v, want 3 rows, the retry first with its evidence", got.Data)
		}
		decode(t, do(newMux(s, &acmeOps), "/admin/feedback?request_id="+rows[4].ID), &got)
		if len(got.Data) != 0 {
			t.Errorf("acme sees globex's feedback: %+v", got.Data)
		}
		decode(t, do(newMux(s, &globexOps), "/admin/feedback?kind=explicit"), &got)
		if len(got.Data) != 1 || got.Data[0].RequestID != rows[4].ID {
			t.Errorf("globex's ratings = %+v", got.Data)
		}
		decode(t, do(newMux(s, &operator), "/admin/feedback?limit=2"), &got)
		first := got
		decode(t, do(newMux(s, &operator), "/admin/feedback?limit=2&cursor="+first.Next), &got)
		if len(first.Data) != 2 || first.Next == "" || len(got.Data) != 2 || got.Next != "" {
			t.Errorf("pages of 2: %+v then %+v", first, got)
		}
	})
}

func TestFeedbackBadParameters(t *testing.T) {
	s := backends()["sqlite"](t)
	h := newMux(s, &operator)
	for _, tt := range []struct{ target, param, says string }{
		{"/admin/scores?lambda=-1", "lambda", "not a number >= 0"},
		{"/admin/scores?lambda=much", "lambda", "not a number >= 0"},
		{"/admin/scores?by=tenant", "by", "group by"},
		{"/admin/scores?kind=retry", "kind", "unknown parameter"},
		{"/admin/feedback?kind=liked", "kind", "not a feedback kind"},
		{"/admin/feedback?limit=0", "limit", "not a positive number"},
		{"/admin/feedback?by=route", "by", "unknown parameter"},
	} {
		e := wantError(t, do(h, tt.target), 400, "", tt.param)
		if !strings.Contains(e.Error.Message, tt.says) {
			t.Errorf("%s: %q, want it to say %q", tt.target, e.Error.Message, tt.says)
		}
	}
	wantError(t, do(newMux(nil, &operator), "/admin/scores"), 404, codeLogOff, "")
	wantError(t, do(newMux(nil, &operator), "/admin/feedback"), 404, codeLogOff, "")
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// newMuxWith is newMux with the handler's fields changed by set.
func newMuxWith(s store.Store, p *Principal, set func(*Handler)) http.Handler {
	h := &Handler{Store: s, Now: func() time.Time { return fixedNow }}
	set(h)
	mux := http.NewServeMux()
	h.Mount(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), *p)))
	})
}
