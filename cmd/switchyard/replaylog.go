package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchyard/admin"
	"switchyard/learn/logreplay"
	"switchyard/llm"
)

const replayLogUsage = `usage:
  switchyard replay --log [SOURCE] [--since 7d] [--until T] [--route NAME] [--tenant NAME]
                    [--lambda 0,0.1,0.25,0.5,1,2] [--explore E] [--clip 100]
                    [--unrated skip|implicit|R] [--bootstrap N] [--seed 1] [--json]

Estimates from the router's own request log and the feedback on it how other routing
policies would have done on the same requests: the static scorer, always each deployment,
the adaptive scorer at each λ; beside the logged policy's own value. Inverse-propensity
(IPS) and self-normalized (SNIPS) estimates of the mean reward and cost per request, with
95% intervals, the effective sample size and warnings where the log lacks support
(docs/learning.md, "Log replay").

SOURCE is one of (default --config switchyard.yaml):
  --store PATH      an SQLite request log file (store.path), or a postgres:// DSN
  --dsn DSN         a PostgreSQL request log (store.dsn)
  --config FILE     the request log of a config file's store section

  --since T, --until T  RFC 3339, a date, Unix seconds, or a duration before now (90m, 7d)
  --route NAME          one route (default: every route, each replayed on its own)
  --tenant NAME         one tenant's requests (default: every tenant's)
  --lambda LIST         the λ at which to value the adaptive scorer (the logged λ is added)
  --explore E           the adaptive policies' exploration share (default: each request's logged ε; 0: greedy)
  --clip W              the largest importance weight; larger ones are cut (default 100)
  --unrated MODE        requests without feedback: skip (default: out of the rewards), implicit
                        (0.5, or 0 when the request failed), or a reward from 0 to 1
  --bootstrap N         percentile intervals from N bootstrap resamples (default 0: delta method)
  --seed S              the bootstrap's seed (default 1)
  --json                print JSON
`

// replayLogFlags are the flags of `switchyard replay --log`.
type replayLogFlags struct {
	source  requestsFlags
	query   url.Values
	spec    logreplay.Spec
	options logreplay.Options
	unrated logreplay.Unrated
}

func parseReplayLogFlags(args []string, stderr io.Writer) (*replayLogFlags, bool) {
	fs := newFlagSet("replay --log")
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, replayLogUsage) }
	f := &replayLogFlags{query: url.Values{}}
	fs.StringVar(&f.source.store, "store", "", "SQLite request log file, or a postgres:// DSN")
	fs.StringVar(&f.source.dsn, "dsn", "", "PostgreSQL connection string")
	fs.StringVar(&f.source.config, "config", "", "config file whose store section to read")
	fs.BoolVar(&f.source.json, "json", false, "print JSON")
	params := map[string]*string{}
	for _, name := range []string{"since", "until", "route", "tenant"} {
		params[name] = fs.String(name, "", "filter: "+name)
	}
	lambdas := fs.String("lambda", "", "λ values, comma-separated")
	explore := fs.String("explore", "", "exploration share of the adaptive policies")
	unrated := fs.String("unrated", "skip", "skip, implicit, or a reward")
	fs.Float64Var(&f.options.Clip, "clip", logreplay.DefaultClip, "largest importance weight")
	fs.IntVar(&f.options.Bootstrap, "bootstrap", 0, "bootstrap resamples (0: delta method)")
	fs.Uint64Var(&f.options.Seed, "seed", 1, "bootstrap seed")
	if err := fs.Parse(args); err != nil {
		return nil, false
	}
	for name, v := range params {
		if *v != "" {
			f.query.Set(name, *v)
		}
	}
	if err := f.check(fs, *lambdas, *explore, *unrated); err != nil {
		fmt.Fprintf(stderr, "switchyard replay --log: %v\n", err)
		return nil, false
	}
	return f, true
}

