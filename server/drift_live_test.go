package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/drift"
	"switchyard/sim"
	simserver "switchyard/sim/server"
	"switchyard/store/sqlite"
)

// liveEnv is a router on the demo's simulated providers with a store and
// the live monitor demoting, on a clock the test moves.
type liveEnv struct {
	t      *testing.T
	cfg    *config.Config
	db     *sqlite.DB
	sim    *simserver.Server
	offset atomic.Int64
	r      *Router
	ts     *httptest.Server
	sent   int64
}

func newLiveEnv(t *testing.T) *liveEnv {
	simAddr, simSrv, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopSim)
	simSrv.Behavior.SetSeed(7)
	e := &liveEnv{t: t, sim: simSrv}
	e.cfg = demo.Config(simAddr, "")
	e.cfg.Routes["solo"] = &config.Route{Name: "solo", Deployments: []string{"gpt-4o-mini"}}
	zero := 0.0
	e.cfg.Drift = config.Drift{Live: config.DriftLive{Interval: time.Hour, MinRequests: 40, Action: config.DriftDemote,
		LiftAfter: time.Hour, Probe: &zero}}
	if err := e.cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if e.db, err = sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "switchyard.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	e.start()
	t.Cleanup(e.stop)
	return e
}

func (e *liveEnv) clock() time.Time { return time.Now().Add(time.Duration(e.offset.Load())) }

// start starts a router on e's configuration and store.
func (e *liveEnv) start() {
	never := func(time.Duration) <-chan time.Time { return nil }
	r, err := NewRouter(e.cfg, RouterOptions{Demo: true, Store: e.db, NoRequestLog: true, Logger: slog.New(slog.DiscardHandler),
		DriftAfter: never, Clock: e.clock})
	if err != nil {
		e.t.Fatal(err)
	}
	e.r, e.ts, e.sent = r, httptest.NewServer(r), 0
}

func (e *liveEnv) stop() {
	if e.r != nil {
		e.ts.Close()
		e.r.Close(context.Background())
		e.r = nil
	}
}

// chat sends n chats to model, at the clock's time, and returns how many
// each deployment answered.
func (e *liveEnv) chat(model string, n int, headers ...string) map[string]int {
	e.t.Helper()
	got := map[string]int{}
	body := fmt.Sprintf(`{"model":%q,"messages":[{"role":"user","content":"Hello!"}]}`, model)
	for range n {
		status, _, _, hdr := sendHeaders(e.t, e.ts, "/v1/chat/completions", body, headers...)
		if status != http.StatusOK {
			e.t.Fatalf("chat: %d", status)
		}
		got[hdr.Get("x-switchyard-deployment")]++
	}
	e.sent += int64(n)
	return got
}

// check waits until every request sent is in the store, then runs a live
// check.
func (e *liveEnv) check() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.r.Recorder.Sync(ctx); err != nil {
		e.t.Fatal(err)
	}
	for e.r.Writer.Written() < e.sent {
		if ctx.Err() != nil {
			e.t.Fatalf("%d of %d requests stored", e.r.Writer.Written(), e.sent)
		}
		time.Sleep(5 * time.Millisecond) // polling, against the deadline above
	}
	if err := e.r.DriftScheduler().Live.Check(ctx); err != nil {
		e.t.Fatal(err)
	}
}

