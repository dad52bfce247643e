package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"switchyard/demo"
	"switchyard/drift"
	"switchyard/gateway"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/store"
)

// xssSet and xssPrompt name a stored run's set and prompt with HTML: what
// a store another tool wrote could hold (set and prompt ids in a file are
// validated; the store is not).
const (
	xssSet      = `<img src=x onerror="document.title='XSS-set'">`
	xssPromptID = `<img src=x onerror="document.title='XSS-prompt'">`
)

// driftRuns runs the starter set twice against gpt-4o-mini on the rig's
// simulated providers, as switchyard drift run --demo does (the first
// run the baseline; the model drifts in the second: longer answers, more
// refusals), comparing and storing both in the rig's store; then stores
// a run whose set and prompt hold HTML. It returns the stored runs.
func (g *rig) driftRuns(t *testing.T) []*store.DriftRun {
	t.Helper()
	ctx := context.Background()
	set := drift.Starter()
	g.sim.Behavior.SetSeed(1)
	if err := demo.TeachGolden(g.sim, set); err != nil {
		t.Fatal(err)
	}
	cfg := demo.Config(g.simAddr, "")
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	targets, err := gateway.Targets(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	runner := &drift.Runner{Asker: drift.NewDispatchAsker(server.DispatchTargets(targets), int(cfg.Server.MaxAnswerBytes)), Concurrency: 8}
	monitor := &drift.Monitor{Store: g.st, Options: drift.Options{BaselineRuns: 1}}
	var all []*store.DriftRun
	for i := range 2 {
		if i == 1 {
			d, err := sim.ParseDriftSpec("verbosity:1.3,refusal:0.15")
			if err != nil {
				t.Fatal(err)
			}
			d.Model = cfg.Deployments["gpt-4o-mini"].Model
			if err := g.sim.Behavior.SetDrift(d); err != nil {
				t.Fatal(err)
			}
		}
		runs, err := runner.Run(ctx, drift.RunSpec{Set: set, Deployments: []string{"gpt-4o-mini"}, Seed: uint64(i + 1)})
		if err == nil {
			err = monitor.Observe(ctx, runs)
		}
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, runs...)
	}
	hostile := &store.DriftRun{ID: "drift_hostile", Set: xssSet, Deployment: "gpt-4o-mini", Started: time.Now().UTC(),
		Finished: time.Now().UTC(), Prompts: 1, Passed: 1, Verdict: drift.VerdictBaseline,
		Results: []store.DriftResult{{PromptID: xssPromptID, Category: "chat", Expect: "not_refuses", Pass: true, AnswerChars: 12}}}
	if err := g.st.WriteDriftRun(ctx, hostile); err != nil {
		t.Fatal(err)
	}
	return append(all, hostile)
}

// getAs reads path from the admin API with key into v.
func (g *rig) getAs(t *testing.T, key, path string, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", g.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}
