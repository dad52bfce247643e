package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// RunAgainst compares the router (opts.RouterCommand) with another program
// (opts.Against: an older switchyard build, or a baseline proxy) in one
// run: both get the same configuration, request log on (SQLite, bodies
// none; a baseline proxy ignores it), on the same simulated upstream, and
// each mode's load goes to them in alternating, counterbalanced phases, as
// Run does for router and direct. On a machine shared with other work,
// whose speed drifts from one minute to the next, that compares the two
// far more steadily than separate runs. opts.RouterPprof, if set, goes to
// the router; the other program gets no profiling flag, nor --quiet.
// Errors and cancellation are as for Run.
func RunAgainst(ctx context.Context, opts Options) (*Duel, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(opts.Against) == 0 {
		return nil, errors.New("bench: RunAgainst needs Options.Against")
	}
	d := &Duel{Machine: machine(), LoadBefore: loadAverage(), Against: strings.Join(opts.Against, " "), Rate: opts.Rate,
		Duration: opts.Duration, Warmup: opts.Warmup, Phase: opts.Phase, PromptTokens: opts.PromptTokens, Workers: opts.Workers}
	end, err := runDuo(ctx, opts, duoSpec{
		pair:  [2]Target{Router, Other},
		start: startDuel,
		mode:  func(m Mode, pr *pairRun) { d.Modes = append(d.Modes, duelMode(m, pr)) },
	})
	if err != nil {
		return nil, err
	}
	d.PeakRSS, d.LoadAfter = end.peakRSS, end.loadAfter
	return d, nil
}

// startDuel starts the router and the other program, in dir.
func startDuel(ctx context.Context, opts Options, dir, upstream string) (map[Target]*routerProc, error) {
	router, err := startRouter(ctx, opts, dir, string(Router), routerConfig(upstream, sqliteStore(filepath.Join(dir, "router.db"))))
	if err != nil {
		return nil, err
	}
	otherOpts := opts
	otherOpts.RouterCommand, otherOpts.RouterPprof, otherOpts.Quiet = opts.Against, "", false
	other, err := startRouter(ctx, otherOpts, dir, string(Other), routerConfig(upstream, sqliteStore(filepath.Join(dir, "other.db"))))
	if err != nil {
		router.stop()
		return nil, err
	}
	progress(opts, "%s: pid %d at %s; %s (%s): pid %d at %s; simulated upstream at %s",
		Router, router.cmd.Process.Pid, router.addr, Other, opts.Against[0], other.cmd.Process.Pid, other.addr, upstream)
	return map[Target]*routerProc{Router: router, Other: other}, nil
}

// Duel is the result of RunAgainst.
type Duel struct {
	Machine    Machine `json:"machine"`
	LoadBefore string  `json:"load_before"`
	LoadAfter  string  `json:"load_after"`
	// Against is the other program's command.
	Against      string        `json:"against"`
	Rate         float64       `json:"rate"`
	Duration     time.Duration `json:"duration_ns"`
	Warmup       time.Duration `json:"warmup_ns"`
	Phase        time.Duration `json:"phase_ns"`
	PromptTokens int           `json:"prompt_tokens"`
	Workers      int           `json:"workers"`
	Modes        []DuelMode    `json:"modes"`
	// PeakRSS is each process's VmHWM at the end; absent when unknown.
	PeakRSS map[Target]int64 `json:"peak_rss_bytes"`
}

// DuelMode holds one mode's results of a Duel.
type DuelMode struct {
	Mode   Mode        `json:"mode"`
	Router TargetStats `json:"router"`
	Other  TargetStats `json:"other"`
	// RouterCPU and OtherCPU are each process's CPU time (user + system)
	// per request it was sent, warm-up included; zero when unknown.
	RouterCPU time.Duration `json:"router_cpu_per_request_ns"`
	OtherCPU  time.Duration `json:"other_cpu_per_request_ns"`
	// CPURatio is RouterCPU / OtherCPU; zero when either is unknown.
	CPURatio float64 `json:"cpu_ratio"`
	// Added is the router's latency minus the other's at each quantile;
	// AddedTTFT the same for time to first token (Stream only, else nil).
	Added      Quantiles     `json:"added"`
	AddedTTFT  *Quantiles    `json:"added_ttft,omitempty"`
	HarnessCPU time.Duration `json:"harness_cpu_per_request_ns"`
}

func duelMode(m Mode, pr *pairRun) DuelMode {
	dm := DuelMode{Mode: m, Router: pr.stats[Router], Other: pr.stats[Other], RouterCPU: pr.cpu[Router],
		OtherCPU: pr.cpu[Other], HarnessCPU: pr.harnessCPU}
	dm.CPURatio = cpuRatio(dm.RouterCPU, dm.OtherCPU)
	dm.Added, dm.AddedTTFT = difference(dm.Router, dm.Other)
	return dm
}

// WriteJSON writes the duel as indented JSON.
func (d *Duel) WriteJSON(w io.Writer) error {
	return writeIndentedJSON(w, d)
}

// WriteTable writes the duel as a readable table.
func (d *Duel) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Switchyard bench, router against %s: %s; load average %s before, %s after\n",
		d.Against, d.Machine.describe(), d.LoadBefore, d.LoadAfter)
	fmt.Fprintf(&b, "open loop at %g req/s; per program and mode %v measured after %v warm-up, in alternating %v phases; prompt ~%d tokens; %d workers\n",
		d.Rate, d.Duration, d.Warmup, d.Phase, d.PromptTokens, d.Workers)
	names := [3]string{string(Router), string(Other), "added"}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, dm := range d.Modes {
		writeModeRows(tw, dm.Mode, names, dm.Router, dm.Other, dm.Added, dm.AddedTTFT)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\n")
	pair := [2]Target{Router, Other}
	for _, dm := range d.Modes {
		writeCPURatio(&b, dm.Mode, pair, dm.RouterCPU, dm.OtherCPU, dm.CPURatio, false, dm.HarnessCPU)
	}
	writePeakRSS(&b, "peak RSS", pair, d.PeakRSS)
	_, err := io.WriteString(w, b.String())
	return err
}
