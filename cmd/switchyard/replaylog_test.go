package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/learn/logreplay"
	"switchyard/server"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/sqlite"
)

const replayKey = "sk-replay-acme"

// replayScores is the rating every answer of a deployment gets.
var replayScores = map[string]float64{"gpt-4o": 0.9, "gpt-4o-mini": 0.8, "gemini-2.5-flash": 0.3}

// replayRouter is the demo router on the simulators with a route learn
// whose adaptive scorer chooses among gpt-4o, gpt-4o-mini and
// gemini-2.5-flash (exploring half of the time), recording to st.
func replayRouter(t *testing.T, st store.Store) *server.Router {
	t.Helper()
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopSim)
	cfg := demo.Config(simAddr, "")
	cfg.Auth = config.Auth{Keys: []config.Key{{Key: replayKey, Name: "acme-app", Tenant: "acme"}}}
	cfg.Routes["learn"] = &config.Route{
		Name: "learn", Deployments: []string{"gpt-4o", "gpt-4o-mini", "gemini-2.5-flash"},
		Policy:   config.Policy{Strategy: config.StrategyBest},
		Adaptive: &config.Adaptive{Enabled: true, Lambda: 0.5, Explore: 0.5, MinOutcomes: 5},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := server.NewRouter(cfg, server.RouterOptions{Logger: slog.New(slog.DiscardHandler), NoRequestLog: true, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// post sends a JSON body and returns the status and the answer's
// request id and deployment.
func post(t *testing.T, c *http.Client, url, body string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+replayKey)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("x-switchyard-request-id"), resp.Header.Get("x-switchyard-deployment")
}

// replayTraffic sends n chats to route learn, rates three in four of
// them by replayScores of the deployment that answered, and sends
// unrated chats to the demo's static route auto. It returns the served
// deployment and rating of each learn request (rating −1: unrated).
func replayTraffic(t *testing.T, r *server.Router, n, auto int) map[string]rated {
	t.Helper()
	ts := httptest.NewServer(r)
	defer ts.Close()
	out := map[string]rated{}
	for i := range n {
		body := fmt.Sprintf(`{"model":"learn","messages":[{"role":"user","content":"Tell me about river number %d."}]}`, i)
		status, id, dep := post(t, ts.Client(), ts.URL+"/v1/chat/completions", body)
		if status != http.StatusOK || replayScores[dep] == 0 {
			t.Fatalf("chat %d: %d from %q", i, status, dep)
		}
		rt := rated{deployment: dep, score: -1}
		if i%4 != 3 {
			rt.score = replayScores[dep]
			fb := fmt.Sprintf(`{"request_id":%q,"score":%g}`, id, rt.score)
			if status, _, _ := post(t, ts.Client(), ts.URL+"/v1/feedback", fb); status != http.StatusNoContent {
				t.Fatalf("feedback on %s: %d", id, status)
			}
			// The next decision sees this rating: without the flush, what
			// the scorer knew depended on how fast the learner's
			// goroutine ran against this loop (on a fast run it had
			// published nothing, and only gpt-4o was ever chosen).
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := r.Adaptive.Flush(ctx)
			cancel()
			if err != nil {
				t.Fatal(err)
			}
		}
		out[id] = rt
	}
	for i := range auto {
		body := fmt.Sprintf(`{"model":"auto","messages":[{"role":"user","content":"Hello there, friend %d."}]}`, i)
		if status, _, _ := post(t, ts.Client(), ts.URL+"/v1/chat/completions", body); status != http.StatusOK {
			t.Fatalf("auto chat %d: %d", i, status)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	return out
}

type rated struct {
	deployment string
	score      float64
}

// TestReplayLogEndToEnd: requests through a router whose adaptive scorer
// learns on the simulators, rated through /v1/feedback; then replay
// --log on its store (SQLite, and PostgreSQL through a DSN) values the
// logged policy exactly, each always-deployment policy as an independent
// computation from the rows does, and the adaptive scorer at the logged
// λ as the logged policy itself.
func TestReplayLogEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "switchyard.db")
		st, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		checkReplayLog(t, st, path)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.FreshSchema(t)
		st, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		checkReplayLog(t, st, dsn)
	})
}

