package demo

import (
	"context"
	"testing"

	"switchyard/drift"
	"switchyard/server"
	simserver "switchyard/sim/server"
)

// Through the real adapters, healthy simulated models pass the starter
// set at about their accuracy: well, but not perfectly; each wrong
// answer is seen as one.
func TestGoldenSetOnTheSimulators(t *testing.T) {
	srv := simserver.New(simserver.DemoCatalogs(0), nil)
	addr, stop, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	set := drift.Starter()
	if err := TeachGolden(srv, set); err != nil {
		t.Fatal(err)
	}
	for _, e := range GoldenEntries(set) {
		if !e.Refuse && len(e.Wrong) == 0 {
			t.Errorf("entry %q has no wrong answer", e.Prompt)
		}
	}
	cfg := Config(addr, "")
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := server.NewRouter(cfg, server.RouterOptions{Demo: true, NoRequestLog: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(context.Background())
	runner := &drift.Runner{Asker: drift.NewDispatchAsker(server.DriftTargets(r.Gateway), int(cfg.Server.MaxAnswerBytes))}
	deps := []string{"gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-flash"}
	runs, err := runner.Run(context.Background(), drift.RunSpec{Set: set, Deployments: deps})
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range runs {
		rate := float64(run.Passed) / float64(run.Prompts)
		t.Logf("%-18s passed %d of %d (%.2f), refused %d, errors %d", run.Deployment, run.Passed, run.Prompts, rate, run.Refused, run.Errors)
		if run.Errors > 0 || rate < 0.6 || rate > 0.99 {
			t.Errorf("%s: pass rate %.2f with %d errors; want between 0.6 and 0.99 without errors", run.Deployment, rate, run.Errors)
		}
	}
}
