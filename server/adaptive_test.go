package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/record"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// adaptiveRouter is a router whose route auto learns among dear and
// cheap (both in front of jsonUpstream), with a SQLite store, keys for
// acme and globex, and a sink keeping every record.
func adaptiveRouter(t *testing.T) (*Router, *sqlite.DB, *recordLog, string) {
	t.Helper()
	up := jsonUpstream(t)
	cfg := &config.Config{
		Auth:      config.Auth{Keys: []config.Key{{Key: acmeKey, Name: "acme-app", Tenant: "acme"}, {Key: globexKey, Name: "globex-app", Tenant: "globex"}}},
		Providers: map[string]*config.Provider{"up": {Name: "up", Kind: "openai", BaseURL: up.URL + "/v1", APIKey: "k"}},
		Deployments: map[string]*config.Deployment{
			"dear":  {Name: "dear", Provider: "up", Model: "m", Quality: 0.9, Price: config.Price{Input: 2.5, Output: 10}},
			"cheap": {Name: "cheap", Provider: "up", Model: "m", Quality: 0.8, Price: config.Price{Input: 0.15, Output: 0.6}},
		},
		Routes: map[string]*config.Route{"auto": {
			Name: "auto", Deployments: []string{"dear", "cheap"}, Policy: config.Policy{Strategy: config.StrategyBest},
			Adaptive: &config.Adaptive{Enabled: true, Lambda: 0.5, Explore: 0.05, MinOutcomes: 3},
		}},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "switchyard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := &recordLog{}
	r, err := NewRouter(cfg, RouterOptions{Logger: slog.New(slog.DiscardHandler), Store: db, NoRequestLog: true, Sinks: []record.Sink{log}})
	if err != nil {
		t.Fatal(err)
	}
	return r, db, log, "/v1/chat/completions"
}

// recordLog keeps the records by request id.
type recordLog struct {
	mu   sync.Mutex
	recs map[string]*record.Record
}

func (l *recordLog) Consume(r *record.Record) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.recs == nil {
		l.recs = map[string]*record.Record{}
	}
	l.recs[r.RequestID] = r
}

func (l *recordLog) get(id string) *record.Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.recs[id]
}

// routeCandidate is a candidate of POST /v1/route's answer.
type routeCandidate struct {
	Deployment string `json:"deployment"`
	Learned    *struct {
		PGood    float64 `json:"p_good"`
		Outcomes float64 `json:"outcomes"`
		Static   bool    `json:"static"`
		Text     string  `json:"text"`
	} `json:"learned"`
}

type routeAnswer struct {
	Propensity float64 `json:"propensity"`
	Tiers      []struct {
		Candidates []routeCandidate `json:"candidates"`
	} `json:"tiers"`
	Explanation struct {
		Scorer   string `json:"scorer"`
		Adaptive struct {
			Context string `json:"context"`
			Greedy  string `json:"greedy"`
		} `json:"adaptive"`
	} `json:"explanation"`
}

// estimate returns POST /v1/route's estimate of dep for acme.
func estimate(t *testing.T, ts string, c *http.Client, dep string) (routeAnswer, routeCandidate) {
	t.Helper()
	status, _, body := sendTo(t, c, ts, "/v1/route", acmeKey, `{"model":"auto","messages":[{"role":"user","content":"Say hello to Ada."}]}`)
	if status != http.StatusOK {
		t.Fatalf("/v1/route: %d %s", status, body)
	}
	var a routeAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	for _, tier := range a.Tiers {
		for _, c := range tier.Candidates {
			if c.Deployment == dep && c.Learned != nil {
				return a, c
			}
		}
	}
	t.Fatalf("no estimate of %s in %s", dep, body)
	return a, routeCandidate{}
}

// TestAdaptiveOverHTTP: the explanation of /v1/route and each record
// carry the estimates and the propensity, the store row the propensity;
// ratings posted to /v1/feedback move the estimate of the deployment
// that served, for everyone and for the rating tenant.
func TestAdaptiveOverHTTP(t *testing.T) {
	r, db, recs, chat := adaptiveRouter(t)
	ts := httptest.NewServer(r)
	t.Cleanup(ts.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	a, cheap := estimate(t, ts.URL, ts.Client(), "cheap")
	if a.Explanation.Scorer != "adaptive" || a.Explanation.Adaptive.Context != "chat/<500/en/first/plain" || !cheap.Learned.Static ||
		cheap.Learned.Text != "static: 0 of 3 outcomes needed (p(good)=0.80 ± 0.24 over 0 outcomes)" || a.Propensity <= 0 || a.Propensity > 1 {
		t.Fatalf("before any outcome: %+v, cheap %+v", a, *cheap.Learned)
	}
	// Six chats; each is rated down. Whichever deployment served gets the
	// outcomes.
	served := map[string]int{}
	for range 6 {
		status, id, body := send(t, ts, chat, acmeKey, `{"model":"auto","messages":[{"role":"user","content":"Say hello to Ada."}]}`)
		if status != http.StatusOK {
			t.Fatalf("chat: %d %s", status, body)
		}
		if status, _, body := send(t, ts, "/v1/feedback", acmeKey, `{"request_id":"`+id+`","thumbs":"down"}`); status != http.StatusNoContent {
			t.Fatalf("feedback: %d %s", status, body)
		}
		rec := recs.get(id)
		if rec == nil || rec.Plan == nil || rec.Propensity != rec.Plan.Propensity || rec.Propensity <= 0 || rec.Propensity > 1 {
			t.Fatalf("record of %s: %+v", id, rec)
		}
		if c := rec.Plan.Tiers[0].Candidates[0]; !c.Learned.Set || c.Deployment.Name != rec.Deployment {
			t.Fatalf("record's first candidate: %+v served by %s", c, rec.Deployment)
		}
		served[rec.Deployment]++
	}
	if err := r.Adaptive.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for dep, n := range served {
		_, c := estimate(t, ts.URL, ts.Client(), dep)
		if c.Learned.Outcomes != float64(n) || c.Learned.PGood >= 0.8*0.9 {
			t.Errorf("%s after %d thumbs down: %+v", dep, n, *c.Learned)
		}
	}
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := db.List(ctx, store.AllTenants(), store.Filter{Route: "auto"})
	if err != nil || len(page.Requests) == 0 {
		t.Fatalf("rows: %v, %v", page, err)
	}
	for _, row := range page.Requests {
		if rec := recs.get(row.ID); rec != nil && row.Propensity != rec.Propensity {
			t.Errorf("row %s: propensity %v, record's %v", row.ID, row.Propensity, rec.Propensity)
		}
		if row.Endpoint == "chat" && (row.Explanation.Adaptive == nil || row.Explanation.Adaptive.Context == "") {
			t.Errorf("row %s without its adaptive context: %+v", row.ID, row.Explanation)
		}
	}
	// The snapshot saved at Close holds what was learned.
	if _, _, err := db.LoadSnapshot(ctx, "adaptive"); err != nil {
		t.Errorf("no snapshot saved at Close: %v", err)
	}
}
