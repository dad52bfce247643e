package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/demo"
	"switchyard/drift"
	"switchyard/gateway"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/store"
)

// driftDemoCmd runs the starter set against the demo's deployments on
// in-process simulated providers, --runs times, the --sim-drift
// deployment's model drifting from the second run on; the first run is
// the baseline.
func driftDemoCmd(ctx context.Context, f *driftRunFlags, stdout, stderr io.Writer) int {
	simAddr, simSrv, stopSim, err := demo.StartSim(0)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard: start simulated providers: %v\n", err)
		return 1
	}
	defer stopSim()
	simSrv.Behavior.SetSeed(f.seed)
	set := drift.Starter()
	if err := demo.TeachGolden(simSrv, set); err != nil {
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	}
	cfg := demo.Config(simAddr, "")
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "switchyard: demo configuration: %v\n", err)
		return 1
	}
	deps := []string(f.deployments)
	if len(deps) == 0 {
		deps = cfg.DriftDeployments(&config.DriftSet{}, func(n string) bool { return cost.ServesChat(cfg, n) })
	}
	for _, d := range deps {
		if cfg.Deployments[d] == nil {
			fmt.Fprintf(stderr, "switchyard drift run: %q is not a demo deployment (%s)\n", d, strings.Join(cfg.DeploymentNames(), ", "))
			return 2
		}
	}
	driftOf, err := demoDrift(cfg, f.simDrift)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard drift run: --sim-drift: %v\n", err)
		return 2
	}
	targets, err := gateway.Targets(cfg, nil)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	}
	runner := &drift.Runner{Asker: drift.NewDispatchAsker(server.DispatchTargets(targets), int(cfg.Server.MaxAnswerBytes)), Concurrency: 8}
	// The demo's latencies are loopback scheduling noise: not tested, so
	// that the seed fixes every verdict.
	monitor := &drift.Monitor{Options: drift.Options{BaselineRuns: 1, IgnoreLatency: true}}
	if !f.json {
		describeDemo(stdout, cfg, deps, driftOf, f)
	}
	var all []*store.DriftRun
	for i := range f.runs {
		if i == 1 && driftOf != nil {
			if err := simSrv.Behavior.SetDrift(*driftOf); err != nil {
				fmt.Fprintf(stderr, "switchyard drift run: %v\n", err)
				return 1
			}
		}
		spec := drift.RunSpec{Set: set, Deployments: deps, Prompts: max(f.prompts, 0), Seed: demoSampleSeed(f.seed, i)}
		runs, err := demoLook(ctx, runner, monitor, spec, progressTo(stderr, f.json))
		all = append(all, runs...)
		if err != nil {
			fmt.Fprintf(stderr, "switchyard drift run: %v\n", err)
			return 1
		}
	}
	code := printDriftRuns(stdout, stderr, all, f.seed, f.json)
	if code == 0 && !f.json {
		fmt.Fprintln(stdout, "\nP50 LATENCY is measured (wall time on this machine) and varies from run to run; --seed fixes every other figure.")
	}
	return code
}

// demoLook is one look of the demo: runOne, but asking the deployments
// one after another, so that two deployments of one simulated model get
// its seeded draws in the same order on every run (asked at once, which
// asks a prompt first would be a race).
func demoLook(ctx context.Context, runner *drift.Runner, monitor *drift.Monitor, spec drift.RunSpec, progress func(done, total int)) ([]*store.DriftRun, error) {
	var runs []*store.DriftRun
	for i, dep := range spec.Deployments {
		one := spec
		one.Deployments = []string{dep}
		runner.Progress = nil
		if progress != nil {
			n := len(spec.Deployments)
			runner.Progress = func(done, total int) { progress(i*total+done, n*total) }
		}
		rs, err := runner.Run(ctx, one)
		runs = append(runs, rs...)
		if err != nil {
			return runs, err
		}
	}
	if progress != nil {
		progress(-1, -1)
	}
	return runs, monitor.Observe(ctx, runs)
}

// demoSampleSeed is the seed of run i's sample of prompts (--prompts):
// another sample each run, the same ones for the same --seed.
func demoSampleSeed(seed uint64, i int) uint64 {
	return seed*0x9e3779b97f4a7c15 + uint64(i) + 1
}

// demoDrift parses --sim-drift, DEPLOYMENT=SPEC, into the drift of the
// deployment's simulated model; nil when the flag is empty.
func demoDrift(cfg *config.Config, flag string) (*sim.Drift, error) {
	if flag == "" {
		return nil, nil
	}
	dep, spec, ok := strings.Cut(flag, "=")
	if !ok {
		return nil, fmt.Errorf("%q is not DEPLOYMENT=SPEC (e.g. gpt-4o-mini=verbosity:1.3,refusal:0.15)", flag)
	}
	d := cfg.Deployments[dep]
	if d == nil {
		return nil, fmt.Errorf("%q is not a demo deployment (%s)", dep, strings.Join(cfg.DeploymentNames(), ", "))
	}
	dr, err := sim.ParseDriftSpec(spec)
	if err != nil {
		return nil, err
	}
	dr.Model = d.Model
	return &dr, nil
}

// describeDemo says what the demo run does, and which deployments share
// the drifting model (the simulators drift by model).
func describeDemo(w io.Writer, cfg *config.Config, deps []string, d *sim.Drift, f *driftRunFlags) {
	fmt.Fprintf(w, "Starter set (%d prompts) against %d demo deployments, %d runs; run 1 is the baseline.\n",
		len(drift.Starter().Prompts), len(deps), f.runs)
	if d == nil {
		fmt.Fprintln(w, "No drift: every deployment should stay unflagged.")
		return
	}
	var sharing []string
	for _, name := range deps {
		if cfg.Deployments[name].Model == d.Model {
			sharing = append(sharing, name)
		}
	}
	fmt.Fprintf(w, "From run 2, simulated model %s drifts (%s): deployments %s.\n\n", d.Model, strings.TrimPrefix(f.simDrift, strings.SplitN(f.simDrift, "=", 2)[0]+"="), strings.Join(sharing, ", "))
}
