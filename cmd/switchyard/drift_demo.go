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
	runner := &drift.Runner{Asker: drift.NewDispatchAsker(server.DispatchTargets(targets)), Concurrency: 8}
	monitor := &drift.Monitor{Options: drift.Options{BaselineRuns: 1}}
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
		runs, err := runOne(ctx, runner, monitor, drift.RunSpec{Set: set, Deployments: deps, Prompts: max(f.prompts, 0)}, progressTo(stderr, f.json))
		all = append(all, runs...)
		if err != nil {
			fmt.Fprintf(stderr, "switchyard drift run: %v\n", err)
			return 1
		}
	}
	return printDriftRuns(stdout, stderr, all, f.json)
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