// check validates the flags and fills spec and unrated.
func (f *replayLogFlags) check(fs *flag.FlagSet, lambdas, explore, unrated string) error {
	sources := 0
	for _, s := range []string{f.source.store, f.source.dsn, f.source.config} {
		if s != "" {
			sources++
		}
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case sources > 1:
		return errors.New("give one of --store, --dsn or --config")
	case !(f.options.Clip >= 1) || f.options.Clip > 1e9:
		return fmt.Errorf("--clip %g: a weight of at least 1", f.options.Clip)
	case f.options.Bootstrap < 0 || f.options.Bootstrap > 100000:
		return fmt.Errorf("--bootstrap %d: from 0 to 100000 resamples", f.options.Bootstrap)
	}
	if sources == 0 {
		f.source.config = "switchyard.yaml"
	}
	if s := f.source.store; strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		f.source.store, f.source.dsn = "", s
	}
	var err error
	if f.spec.Lambdas, err = parseLambdas(lambdas); err != nil {
		return err
	}
	f.spec.Explore = logreplay.AsLogged
	if explore != "" {
		e, err := strconv.ParseFloat(explore, 64)
		if err != nil || !(e >= 0 && e <= 1) {
			return fmt.Errorf("--explore %q: a share from 0 to 1", explore)
		}
		f.spec.Explore = e
	}
	f.unrated, err = logreplay.ParseUnrated(unrated)
	if err != nil {
		return fmt.Errorf("--%w", err)
	}
	return nil
}

// parseLambdas parses a comma-separated list of λ ≥ 0; "" gives
// logreplay.DefaultLambdas.
func parseLambdas(s string) ([]float64, error) {
	if s == "" {
		return logreplay.DefaultLambdas, nil
	}
	var out []float64
	for _, part := range strings.Split(s, ",") {
		l, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil || !(l >= 0) || l > 1e6 {
			return nil, fmt.Errorf("--lambda %q: comma-separated numbers of at least 0, such as 0,0.5,1", s)
		}
		out = append(out, l)
	}
	return out, nil
}

// replayLogCmd runs `switchyard replay --log …` (args without --log) and
// returns the exit code.
func replayLogCmd(args []string, stdout, stderr io.Writer) int {
	f, ok := parseReplayLogFlags(args, stderr)
	if !ok {
		return 2
	}
	rep, err := runReplayLog(context.Background(), f, time.Now())
	if err == nil {
		if f.source.json {
			err = writeJSON(stdout, rep)
		} else {
			err = logreplay.WriteTable(stdout, rep)
		}
	}
	if err != nil {
		var e *llm.Error
		if errors.As(err, &e) && e.Kind == llm.KindInvalidRequest {
			fmt.Fprintf(stderr, "switchyard replay --log: %s\n", e.Message)
			return 2
		}
		fmt.Fprintf(stderr, "switchyard replay --log: %v\n", err)
		return 1
	}
	return 0
}

// runReplayLog reads the request log f names and replays it.
func runReplayLog(ctx context.Context, f *replayLogFlags, now time.Time) (*logreplay.Report, error) {
	rq, err := admin.ParseRequestQuery(f.query, now)
	if err != nil {
		return nil, err
	}
	src, err := openRequestSource(ctx, &f.source)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	scope, _ := operator.ScopeFor(rq.Tenant) // an unscoped principal may read any tenant
	q := logreplay.Query{Since: rq.Filter.Since, Until: rq.Filter.Until, Route: rq.Filter.Route, Scope: scope, Unrated: f.unrated}
	log, err := logreplay.Load(ctx, src.(*storeSource).s, q)
	if err != nil {
		return nil, err
	}
	rep := &logreplay.Report{
		Route: q.Route, Tenant: rq.Tenant, Estimates: logreplay.EstimatesLogged, Log: log,
		Options: logreplay.ReportOptions{Clip: f.options.Clip, Unrated: f.unrated, Interval: "delta", Lambdas: f.spec.Lambdas},
		Routes:  logreplay.Run(log, f.spec, f.options),
	}
	if !q.Since.IsZero() {
		rep.Since = &q.Since
	}
	if !q.Until.IsZero() {
		rep.Until = &q.Until
	}
	if f.options.Bootstrap > 0 {
		rep.Options.Interval, rep.Options.Bootstrap, rep.Options.Seed = "bootstrap", f.options.Bootstrap, f.options.Seed
	}
	if f.spec.Explore != logreplay.AsLogged {
		e := f.spec.Explore
		rep.Options.Explore = &e
	}
	return rep, nil
}
