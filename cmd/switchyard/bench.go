package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"switchyard/bench"
)

// benchCmd runs the load harness: `switchyard bench [flags]`.
func benchCmd(args []string, stdout, stderr io.Writer) int {
	ba, ok := parseBenchArgs(args, stderr)
	if !ok {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var rep benchReport
	var err error
	switch {
	case ba.compareStore:
		rep, err = bench.RunCompare(ctx, ba.opts)
	case ba.opts.Against != nil:
		rep, err = bench.RunAgainst(ctx, ba.opts)
	default:
		rep, err = bench.Run(ctx, ba.opts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "switchyard bench: %v\n", err)
		return 1
	}
	if ba.json {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteTable(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "switchyard bench: %v\n", err)
		return 1
	}
	return 0
}

// benchArgs is what bench's command line asks for.
type benchArgs struct {
	opts bench.Options
	// compareStore runs bench.RunCompare instead of bench.Run.
	compareStore bool
	json         bool
}

// benchReport is what a bench run prints: a *bench.Report, a
// *bench.Comparison or a *bench.Duel.
type benchReport interface {
	WriteJSON(io.Writer) error
	WriteTable(io.Writer) error
}

// parseBenchArgs parses bench's flags; it reports false, having written the
// problem to stderr, when they are wrong.
func parseBenchArgs(args []string, stderr io.Writer) (benchArgs, bool) {
	def := bench.Defaults()
	fs := newFlagSet("bench")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: switchyard bench [flags]\n\nMeasure the latency the router adds and its memory, against in-process simulated providers\n(see docs/benchmarks.md).\n\nFlags:")
		fs.PrintDefaults()
	}
	rate := fs.Float64("rate", def.Rate, "requests per second, open loop")
	duration := fs.Duration("duration", def.Duration, "measured load per target (router, direct) and mode")
	warmup := fs.Duration("warmup", def.Warmup, "warm-up load per target and mode, excluded from the results")
	phase := fs.Duration("phase", def.Phase, "length of each alternating router/direct phase")
	mode := fs.String("mode", "both", "nonstream, stream or both")
	promptTokens := fs.Int("prompt-tokens", def.PromptTokens, "approximate prompt size in tokens")
	workers := fs.Int("workers", def.Workers, "most requests in flight (and connections per target)")
	routerCmd := fs.String("router-cmd", "", "benchmark this program instead of this switchyard (a baseline proxy, see docs/benchmarks.md)")
	pprofAddr := fs.String("router-pprof", "", "serve the router's /debug/pprof on this address (to profile it under load; with --compare-store, the recording router's)")
	offPprof := fs.String("record-off-pprof", "", "with --compare-store: serve /debug/pprof of the router without a request log on this address")
	quiet := fs.Bool("quiet", false, "start the router with --quiet (no log line per request)")
	compareStore := fs.Bool("compare-store", false, "compare a router recording the request log (SQLite) with one that does not, instead of router and direct")
	against := fs.String("against", "", "compare the router with this program (an older switchyard build, or a baseline proxy) in alternating phases of one run, instead of router and direct")
	asJSON := fs.Bool("json", false, "print the report as JSON instead of a table")
	if err := fs.Parse(args); err != nil {
		return benchArgs{}, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "switchyard bench: unexpected argument %q\n", fs.Arg(0))
		return benchArgs{}, false
	}
	ba := benchArgs{compareStore: *compareStore, json: *asJSON, opts: bench.Options{
		Rate: *rate, Duration: *duration, Warmup: *warmup, Phase: *phase, PromptTokens: *promptTokens,
		Workers: *workers, RouterPprof: *pprofAddr, RecordOffPprof: *offPprof, Quiet: *quiet, Progress: stderr}}
	if *routerCmd != "" {
		if *quiet || *compareStore {
			fmt.Fprintln(stderr, "switchyard bench: --quiet and --compare-store are for switchyard itself, not a --router-cmd baseline")
			return benchArgs{}, false
		}
		ba.opts.RouterCommand = []string{*routerCmd}
	}
	if *against != "" {
		if *compareStore {
			fmt.Fprintln(stderr, "switchyard bench: give --against or --compare-store, not both")
			return benchArgs{}, false
		}
		ba.opts.Against = []string{*against}
	}
	if *offPprof != "" && !*compareStore {
		fmt.Fprintln(stderr, "switchyard bench: --record-off-pprof is for --compare-store")
		return benchArgs{}, false
	}
	var ok bool
	if ba.opts.Modes, ok = parseBenchMode(*mode); !ok {
		fmt.Fprintf(stderr, "switchyard bench: --mode must be nonstream, stream or both, not %q\n", *mode)
		return benchArgs{}, false
	}
	return ba, true
}

// parseBenchMode returns the modes --mode names, and false for none.
func parseBenchMode(mode string) ([]bench.Mode, bool) {
	switch mode {
	case "both":
		return []bench.Mode{bench.NonStream, bench.Stream}, true
	case string(bench.NonStream), string(bench.Stream):
		return []bench.Mode{bench.Mode(mode)}, true
	}
	return nil, false
}
