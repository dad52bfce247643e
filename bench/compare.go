package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	simserver "switchyard/sim/server"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// compareSettle is how long RunCompare waits after a mode's last response
// before reading the routers' CPU time: several of the request log's
// flush intervals (store.DefaultFlushInterval), so the rows of the mode's
// last requests are written, and paid for, within the mode.
const compareSettle = time.Second

// RunCompare measures what recording the request log costs the router: it
// starts two routers on the same simulated upstream, one without a
// request log (store driver none) and one writing every request to an
// SQLite file (bodies none), and sends each mode's load to them in
// alternating phases, as Run does for router and direct. Everything else
// the router records (quality signals, metrics, the log line unless
// opts.Quiet) is on in both. The report compares their CPU time per
// request and latency, and checks that the request log holds one row per
// request sent. opts.RouterPprof, if set, goes to the recording router and
// opts.RecordOffPprof to the other.
// Errors and cancellation are as for Run.
func RunCompare(ctx context.Context, opts Options) (*Comparison, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	cmp := newComparison(opts)
	sim := simserver.New(simserver.DemoCatalogs(0), nil)
	simAddr, stopSim, err := sim.Listen("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: start simulated providers: %w", err)
	}
	defer stopSim()
	upstream := simserver.BaseURL(simAddr, simserver.OpenAI)
	dir, err := os.MkdirTemp("", "switchyard-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)

	routers, err := startComparedRouters(ctx, opts, dir, upstream)
	if err != nil {
		return nil, err
	}
	defer routers.stop()
	eps := map[Target]*endpoint{
		RecordOff: newEndpoint("http://"+routers.off.addr+"/v1/chat/completions", routerKey, opts.Workers),
		RecordOn:  newEndpoint("http://"+routers.on.addr+"/v1/chat/completions", routerKey, opts.Workers),
	}
	defer eps[RecordOff].close()
	defer eps[RecordOn].close()
	pids := map[Target]int{RecordOff: routers.off.cmd.Process.Pid, RecordOn: routers.on.cmd.Process.Pid}
	for _, m := range opts.Modes {
		pr, err := measurePair(ctx, opts, m, [2]Target{RecordOff, RecordOn}, eps, pids, compareSettle)
		if err != nil {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		cmp.Modes = append(cmp.Modes, compareMode(m, pr))
		cmp.Sent += pr.sched.Sent(RecordOn)
		cmp.Failed += pr.failed[RecordOn]
	}
	for t, pid := range pids {
		if mem, err := ReadMemory(pid); err == nil {
			cmp.PeakRSS[t] = mem.Peak
		}
	}
	cmp.LoadAfter = loadAverage()
	if err := routers.stop(); err != nil {
		cmp.RouterExit = err.Error()
	}
	cmp.Recorded, err = countRows(ctx, routers.dbPath)
	if err != nil {
		cmp.Recorded, cmp.RecordedError = -1, err.Error()
	}
	return cmp, nil
}

// comparedRouters are the two routers of a RunCompare.
type comparedRouters struct {
	off, on *routerProc
	dbPath  string // the recording router's request log
}

// startComparedRouters starts the router without a request log and the
// one with it, in dir.
func startComparedRouters(ctx context.Context, opts Options, dir, upstream string) (*comparedRouters, error) {
	r := &comparedRouters{dbPath: filepath.Join(dir, "bench.db")}
	offOpts := opts
	offOpts.RouterPprof = opts.RecordOffPprof
	var err error
	if r.off, err = startRouter(ctx, offOpts, dir, string(RecordOff), routerConfig(upstream, noStore)); err != nil {
		return nil, err
	}
	if r.on, err = startRouter(ctx, opts, dir, string(RecordOn), routerConfig(upstream, sqliteStore(r.dbPath))); err != nil {
		r.off.stop()
		return nil, err
	}
	progress(opts, "%s: router pid %d at %s; %s: router pid %d at %s, request log %s; simulated upstream at %s",
		RecordOff, r.off.cmd.Process.Pid, r.off.addr, RecordOn, r.on.cmd.Process.Pid, r.on.addr, r.dbPath, upstream)
	return r, nil
}

// stop stops both routers (the recording one flushes its request log) and
// returns their exit errors; stopping twice returns the same.
func (r *comparedRouters) stop() error {
	errOff, errOn := r.off.stop(), r.on.stop()
	switch {
	case errOff != nil && errOn != nil:
		return fmt.Errorf("%s: %v; %s: %v", RecordOff, errOff, RecordOn, errOn)
	case errOff != nil:
		return fmt.Errorf("%s: %w", RecordOff, errOff)
	case errOn != nil:
		return fmt.Errorf("%s: %w", RecordOn, errOn)
	}
	return nil
}

// compareMode turns one mode's measurement into its CompareMode.
func compareMode(m Mode, pr *pairRun) CompareMode {
	cm := CompareMode{Mode: m, Off: pr.stats[RecordOff], On: pr.stats[RecordOn],
		OffCPU: pr.cpu[RecordOff], OnCPU: pr.cpu[RecordOn], HarnessCPU: pr.harnessCPU,
		OffMaxRSS: pr.maxRSS[RecordOff], OnMaxRSS: pr.maxRSS[RecordOn]}
	cm.CPURatio = cpuRatio(cm.OnCPU, cm.OffCPU)
	cm.Added, cm.AddedTTFT = difference(cm.On, cm.Off)
	return cm
}

// cpuRatio returns on / off, or 0 when either is unknown (zero).
func cpuRatio(on, off time.Duration) float64 {
	if on <= 0 || off <= 0 {
		return 0
	}
	return float64(on) / float64(off)
}

// countRows returns how many rows the SQLite request log at path holds.
func countRows(ctx context.Context, path string) (int64, error) {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return 0, fmt.Errorf("bench: read the request log: %w", err)
	}
	defer db.Close()
	groups, err := db.Stats(ctx, store.AllTenants(), store.StatsQuery{})
	if err != nil {
		return 0, fmt.Errorf("bench: count the request log's rows: %w", err)
	}
	var n int64
	for _, g := range groups {
		n += g.Count
	}
	return n, nil
}

// loadAverage returns the first three fields of /proc/loadavg (the 1, 5
// and 15 minute load averages), or "" where there is none.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}
