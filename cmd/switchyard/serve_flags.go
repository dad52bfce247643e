package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/drift"
	"switchyard/reload"
	"switchyard/sim/workload"
)

// serveFlags are serve's flags.
type serveFlags struct {
	configPath, addr, pprofAddr, logFormat, storePath string
	demo, quiet                                       bool
	simLatency, traffic                               float64
	watch                                             time.Duration
}

// newServeFlags registers serve's flags on fs.
func newServeFlags(fs *flag.FlagSet) *serveFlags {
	f := &serveFlags{}
	fs.StringVar(&f.configPath, "config", "", "path to switchyard.yaml")
	fs.BoolVar(&f.demo, "demo", false, "serve built-in simulated providers (no keys, no network)")
	fs.StringVar(&f.addr, "addr", "", "listen address (default from config, else 127.0.0.1:8080)")
	fs.Float64Var(&f.simLatency, "sim-latency", 1, "demo: scale of simulated latencies (0 = instant)")
	fs.BoolVar(&f.quiet, "quiet", false, "do not log each request")
	fs.StringVar(&f.pprofAddr, "pprof", "", "serve Go profiling endpoints (net/http/pprof) on this address, e.g. 127.0.0.1:6060; off by default")
	fs.StringVar(&f.logFormat, "log-format", "", "log lines as text or json (default: server.log_format, else text)")
	fs.StringVar(&f.storePath, "store", "", "demo: the SQLite file requests are recorded to (default "+demoStorePath()+")")
	fs.Float64Var(&f.traffic, "traffic", 0, "demo: simulated users send this many visits a second (e.g. 2, at most 50) to the demo's routes through its /v1 API, and rate most answers, so that the dashboard, the report's savings and route learned have traffic to show (docs/demo.md); off by default")
	fs.DurationVar(&f.watch, "watch", 0, "check the config file this often and apply it when it changes (e.g. 5s; SIGHUP applies it at once); off by default")
	return f
}

// check reports a combination of flags serve refuses.
func (f *serveFlags) check() error {
	if err := checkLogFormat(f.logFormat); err != nil {
		return err
	}
	if f.demo == (f.configPath != "") {
		return errors.New("give exactly one of --demo or --config FILE")
	}
	if f.storePath != "" && !f.demo {
		return errors.New("--store is for --demo; with --config, set store.path in the config")
	}
	if err := checkTraffic(f.traffic, f.demo); err != nil {
		return err
	}
	if f.watch < 0 || f.watch > 0 && f.demo {
		return errors.New("--watch takes a positive interval, and only with --config")
	}
	return nil
}

// load returns the configuration to serve — the demo's, with its
// simulated providers started (closeSim stops them), or the file's — with
// --addr applied.
func (f *serveFlags) load() (cfg *config.Config, file *reload.File, mode serveMode, closeSim func(), err error) {
	mode = serveMode{demo: f.demo, traffic: f.traffic}
	closeSim = func() {}
	if f.demo {
		file, mode.items, closeSim, err = f.startDemo()
	} else if file, err = reload.ReadFile(f.configPath, os.LookupEnv); err != nil {
		err = fmt.Errorf("%w\n(run 'switchyard config check %s' for the full report)", err, f.configPath)
	}
	if err != nil {
		return nil, nil, mode, closeSim, err
	}
	cfg = file.Config
	if f.addr != "" {
		c := *cfg // the file's configuration stays as written: changes are checked against it
		cfg = &c
		cfg.Server.Addr = f.addr
	}
	return cfg, file, mode, closeSim, nil
}

// startDemo starts the simulated providers, teaches them the demo's
// workload and returns the demo's configuration as a file's text, so that
// the configuration API serves it as its version 1.
func (f *serveFlags) startDemo() (*reload.File, []workload.Item, func(), error) {
	simAddr, sim, closeSim, err := demo.StartSim(f.simLatency)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("start simulated providers: %w", err)
	}
	items := demo.LearnedWorkload()
	if f.traffic > 0 {
		items = demo.TrafficWorkload()
	}
	if err := demo.Teach(sim, items); err != nil {
		closeSim()
		return nil, nil, nil, err
	}
	if err := demo.TeachGolden(sim, drift.Starter()); err != nil {
		closeSim()
		return nil, nil, nil, err
	}
	storeAt := f.storePath
	if storeAt == "" {
		storeAt = demoStorePath()
	}
	file, err := reload.ParseFile(append(demo.YAML(simAddr, storeAt), demo.ShowcaseYAML...), "", nil)
	if err != nil {
		closeSim()
		return nil, nil, nil, fmt.Errorf("demo configuration: %w", err)
	}
	return file, items, closeSim, nil
}
