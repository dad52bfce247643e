package bench

import (
	"context"
	"fmt"
	"os"
	"time"

	simserver "switchyard/sim/server"
)

// This file holds the course every run shares — the simulated upstream
// and a scratch directory (fixture), each mode's alternating load over a
// pair of targets (measureModes) — and what RunCompare and RunAgainst
// share beyond it: two routers under that load (runDuo).

// fixture is the simulated upstream and the scratch directory of a run.
type fixture struct {
	simAddr  string // the simulated providers' address
	upstream string // their OpenAI API's base URL
	dir      string // configurations, logs and request logs
	stopSim  func()
}

// startFixture starts the simulated providers and makes the scratch
// directory; close undoes both.
func startFixture() (*fixture, error) {
	sim := simserver.New(simserver.DemoCatalogs(0), nil)
	simAddr, stopSim, err := sim.Listen("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: start simulated providers: %w", err)
	}
	dir, err := os.MkdirTemp("", "switchyard-bench-")
	if err != nil {
		stopSim()
		return nil, fmt.Errorf("bench: %w", err)
	}
	return &fixture{simAddr: simAddr, upstream: simserver.BaseURL(simAddr, simserver.OpenAI), dir: dir, stopSim: stopSim}, nil
}

// close removes the scratch directory and stops the simulated providers.
func (f *fixture) close() {
	os.RemoveAll(f.dir)
	f.stopSim()
}

// measureModes runs each of opts.Modes over pair in alternating phases
// (measurePair) and hands each mode's run to each, in order. It returns
// ctx.Err() when ctx ended, as a mode's samples are then incomplete.
func measureModes(ctx context.Context, opts Options, pair [2]Target, eps map[Target]*endpoint, pids map[Target]int, settle time.Duration, each func(Mode, *pairRun)) error {
	for _, m := range opts.Modes {
		pr, err := measurePair(ctx, opts, m, pair, eps, pids, settle)
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		each(m, pr)
	}
	return nil
}

// duoSpec is what a run of two routers (runDuo) is made of.
type duoSpec struct {
	// pair names the two routers, in the order they are reported.
	pair [2]Target
	// start starts both routers on upstream, with dir for their files.
	start func(ctx context.Context, opts Options, dir, upstream string) (map[Target]*routerProc, error)
	// mode receives each mode's run, in order.
	mode func(Mode, *pairRun)
	// stopped, if set, is called once both routers have stopped, with
	// their directory and the error of an unclean exit (stopRouters),
	// before dir is removed.
	stopped func(dir string, exit error)
}

// duoEnd is what runDuo measured once the load ended.
type duoEnd struct {
	// peakRSS is each router's VmHWM; absent when unknown.
	peakRSS map[Target]int64
	// loadAfter is the machine's load averages when the load ended.
	loadAfter string
}

// runDuo starts the simulated upstream and spec's two routers on it, and
// sends each mode's load to them in alternating, counterbalanced phases,
// reading their CPU time compareSettle after each mode's last response.
// It returns an error if the simulator or a router cannot be started, or
// ctx.Err() when ctx ends.
func runDuo(ctx context.Context, opts Options, spec duoSpec) (*duoEnd, error) {
	fx, err := startFixture()
	if err != nil {
		return nil, err
	}
	defer fx.close()
	procs, err := spec.start(ctx, opts, fx.dir, fx.upstream)
	if err != nil {
		return nil, err
	}
	defer stopRouters(procs, spec.pair)
	eps, pids := map[Target]*endpoint{}, map[Target]int{}
	for t, p := range procs {
		eps[t] = newEndpoint("http://"+p.addr+"/v1/chat/completions", routerKey, opts.Workers)
		defer eps[t].close()
		pids[t] = p.cmd.Process.Pid
	}
	if err := measureModes(ctx, opts, spec.pair, eps, pids, compareSettle, spec.mode); err != nil {
		return nil, err
	}
	end := &duoEnd{peakRSS: map[Target]int64{}}
	for t, pid := range pids {
		if mem, err := ReadMemory(pid); err == nil {
			end.peakRSS[t] = mem.Peak
		}
	}
	end.loadAfter = loadAverage()
	exit := stopRouters(procs, spec.pair)
	if spec.stopped != nil {
		spec.stopped(fx.dir, exit)
	}
	return end, nil
}

// stopRouters stops the routers of pair, in order (a recording router
// flushes its request log), and returns their exit errors, each named;
// stopping twice returns the same.
func stopRouters(procs map[Target]*routerProc, pair [2]Target) error {
	errA, errB := procs[pair[0]].stop(), procs[pair[1]].stop()
	switch {
	case errA != nil && errB != nil:
		return fmt.Errorf("%s: %v; %s: %v", pair[0], errA, pair[1], errB)
	case errA != nil:
		return fmt.Errorf("%s: %w", pair[0], errA)
	case errB != nil:
		return fmt.Errorf("%s: %w", pair[1], errB)
	}
	return nil
}
