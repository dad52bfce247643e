// Package bench is Switchyard's load harness: it measures the latency the
// router adds to a request, and the router's memory, under a fixed request
// rate.
//
// It runs the simulated providers (switchyard/sim/server) in its own
// process, starts the router as a child process configured against them,
// and sends the same chat completion at a constant rate (open loop) in
// alternating phases either through the router or straight to the
// simulated upstream. Latency is measured from each request's scheduled
// start, so stalls are not hidden (no coordinated omission), and the
// router's cost is the difference between the two paths at each quantile.
// The router's memory is read from /proc, so it is Linux only.
//
// `switchyard bench` is the command line; docs/benchmarks.md explains the
// method and records results.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Mode is the kind of chat completion the harness sends.
type Mode string

// The modes.
const (
	// NonStream requests a whole response; its latency is the full exchange.
	NonStream Mode = "nonstream"
	// Stream requests server-sent events; it measures the time to first
	// token and to the end of the stream.
	Stream Mode = "stream"
)

// Options configure a Run. Defaults returns the command line's defaults.
type Options struct {
	// Rate is the request rate in requests per second, for each target
	// while its phase runs.
	Rate float64
	// Duration is the measured load per target and mode; Warmup the load
	// before it, per target and mode, that is excluded from the results.
	Duration, Warmup time.Duration
	// Phase is the length of one alternating phase; zero means 500ms.
	Phase time.Duration
	// Modes are run in order; nil means NonStream then Stream.
	Modes []Mode
	// PromptTokens is the prompt's approximate size; zero means 200.
	PromptTokens int
	// Workers bounds the requests in flight (and the connections per
	// target); zero means 256.
	Workers int
	// RouterCommand is the switchyard binary and any leading arguments;
	// "serve --config FILE --addr 127.0.0.1:0" is appended. Nil means the
	// running executable, which must then be switchyard itself.
	RouterCommand []string
	// RouterPprof, if set, is the address the router serves
	// /debug/pprof on (its --pprof flag), to profile it under this load.
	RouterPprof string
	// RecordOffPprof, if set, is the /debug/pprof address of RunCompare's
	// router without a request log (RouterPprof is the other one's).
	RecordOffPprof string
	// Against is the program RunAgainst compares the router with (an
	// older switchyard build, or a baseline proxy) and any leading
	// arguments, started as RouterCommand is.
	Against []string
	// Quiet starts the router with --quiet: no log line per request.
	Quiet bool
	// Progress receives a line per stage; nil means none.
	Progress io.Writer
}

// Defaults returns the options of `switchyard bench` with no flags.
func Defaults() Options {
	return Options{Rate: 1000, Duration: 10 * time.Second, Warmup: 2 * time.Second,
		Phase: 500 * time.Millisecond, PromptTokens: 200, Workers: 256}
}

// withDefaults fills zero optional fields and checks the rest.
func (o Options) withDefaults() (Options, error) {
	if o.Phase == 0 {
		o.Phase = 500 * time.Millisecond
	}
	if o.Modes == nil {
		o.Modes = []Mode{NonStream, Stream}
	}
	if o.PromptTokens == 0 {
		o.PromptTokens = 200
	}
	if o.Workers == 0 {
		o.Workers = 256
	}
	if o.Rate <= 0 || o.Duration <= 0 || o.Warmup < 0 || o.Phase < 0 || o.PromptTokens < 0 || o.Workers < 0 {
		return o, fmt.Errorf("bench: rate, duration, phase, prompt tokens and workers must be positive and warmup not negative")
	}
	for _, m := range o.Modes {
		if m != NonStream && m != Stream {
			return o, fmt.Errorf("bench: unknown mode %q (want %s or %s)", m, NonStream, Stream)
		}
	}
	if o.RouterCommand == nil {
		exe, err := os.Executable()
		if err != nil {
			return o, fmt.Errorf("bench: find the switchyard executable: %w", err)
		}
		o.RouterCommand = []string{exe}
	}
	return o, nil
}

// Run measures each mode and returns the report. It returns an error if
// the simulator or the router cannot be started; failed requests are
// counted in the report instead. Cancelling ctx stops the load early and
// Run returns ctx.Err() and no report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	fx, err := startFixture()
	if err != nil {
		return nil, err
	}
	defer fx.close()
	router, err := startRouter(ctx, opts, fx.dir, "router", routerConfig(fx.upstream, sqliteStore(filepath.Join(fx.dir, "switchyard.db"))))
	if err != nil {
		return nil, err
	}
	defer router.stop()
	progress(opts, "router pid %d at %s; simulated upstream at %s", router.cmd.Process.Pid, router.addr, fx.simAddr)

	rep := newReport(opts)
	eps := map[Target]*endpoint{
		Router: newEndpoint("http://"+router.addr+"/v1/chat/completions", routerKey, opts.Workers),
		Direct: newEndpoint(fx.upstream+"/chat/completions", upstreamKey, opts.Workers),
	}
	defer eps[Router].close()
	defer eps[Direct].close()
	pids := map[Target]int{Router: router.cmd.Process.Pid}
	err = measureModes(ctx, opts, [2]Target{Router, Direct}, eps, pids, 0, func(m Mode, pr *pairRun) {
		rep.Modes = append(rep.Modes, modeReport(m, pr))
	})
	if err != nil {
		return nil, err
	}
	if mem, err := ReadMemory(router.cmd.Process.Pid); err == nil {
		rep.RouterRSS, rep.RouterPeakRSS = mem.RSS, mem.Peak
	}
	for _, mr := range rep.Modes { // VmHWM is updated lazily and can trail a sample
		rep.RouterPeakRSS = max(rep.RouterPeakRSS, mr.MaxSampledRSS)
	}
	if err := router.stop(); err != nil {
		rep.RouterExit = err.Error()
	}
	return rep, nil
}

// modeReport turns one mode's run, router against direct, into its
// ModeReport.
func modeReport(m Mode, pr *pairRun) ModeReport {
	mr := ModeReport{Mode: m, Router: pr.stats[Router], Direct: pr.stats[Direct],
		RouterCPU: pr.cpu[Router], HarnessCPU: pr.harnessCPU, MaxSampledRSS: pr.maxRSS[Router]}
	mr.Added, mr.AddedTTFT = difference(mr.Router, mr.Direct)
	return mr
}

// requestBody returns the chat completion every request sends: a short
// system message and a user prompt of about tokens tokens (four bytes a
// token, as the simulator counts).
func requestBody(stream bool, tokens int) []byte {
	tokens = max(1, tokens)
	const text = "Summarize the trade-offs between latency, cost and quality when routing requests across several language model providers. "
	var b strings.Builder
	for b.Len() < 4*tokens {
		b.WriteString(text)
	}
	prompt := b.String()[:4*tokens]
	body, err := json.Marshal(map[string]any{
		"model": benchModel,
		"messages": []map[string]string{
			{"role": "system", "content": "You are a concise assistant."},
			{"role": "user", "content": prompt},
		},
		"stream": stream,
	})
	if err != nil {
		panic(err) // cannot happen: plain strings and a bool
	}
	return body
}

func progress(o Options, format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "bench: "+format+"\n", args...)
	}
}

// machine describes where the benchmark ran.
func machine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(),
		OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}
