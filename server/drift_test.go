package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/drift"
	"switchyard/sim"
	"switchyard/store/sqlite"
)

// Demotion moves traffic away and back: golden runs flag gpt-4o-mini
// when its simulated twin drifts, the auto route's chat traffic moves to
// the next deployment, a pinned request still goes to gpt-4o-mini, the
// demotion shows in /admin/health, /v1/route and /metrics; once the
// model is back, later runs reinstate it and the traffic returns.
func TestDriftDemotionMovesTrafficAwayAndBack(t *testing.T) {
	simAddr, simSrv, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	if err := demo.TeachGolden(simSrv, drift.Starter()); err != nil {
		t.Fatal(err)
	}
	cfg := demo.Config(simAddr, "")
	cfg.Drift = config.Drift{
		Action: config.DriftDemote, DailyCapUSD: 10, BaselineRuns: 1,
		Sets: []config.DriftSet{{Name: "starter", Deployments: []string{"gpt-4o-mini", "claude-haiku-4-5"}, Interval: time.Hour}},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "switchyard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	never := func(time.Duration) <-chan time.Time { return nil }
	r, err := NewRouter(cfg, RouterOptions{Demo: true, Store: db, NoRequestLog: true, Logger: slog.New(slog.DiscardHandler), DriftAfter: never})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(r)
	defer ts.Close()
	defer r.Close(context.Background())
	ctx := context.Background()
	runOnce := func() {
		t.Helper()
		if err := r.DriftScheduler().RunOnce(ctx, 0); err != nil {
			t.Fatal(err)
		}
	}
	const hello = `{"model":"auto","messages":[{"role":"user","content":"Hello!"}]}`
	served := func(body string, headers ...string) string {
		t.Helper()
		status, _, _, hdr := sendHeaders(t, ts, "/v1/chat/completions", body, headers...)
		if status != http.StatusOK {
			t.Fatalf("chat: %d", status)
		}
		return hdr.Get("x-switchyard-deployment")
	}
	runOnce() // the baseline
	if got := served(hello); got != "gpt-4o-mini" {
		t.Fatalf("before any drift, chat goes to %s", got)
	}
	if err := simSrv.Behavior.SetDrift(sim.Drift{Model: "gpt-4o-mini", Verbosity: 1.3, RefusalRate: 0.15}); err != nil {
		t.Fatal(err)
	}
	runOnce()
	if r.Demoter().Routing()["gpt-4o-mini"] == nil {
		t.Fatalf("not demoted after a drifted run: %+v", r.Demoter().List())
	}
	if r.Demoter().Routing()["claude-haiku-4-5"] != nil {
		t.Error("the steady deployment was demoted too")
	}
	if got := served(hello); got != "claude-haiku-4-5" {
		t.Errorf("while gpt-4o-mini is demoted, chat goes to %s", got)
	}
	if got := served(hello, "x-switchyard-model", "gpt-4o-mini"); got != "gpt-4o-mini" {
		t.Errorf("a pinned request went to %s", got)
	}
	checkDemotionShows(t, ts)

	simSrv.Behavior.ClearDrift("gpt-4o-mini")
	back := false
	for range 5 {
		runOnce()
		if r.Demoter().Routing()["gpt-4o-mini"] == nil {
			back = true
			break
		}
	}
	if !back {
		t.Fatalf("still demoted five runs after the model came back: %+v", r.Demoter().List())
	}
	if got := served(hello); got != "gpt-4o-mini" {
		t.Errorf("after the demotion was lifted, chat goes to %s", got)
	}
	if body := getBody(t, ts, "/metrics"); !strings.Contains(body, `switchyard_drift_demoted{category="*",deployment="gpt-4o-mini"} 0`) {
		t.Errorf("metrics after the lift:\n%s", grepLines(body, "switchyard_drift_demoted"))
	}
}

// checkDemotionShows checks the demotion in /v1/route, /admin/health and
// /metrics.
func checkDemotionShows(t *testing.T, ts *httptest.Server) {
	t.Helper()
	_, _, body, _ := sendHeaders(t, ts, "/v1/route", `{"model":"auto","messages":[{"role":"user","content":"Hello!"}]}`)
	if !strings.Contains(body, `"quality_demoted":"quality drift in golden set starter: `) {
		t.Errorf("/v1/route does not explain the demotion:\n%s", body)
	}
	var health struct {
		Deployments []struct {
			Deployment       string           `json:"deployment"`
			Status           string           `json:"status"`
			QualityDemotions []drift.Demotion `json:"quality_demotions"`
		} `json:"deployments"`
	}
	if err := json.Unmarshal([]byte(getBody(t, ts, "/admin/health")), &health); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range health.Deployments {
		if d.Deployment != "gpt-4o-mini" {
			continue
		}
		found = true
		if d.Status != "quality_demoted" || len(d.QualityDemotions) == 0 || len(d.QualityDemotions[0].Evidence) == 0 ||
			d.QualityDemotions[0].RunID == "" || d.QualityDemotions[0].Category != drift.AllCategories {
			t.Errorf("/admin/health for gpt-4o-mini: %+v", d)
		}
	}
	if !found {
		t.Error("/admin/health lists no gpt-4o-mini")
	}
	if body := getBody(t, ts, "/metrics"); !strings.Contains(body, `switchyard_drift_demoted{category="*",deployment="gpt-4o-mini"} 1`) ||
		!strings.Contains(body, `switchyard_drift_alerts_total{deployment="gpt-4o-mini",source="golden"} 1`) {
		t.Errorf("metrics:\n%s", grepLines(body, "switchyard_drift_"))
	}
}

func sendHeaders(t *testing.T, ts *httptest.Server, path, body string, headers ...string) (int, string, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("x-switchyard-request-id"), string(data), resp.Header
}

func getBody(t *testing.T, ts *httptest.Server, path string) string {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return string(data)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
