package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/drift"
	"switchyard/gateway"
	"switchyard/server"
	"switchyard/store"
	"switchyard/store/open"
)

const driftUsage = `usage:
  switchyard drift run [--config FILE] [--set NAME | --file SET.yaml] [--deployment D]... [--prompts N] [--seed N] [--no-alert] [--json]
  switchyard drift run --demo [--sim-drift DEPLOYMENT=SPEC] [--runs N] [--prompts N] [--seed N] [--json]
  switchyard drift report (--config FILE | --store PATH | --dsn DSN) [--set NAME] [--deployment D] [--since 7d] [--limit N] [--run ID] [--json]
  switchyard drift pin (--config FILE | --store PATH | --dsn DSN) --set NAME --deployment D RUN_ID... | --unpin
  switchyard drift starter                      print the starter golden set (YAML) to copy and edit

Golden prompt sets run against deployments through the router's provider adapters; each run
is compared with the deployment's baseline (its first complete runs, or a pinned one) and
stored when the config has a store. See docs/drift.md.

run:
  --config FILE      providers, deployments, drift sets, daily cap and store (default switchyard.yaml)
  --set NAME         a set of the config's drift section, or "starter" (default: every configured set, else starter)
  --file PATH        a set file instead
  --deployment D     a deployment to run against (repeatable; default: the set's, else every chat deployment)
  --prompts N        prompts per deployment, sampled across categories (default: the set's setting, else all)
  --seed N           the sample's seed: the same seed asks the same prompts (default: drawn and printed)
  --no-alert         do not raise the config's alerts (log line, webhook) for a flagged run
  --json             print the outcome as JSON
run --demo:          the demo's simulated providers, in process (no network beyond loopback):
  --sim-drift DEPLOYMENT=SPEC   make DEPLOYMENT's simulated model drift from the second run on,
                                SPEC as verbosity:1.3,refusal:0.15,drop.reasoning:0.2
  --runs N           runs of the starter set (default 3); the first is the baseline
  --seed N           the simulators' seed and the samples' (default 1): the same seed gives the
                     same figures, but for the measured latencies
`

func driftCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, driftUsage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "run":
		return driftRunCmd(ctx, args[1:], stdout, stderr)
	case "report":
		return driftReportCmd(ctx, args[1:], stdout, stderr)
	case "pin":
		return driftPinCmd(ctx, args[1:], stdout, stderr)
	case "starter":
		stdout.Write(drift.StarterYAML())
		return 0
	case "-h", "--help", "help":
		fmt.Fprint(stdout, driftUsage)
		return 0
	}
	fmt.Fprintf(stderr, "switchyard drift: unknown command %q\n\n%s", args[0], driftUsage)
	return 2
}

// listFlag is a flag that may be repeated or comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// driftRunFlags are the flags of drift run.
type driftRunFlags struct {
	config, set, file, simDrift string
	deployments                 listFlag
	prompts, runs               int
	seed                        uint64
	demo, json, noAlert         bool
}

func parseDriftRunFlags(args []string, stderr io.Writer) (*driftRunFlags, bool) {
	f := &driftRunFlags{}
	fs := newFlagSet("drift run")
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, driftUsage) }
	fs.StringVar(&f.config, "config", "switchyard.yaml", "")
	fs.StringVar(&f.set, "set", "", "")
	fs.StringVar(&f.file, "file", "", "")
	fs.Var(&f.deployments, "deployment", "")
	fs.IntVar(&f.prompts, "prompts", -1, "")
	fs.BoolVar(&f.json, "json", false, "")
	fs.BoolVar(&f.noAlert, "no-alert", false, "")
	fs.BoolVar(&f.demo, "demo", false, "")
	fs.StringVar(&f.simDrift, "sim-drift", "", "")
	fs.IntVar(&f.runs, "runs", 3, "")
	fs.Uint64Var(&f.seed, "seed", 1, "")
	if err := fs.Parse(args); err != nil {
		return nil, false
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "switchyard drift run: unexpected argument %q\n", fs.Arg(0))
	case f.set != "" && f.file != "":
		fmt.Fprintln(stderr, "switchyard drift run: give --set or --file, not both")
	case !f.demo && (f.simDrift != "" || isSet(fs, "runs")):
		fmt.Fprintln(stderr, "switchyard drift run: --sim-drift and --runs are for --demo")
	case f.demo && (isSet(fs, "config") || f.set != "" || f.file != "" || f.noAlert):
		fmt.Fprintln(stderr, "switchyard drift run: --demo runs the starter set on the demo's deployments and raises no alerts; --config, --set, --file and --no-alert do not apply")
	case f.runs < 1 || f.prompts < -1:
		fmt.Fprintln(stderr, "switchyard drift run: --runs must be at least 1 and --prompts at least 0")
	default:
		if !f.demo && !isSet(fs, "seed") {
			f.seed = drawSeed()
		}
		return f, true
	}
	return nil, false
}

