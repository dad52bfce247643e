package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

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
	end, err := runDuo(ctx, opts, duoSpec{
		pair:  [2]Target{RecordOff, RecordOn},
		start: startComparedRouters,
		mode: func(m Mode, pr *pairRun) {
			cmp.Modes = append(cmp.Modes, compareMode(m, pr))
			cmp.Sent += pr.sched.Sent(RecordOn)
			cmp.Failed += pr.failed[RecordOn]
		},
		stopped: func(dir string, exit error) {
			if exit != nil {
				cmp.RouterExit = exit.Error()
			}
			var err error
			if cmp.Recorded, err = countRows(ctx, requestLog(dir)); err != nil {
				cmp.Recorded, cmp.RecordedError = -1, err.Error()
			}
		},
	})
	if err != nil {
		return nil, err
	}
	cmp.PeakRSS, cmp.LoadAfter = end.peakRSS, end.loadAfter
	return cmp, nil
}

// requestLog is the recording router's request log, in dir.
func requestLog(dir string) string { return filepath.Join(dir, "bench.db") }

// startComparedRouters starts the router without a request log and the
// one with it (requestLog), in dir.
func startComparedRouters(ctx context.Context, opts Options, dir, upstream string) (map[Target]*routerProc, error) {
	offOpts := opts
	offOpts.RouterPprof = opts.RecordOffPprof
	off, err := startRouter(ctx, offOpts, dir, string(RecordOff), routerConfig(upstream, noStore))
	if err != nil {
		return nil, err
	}
	on, err := startRouter(ctx, opts, dir, string(RecordOn), routerConfig(upstream, sqliteStore(requestLog(dir))))
	if err != nil {
		off.stop()
		return nil, err
	}
	progress(opts, "%s: router pid %d at %s; %s: router pid %d at %s, request log %s; simulated upstream at %s",
		RecordOff, off.cmd.Process.Pid, off.addr, RecordOn, on.cmd.Process.Pid, on.addr, requestLog(dir), upstream)
	return map[Target]*routerProc{RecordOff: off, RecordOn: on}, nil
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