func checkReplayLog(t *testing.T, st store.Store, source string) {
	const n, auto = 160, 10
	traffic := replayTraffic(t, replayRouter(t, st), n, auto)
	code, out, errOut := runCLI("replay", "--log", "--store", source, "--route", "learn", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep logreplay.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if len(rep.Routes) != 1 || rep.Routes[0].Route != "learn" || rep.Log.Requests != n || rep.Routes[0].Decisions != n ||
		rep.Estimates != "logged" || rep.Options.Unrated.String() != "skip" || rep.Options.Clip != 100 {
		t.Fatalf("report: %+v, %+v", rep, rep.Log)
	}
	r := &rep.Routes[0]
	truth := replayTruth(t, st, traffic)
	if r.Rated != truth.rated || math.Abs(r.Logged.Reward.Value-truth.loggedReward) > 1e-9 || math.Abs(r.Logged.Cost.Value-truth.loggedCost) > 1e-12 {
		t.Errorf("logged %d rated, reward %+v, cost %+v; want %d, %v, %v", r.Rated, *r.Logged.Reward, *r.Logged.Cost, truth.rated, truth.loggedReward, truth.loggedCost)
	}
	if truth.explored == 0 {
		t.Fatal("no request had a propensity below 1: nothing was explored")
	}
	results := map[string]*logreplay.PolicyResult{}
	for i := range r.Policies {
		results[r.Policies[i].Policy] = &r.Policies[i]
	}
	for dep, score := range replayScores {
		p := results["always "+dep]
		if p == nil {
			t.Fatalf("no policy always %s in %v", dep, r.Policies)
		}
		if math.Abs(p.Reward.IPS.Value-truth.alwaysIPS[dep]) > 1e-9 || p.Reward.SNIPS == nil || math.Abs(p.Reward.SNIPS.Value-score) > 1e-9 {
			t.Errorf("always %s: IPS %+v SNIPS %+v, want IPS %v and SNIPS %v", dep, p.Reward.IPS, p.Reward.SNIPS, truth.alwaysIPS[dep], score)
		}
	}
	if s, d := results["static"], results["always gpt-4o"]; s == nil || d == nil || s.Reward.IPS.Value != d.Reward.IPS.Value {
		t.Errorf("the static scorer puts gpt-4o (best quality) first: %+v, %+v", s, d)
	}
	self := results["adaptive λ=0.5"]
	if self == nil || math.Abs(self.MeanWeight-1) > 0.05 || math.Abs(self.Reward.SNIPS.Value-truth.loggedReward) > 0.03 {
		t.Errorf("the adaptive scorer at the logged λ should reproduce the logged policy: %+v", self)
	}
	checkReplayLogTable(t, source, n, auto)
}

// replayFacts are what the rows and the ratings sent say, computed here
// apart from logreplay.
type replayFacts struct {
	rated                    int
	loggedReward, loggedCost float64
	explored                 int
	alwaysIPS                map[string]float64
}

func replayTruth(t *testing.T, st store.Store, traffic map[string]rated) replayFacts {
	t.Helper()
	page, err := st.List(context.Background(), store.AllTenants(), store.Filter{Route: "learn", Limit: store.MaxLimit})
	if err != nil || len(page.Requests) != len(traffic) {
		t.Fatalf("%d rows of route learn, %v; want %d", len(page.Requests), err, len(traffic))
	}
	f := replayFacts{alwaysIPS: map[string]float64{}}
	var sumReward, sumCost float64
	for _, row := range page.Requests {
		tr := traffic[row.ID]
		first := row.Explanation.Candidates[0].Deployment
		if first != tr.deployment || row.Deployment != tr.deployment {
			t.Fatalf("row %s: first %s, served %s; the answer said %s", row.ID, first, row.Deployment, tr.deployment)
		}
		sumCost += row.CostUSD
		if row.Propensity < 1 {
			f.explored++
		}
		if tr.score < 0 {
			continue
		}
		f.rated++
		sumReward += tr.score
		f.alwaysIPS[first] += min(1/row.Propensity, logreplay.DefaultClip) * tr.score
	}
	f.loggedReward, f.loggedCost = sumReward/float64(f.rated), sumCost/float64(len(traffic))
	for dep := range f.alwaysIPS {
		f.alwaysIPS[dep] /= float64(f.rated)
	}
	return f
}

// checkReplayLogTable: the table names every policy and marks the logged
// settings; without --route the static route's requests are counted as
// not decided by the adaptive scorer; bad flags exit 2.
func checkReplayLogTable(t *testing.T, source string, n, auto int) {
	t.Helper()
	code, out, errOut := runCLI("replay", "--log", "--store", source, "--unrated", "implicit", "--bootstrap", "50")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	t.Logf("switchyard replay --log --unrated implicit --bootstrap 50:\n%s", out) // docs/learning.md shows one
	for _, want := range []string{
		fmt.Sprintf("Log replay: %d chat requests (all time), %d decisions of the adaptive scorer; not replayed: %d not decided by it", n+auto, n, auto),
		fmt.Sprintf("route learn: %d decisions, %d rated; logged λ 0.5, ε 0.5; deployments gemini-2.5-flash, gpt-4o, gpt-4o-mini", n, n),
		"Requests without feedback: reward 0.5 (no signal), 0 when the request failed.", "bootstrap, 50 resamples",
		"\nlogged ", "\nstatic ", "\nalways gemini-2.5-flash ", "\nalways gpt-4o ", "\nalways gpt-4o-mini ", "\nadaptive λ=0.5 (logged) ", "\nadaptive λ=2 ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range [][]string{{"--unrated", "maybe"}, {"--clip", "0.5"}, {"--since", "yesterday"}, {"--lambda", "a,b"}, {"--explore", "2"}} {
		args := append([]string{"replay", "--log", "--store", source}, bad...)
		if code, _, errOut := runCLI(args...); code != 2 || !strings.Contains(errOut, "switchyard replay --log: ") {
			t.Errorf("%v: exit %d, %s", bad, code, errOut)
		}
	}
}