// drawSeed returns a seed for a sample no --seed fixed: the clock's,
// never 0 (so that a printed seed always reads as one).
func drawSeed() uint64 {
	return max(uint64(now().UnixNano()), 1)
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func driftRunCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, ok := parseDriftRunFlags(args, stderr)
	if !ok {
		return 2
	}
	if f.demo {
		return driftDemoCmd(ctx, f, stdout, stderr)
	}
	cfg, err := config.Load(f.config)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	}
	jobs, err := driftJobs(cfg, f)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard drift run: %v\n", err)
		return 1
	}
	st, err := open.Open(ctx, &cfg.Store)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard: open the request store: %v\n", err)
		return 1
	}
	if st != nil {
		defer st.Close()
	}
	targets, err := gateway.Targets(cfg, nil)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	}
	var alerter *drift.Alerter
	if !f.noAlert {
		alerter = server.DriftAlerter(&cfg.Drift, slog.New(slog.NewTextHandler(stderr, nil)), nil)
	}
	runner, monitor, err := driftRunner(ctx, cfg, server.DispatchTargets(targets), st, alerter)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard drift run: %v\n", err)
		return 1
	}
	var all []*store.DriftRun
	for _, j := range jobs {
		j.Seed = f.seed
		runs, err := runOne(ctx, runner, monitor, j, progressTo(stderr, f.json))
		all = append(all, runs...)
		if err != nil {
			fmt.Fprintf(stderr, "switchyard drift run: %s: %v\n", j.Set.Name, err)
			return 1
		}
	}
	if st == nil && !f.json {
		fmt.Fprintln(stderr, "note: the config has no store, so runs are not kept and each is its own baseline; set store: to compare runs over time")
	}
	code := printDriftRuns(stdout, stderr, all, f.seed, f.json)
	if code == 0 && !f.json {
		fmt.Fprintf(stdout, "\nsample seed %d: --seed %d asks the same prompts again\n", f.seed, f.seed)
	}
	return code
}

// driftJobs returns what to run: the sets the flags name, against their
// deployments.
func driftJobs(cfg *config.Config, f *driftRunFlags) ([]drift.RunSpec, error) {
	var sets []config.DriftSet
	switch {
	case f.file != "":
		s, err := drift.LoadSet(f.file)
		if err != nil {
			return nil, err
		}
		sets = []config.DriftSet{{Name: s.Name, File: f.file, Path: f.file}}
	case f.set != "":
		i := slices.IndexFunc(cfg.Drift.Sets, func(s config.DriftSet) bool { return s.Name == f.set })
		switch {
		case i >= 0:
			sets = []config.DriftSet{cfg.Drift.Sets[i]}
		case f.set == config.DriftStarter:
			sets = []config.DriftSet{{Name: config.DriftStarter}}
		default:
			return nil, fmt.Errorf("no set %q in the config's drift section (nor the starter set)", f.set)
		}
	case len(cfg.Drift.Sets) > 0:
		sets = cfg.Drift.Sets
	default:
		sets = []config.DriftSet{{Name: config.DriftStarter}}
	}
	var jobs []drift.RunSpec
	for i := range sets {
		set, err := server.LoadDriftSet(&sets[i])
		if err != nil {
			return nil, err
		}
		deps := []string(f.deployments)
		if len(deps) == 0 {
			deps = cfg.DriftDeployments(&sets[i], func(n string) bool { return cost.ServesChat(cfg, n) })
		}
		for _, d := range deps {
			if cfg.Deployments[d] == nil {
				return nil, fmt.Errorf("deployment %q is not configured", d)
			}
		}
		prompts := sets[i].Prompts
		if f.prompts >= 0 {
			prompts = f.prompts
		}
		jobs = append(jobs, drift.RunSpec{Set: set, Deployments: deps, Prompts: prompts})
	}
	return jobs, nil
}

// driftRunner returns a runner through gw's adapters, held to the config's
// daily cap (counting what today's stored runs spent), and a monitor of
// the config's store that compares and raises alerts with alerter (nil:
// none), but never demotes: demotion is the router's.
func driftRunner(ctx context.Context, cfg *config.Config, targets map[string]*dispatch.Target, st store.Store, alerter *drift.Alerter) (*drift.Runner, *drift.Monitor, error) {
	monitor := &drift.Monitor{Options: server.DriftOptions(&cfg.Drift), Alerter: alerter}
	spent := 0.0
	if st != nil {
		monitor.Store = st
		var err error
		if spent, err = st.DriftSpend(ctx, drift.DayOf(now())); err != nil {
			return nil, nil, err
		}
	}
	runner := &drift.Runner{Asker: drift.NewDispatchAsker(targets, int(cfg.Server.MaxAnswerBytes)),
		Budget: drift.NewBudget(cfg.Drift.DailyCapUSD, spent, nil), Concurrency: cfg.Drift.Concurrency}
	return runner, monitor, nil
}

// runOne runs one spec with progress and compares the runs.
func runOne(ctx context.Context, runner *drift.Runner, monitor *drift.Monitor, spec drift.RunSpec, progress func(done, total int)) ([]*store.DriftRun, error) {
	runner.Progress = progress
	runs, err := runner.Run(ctx, spec)
	if progress != nil {
		progress(-1, -1)
	}
	if err != nil {
		return runs, err
	}
	return runs, monitor.Observe(ctx, runs)
}
