package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"switchyard/bench"
)

// benchCmd runs the load harness: `switchyard bench [flags]`.
func benchCmd(args []string, stdout, stderr io.Writer) int {
	def := bench.Defaults()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
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
	pprofAddr := fs.String("router-pprof", "", "serve the router's /debug/pprof on this address (to profile it under load)")
	asJSON := fs.Bool("json", false, "print the report as JSON instead of a table")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "switchyard bench: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	opts := bench.Options{Rate: *rate, Duration: *duration, Warmup: *warmup, Phase: *phase,
		PromptTokens: *promptTokens, Workers: *workers, RouterPprof: *pprofAddr, Progress: stderr}
	if *routerCmd != "" {
		opts.RouterCommand = []string{*routerCmd}
	}
	switch *mode {
	case "both":
		opts.Modes = []bench.Mode{bench.NonStream, bench.Stream}
	case string(bench.NonStream), string(bench.Stream):
		opts.Modes = []bench.Mode{bench.Mode(*mode)}
	default:
		fmt.Fprintf(stderr, "switchyard bench: --mode must be nonstream, stream or both, not %q\n", *mode)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := bench.Run(ctx, opts)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard bench: %v\n", err)
		return 1
	}
	if *asJSON {
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
