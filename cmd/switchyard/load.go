package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"switchyard/demo/traffic"
	"switchyard/sim/workload"
)

const loadUsage = `Usage: switchyard load [flags]

Sends simulated users' traffic to a running router, as a client of its /v1 API: seeded
questions of every category with known answers, some streamed, conversations continued and
wrong answers asked again, most answers rated through POST /v1/feedback (docs/demo.md).
For answers to be right or wrong at each model's accuracy, the router's providers must be the
simulators (switchyard sim) and know the questions: --sim teaches them.

  switchyard sim --addr 127.0.0.1:9090 &
  switchyard serve --config switchyard.yaml &     # its providers' base_url on the simulators
  switchyard load --url http://127.0.0.1:8080 --sim http://127.0.0.1:9090 --rate 2 --duration 10m

Flags:
`

func loadCmd(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runLoad(ctx, args, stdout, stderr)
}

// loadFlags are load's flags.
type loadFlags struct {
	url, key, sim, routes, embed string
	rate                         float64
	duration                     time.Duration
	seed                         uint64
	questions                    int
}

func parseLoadFlags(args []string, stderr io.Writer) (*loadFlags, error) {
	fs := newFlagSet("load")
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, loadUsage); fs.PrintDefaults() }
	f := &loadFlags{}
	fs.StringVar(&f.url, "url", "http://127.0.0.1:8080", "the router")
	fs.StringVar(&f.key, "key", "", "client key sent as a bearer token (default $SWITCHYARD_KEY)")
	fs.Float64Var(&f.rate, "rate", 2, "visits a second, at most 50 (a visit is one to four requests and their ratings)")
	fs.DurationVar(&f.duration, "duration", time.Minute, "how long to send (0: until interrupted)")
	fs.StringVar(&f.routes, "routes", "auto", "the models asked, comma-separated, each with an optional weight: auto=3,auto-cheap=1")
	fs.StringVar(&f.embed, "embed", "", "an embeddings model asked on 5% of the visits (default none)")
	fs.StringVar(&f.sim, "sim", "", "the simulators' address (e.g. http://127.0.0.1:9090): teach them the questions' answers first")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the questions, the visits and the ratings")
	fs.IntVar(&f.questions, "questions", 700, "how many questions (spread over the categories)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if f.key == "" {
		f.key = os.Getenv("SWITCHYARD_KEY")
	}
	if f.duration < 0 || f.questions < 1 {
		return nil, errors.New("--duration must not be negative, and --questions must be at least 1")
	}
	return f, nil
}

// runLoad is load with its flags, until ctx is done or the duration
// has passed.
func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parseLoadFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "switchyard load: %v\n", err)
		return 2
	}
	mix, err := loadMix(f.routes, f.embed)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard load: %v\n", err)
		return 2
	}
	items := workload.Generate(workload.Options{Seed: f.seed, N: f.questions})
	if f.sim != "" {
		if err := teachSim(ctx, f.sim, items); err != nil {
			fmt.Fprintf(stderr, "switchyard load: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "Taught the simulators at %s the answers of %d questions.\n", f.sim, len(items))
	}
	if f.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.duration)
		defer cancel()
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	g, err := traffic.Start(ctx, traffic.Options{URL: strings.TrimSuffix(f.url, "/"), Key: f.key, Rate: f.rate, Seed: f.seed,
		Items: items, Mix: mix, Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "switchyard load: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "Sending %s visits a second to %s (%s) until interrupted or %v have passed.\n",
		strconv.FormatFloat(f.rate, 'f', -1, 64), f.url, routeList(mix), f.duration)
	<-ctx.Done()
	s := g.Stop()
	fmt.Fprintf(stdout, "%d visits: %d requests answered (%d streamed, %d embeddings), %d ratings, %d follow-ups, %d retries; %d failed, %d skipped\n",
		s.Visits, s.Requests, s.Streamed, s.Embeddings, s.Ratings, s.FollowUps, s.Retries, s.Failed, s.Skipped)
	if s.Requests == 0 && s.Visits > 0 {
		return 1
	}
	return 0
}

// loadMix is the demo's mix with the chats sent to routes ("a=3,b") and
// embeddings to embed ("" none).
func loadMix(routes, embed string) (traffic.Mix, error) {
	m := traffic.DemoMix()
	m.Routes, m.Embed = nil, embed
	for _, part := range strings.Split(routes, ",") {
		name, weight, hasWeight := strings.Cut(strings.TrimSpace(part), "=")
		r := traffic.Route{Model: name, Weight: 1}
		if hasWeight {
			w, err := strconv.ParseFloat(weight, 64)
			if err != nil {
				return m, fmt.Errorf("--routes: weight %q of %q is not a number", weight, name)
			}
			r.Weight = w
		}
		m.Routes = append(m.Routes, r)
	}
	return m, m.Check()
}

// teachSim posts the items' knowledge entries to the simulators at base.
func teachSim(ctx context.Context, base string, items []workload.Item) error {
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	for _, e := range workload.Entries(items) {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	url := strings.TrimSuffix(base, "/") + "/_sim/knowledge"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, &body)
	if err != nil {
		return fmt.Errorf("teach the simulators: %w", err)
	}
	req.Header.Set("Content-Type", "application/jsonl")
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return fmt.Errorf("teach the simulators: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return fmt.Errorf("teach the simulators: POST %s: %s: %s", url, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}