// A deployment whose live traffic on a route starts refusing is demoted
// on that route: the route's chat traffic moves to the next deployment
// while a pinned request still reaches it; not on a route where it is the
// last healthy deployment; the demotion shows in /v1/route, /admin/health
// and /metrics and survives a restart; once the model is back, the probe
// share's traffic shows it and the demotion is lifted.
func TestLiveDemotionThroughTheServer(t *testing.T) {
	e := newLiveEnv(t)
	e.offset.Store(int64(-12 * time.Hour)) // a day's traffic, laid half a day ago
	for _, route := range []string{"auto", "solo"} {
		if got := e.chat(route, 120); got["gpt-4o-mini"] != 120 {
			t.Fatalf("before any drift, %s chat went to %v", route, got)
		}
	}
	if err := e.sim.Behavior.SetDrift(sim.Drift{Model: "gpt-4o-mini", RefusalRate: 0.4}); err != nil {
		t.Fatal(err)
	}
	e.offset.Store(0)
	e.chat("auto", 60)
	e.chat("solo", 60)
	e.check()

	if got := e.chat("auto", 10); got["gpt-4o-mini"] != 0 {
		t.Errorf("while demoted on auto, its chat went to %v", got)
	}
	if got := e.chat("solo", 10); got["gpt-4o-mini"] != 10 {
		t.Errorf("solo's only deployment was demoted: its chat went to %v", got)
	}
	if got := e.chat("auto", 3, "x-switchyard-model", "gpt-4o-mini"); got["gpt-4o-mini"] != 3 {
		t.Errorf("pinned requests went to %v", got)
	}
	e.checkDemoted(true, false)
	body := getBody(t, e.ts, "/metrics")
	for _, want := range []string{
		`switchyard_drift_live_demoted{category="chat",deployment="gpt-4o-mini",route="auto"} 1`,
		`switchyard_drift_alerts_total{deployment="gpt-4o-mini",source="live"} 2`,
		`switchyard_drift_live_checks_total{outcome="flagged"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s:\n%s", want, grepLines(body, "switchyard_drift_"))
		}
	}

	// A restart keeps the demotion; with a probe share of 1 every request
	// waives it, and once the model is back their traffic lifts it.
	e.stop()
	one := 1.0
	e.cfg.Drift.Live.Probe = &one
	e.start()
	e.checkDemoted(true, true)
	e.sim.Behavior.ClearDrift("gpt-4o-mini")
	e.offset.Store(int64(2 * time.Hour))
	if got := e.chat("auto", 60); got["gpt-4o-mini"] != 60 {
		t.Fatalf("the probe share of 1 sent chat to %v", got)
	}
	e.check()
	e.checkDemoted(false, false)
	if body := getBody(t, e.ts, "/metrics"); !strings.Contains(body, `switchyard_drift_live_demoted{category="chat",deployment="gpt-4o-mini",route="auto"} 0`) {
		t.Errorf("metrics after the lift:\n%s", grepLines(body, "switchyard_drift_"))
	}
}

// checkDemoted checks gpt-4o-mini's demotion on auto for chat in
// /v1/route and /admin/health: there (probed: waived by the probe), or
// not.
func (e *liveEnv) checkDemoted(demoted, probed bool) {
	t := e.t
	t.Helper()
	var plan struct {
		Tiers []struct {
			Candidates []struct {
				Deployment     string `json:"deployment"`
				QualityDemoted string `json:"quality_demoted"`
				QualityProbe   bool   `json:"quality_probe"`
			} `json:"candidates"`
		} `json:"tiers"`
	}
	_, _, body, _ := sendHeaders(t, e.ts, "/v1/route", `{"model":"auto","messages":[{"role":"user","content":"Hello!"}]}`)
	if err := json.Unmarshal([]byte(body), &plan); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tier := range plan.Tiers {
		for _, c := range tier.Candidates {
			if c.Deployment != "gpt-4o-mini" {
				continue
			}
			found = true
			explained := strings.HasPrefix(c.QualityDemoted, "quality drift in live traffic on route auto, category chat: refusal_rate")
			if explained != (demoted && !probed) || c.QualityProbe != probed {
				t.Errorf("/v1/route's gpt-4o-mini (demoted %v, probed %v): %+v", demoted, probed, c)
			}
		}
	}
	if !found {
		t.Errorf("/v1/route has no gpt-4o-mini:\n%s", body)
	}
	var health struct {
		Deployments []struct {
			Deployment       string           `json:"deployment"`
			Status           string           `json:"status"`
			QualityDemotions []drift.Demotion `json:"quality_demotions"`
		} `json:"deployments"`
	}
	if err := json.Unmarshal([]byte(getBody(t, e.ts, "/admin/health")), &health); err != nil {
		t.Fatal(err)
	}
	for _, d := range health.Deployments {
		if d.Deployment != "gpt-4o-mini" {
			continue
		}
		ds := d.QualityDemotions
		if !demoted {
			if len(ds) != 0 || d.Status == "quality_demoted" {
				t.Errorf("/admin/health after the lift: %+v", d)
			}
			continue
		}
		if d.Status != "quality_demoted" || len(ds) != 1 || ds[0].Source != drift.SourceLive || ds[0].Route != "auto" ||
			ds[0].Category != "chat" || len(ds[0].Evidence) == 0 || ds[0].Evidence[0].Metric != drift.MetricRefusalRate {
			t.Errorf("/admin/health for gpt-4o-mini: %+v", d)
		}
	}
}
