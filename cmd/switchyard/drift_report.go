package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/drift"
	"switchyard/store"
)

// driftStoreFlags name the store drift report and pin read.
type driftStoreFlags struct {
	config, store, dsn string
}

func (f *driftStoreFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "")
	fs.StringVar(&f.store, "store", "", "")
	fs.StringVar(&f.dsn, "dsn", "", "")
}

func (f *driftStoreFlags) open(ctx context.Context) (store.Store, error) {
	var src *storeSource
	var err error
	switch {
	case f.dsn != "":
		src, err = openStoreSource(ctx, config.StorePostgres, "", f.dsn)
	case f.store != "":
		src, err = openStoreSource(ctx, config.StoreSQLite, f.store, "")
	case f.config != "":
		cfg, lerr := config.Load(f.config)
		if lerr != nil {
			return nil, lerr
		}
		if !cfg.Store.Enabled() {
			return nil, fmt.Errorf("%s keeps no store (store.driver: none)", f.config)
		}
		src, err = openStoreSource(ctx, cfg.Store.Driver, cfg.Store.Path, cfg.Store.DSN)
	default:
		return nil, errors.New("give --config FILE, --store PATH or --dsn DSN")
	}
	if err != nil {
		return nil, err
	}
	return src.s, nil
}

func driftReportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var sf driftStoreFlags
	var set, dep, since, run string
	var limit int
	var asJSON bool
	fs := newFlagSet("drift report")
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, driftUsage) }
	sf.register(fs)
	fs.StringVar(&set, "set", "", "")
	fs.StringVar(&dep, "deployment", "", "")
	fs.StringVar(&since, "since", "7d", "")
	fs.StringVar(&run, "run", "", "")
	fs.IntVar(&limit, "limit", 100, "")
	fs.BoolVar(&asJSON, "json", false, "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	from, err := parseSince(since, now())
	if err != nil || limit < 1 {
		fmt.Fprintf(stderr, "switchyard drift report: --since %q: want a duration (90m, 24h, 7d) or an RFC 3339 time; --limit at least 1\n", since)
		return 2
	}
	st, err := sf.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard drift report: %v\n", err)
		return 1
	}
	defer st.Close()
	if run != "" {
		return printDriftRun(ctx, st, run, stdout, stderr, asJSON)
	}
	runs, err := st.DriftRuns(ctx, store.DriftFilter{Set: set, Deployment: dep, Since: from, Limit: limit})
	if err != nil {
		fmt.Fprintf(stderr, "switchyard drift report: %v\n", err)
		return 1
	}
	if asJSON {
		if runs == nil {
			runs = []*store.DriftRun{}
		}
		return printJSON(stdout, stderr, map[string]any{"runs": runs})
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STARTED\tSET\tDEPLOYMENT\tPROMPTS\tPASS\tREFUSED\tERRORS\tCOST\tVERDICT\tPINNED\tRUN")
	for _, r := range runs {
		pass := 0.0
		if a := r.Prompts - r.Errors; a > 0 {
			pass = 100 * float64(r.Passed) / float64(a)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f%%\t%d\t%d\t%s\t%s\t%s\t%s\n", r.Started.Local().Format("2006-01-02 15:04"), r.Set,
			r.Deployment, r.Prompts, pass, r.Refused, r.Errors, cost.USD(r.CostUSD), r.Verdict, map[bool]string{true: "yes"}[r.Pinned], r.ID)
	}
	tw.Flush()
	for _, r := range runs {
		if r.Verdict != drift.VerdictFlagged {
			continue
		}
		fmt.Fprintf(stdout, "\n%s %s on %s (%s):\n", r.Started.Local().Format("2006-01-02 15:04"), r.Deployment, r.Set, r.ID)
		for _, t := range r.Tests {
			if t.Flagged {
				fmt.Fprintf(stdout, "  %s\n", drift.Describe(&t))
			}
		}
	}
	if len(runs) == 0 {
		fmt.Fprintln(stderr, "no drift runs in that range")
	}
	return 0
}

// printDriftRun prints one run with every test and result.
func printDriftRun(ctx context.Context, st store.Store, id string, stdout, stderr io.Writer, asJSON bool) int {
	runs, err := st.DriftRuns(ctx, store.DriftFilter{Limit: store.MaxLimit})
	var run *store.DriftRun
	for _, r := range runs {
		if r.ID == id {
			run = r
		}
	}
	if err == nil && run == nil {
		err = fmt.Errorf("no run %s among the latest %d", id, store.MaxLimit)
	}
	if err == nil {
		run.Results, err = st.DriftResults(ctx, id)
	}
	if err != nil {
		fmt.Fprintf(stderr, "switchyard drift report: %v\n", err)
		return 1
	}
	if asJSON {
		return printJSON(stdout, stderr, run)
	}
	fmt.Fprintf(stdout, "run %s: set %s on %s, %s, verdict %s\n", run.ID, run.Set, run.Deployment, run.Started.Local().Format(time.RFC3339), run.Verdict)
	for _, t := range run.Tests {
		mark := " "
		if t.Flagged {
			mark = "!"
		}
		fmt.Fprintf(stdout, "%s %s\n", mark, drift.Describe(&t))
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nPROMPT\tCATEGORY\tEXPECT\tPASS\tREFUSAL\tERROR\tCHARS\tLATENCY")
	for _, r := range run.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%t\t%s\t%d\t%s\n", r.PromptID, r.Category, r.Expect, r.Pass, r.Refusal, r.ErrorKind, r.AnswerChars, r.Latency.Round(time.Millisecond))
	}
	tw.Flush()
	return 0
}

func driftPinCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var sf driftStoreFlags
	var set, dep string
	var unpin bool
	fs := newFlagSet("drift pin")
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, driftUsage) }
	sf.register(fs)
	fs.StringVar(&set, "set", "", "")
	fs.StringVar(&dep, "deployment", "", "")
	fs.BoolVar(&unpin, "unpin", false, "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if set == "" || dep == "" || unpin == (fs.NArg() > 0) {
		fmt.Fprintln(stderr, "switchyard drift pin: give --set, --deployment and either run ids or --unpin")
		return 2
	}
	st, err := sf.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard drift pin: %v\n", err)
		return 1
	}
	defer st.Close()
	if err := st.PinDriftBaseline(ctx, set, dep, fs.Args()); err != nil {
		fmt.Fprintf(stderr, "switchyard drift pin: %v\n", err)
		return 1
	}
	if unpin {
		fmt.Fprintf(stdout, "%s on %s: baseline unpinned; the first %s complete runs form it again (restart the router to apply)\n", set, dep, "baseline_runs")
	} else {
		fmt.Fprintf(stdout, "%s on %s: baseline pinned to %d runs (restart the router to apply)\n", set, dep, fs.NArg())
	}
	return 0
}

var daysRE = regexp.MustCompile(`^(\d+)d$`)

// parseSince reads a duration before now (90m, 24h, 7d) or an RFC 3339
// time.
func parseSince(s string, now time.Time) (time.Time, error) {
	if m := daysRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return now.Add(-time.Duration(n) * 24 * time.Hour), nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Parse(time.RFC3339, strings.TrimSpace(s))
}

// printJSON writes v as indented JSON and returns the exit code.
func printJSON(stdout, stderr io.Writer, v any) int {
	if err := writeJSON(stdout, v); err != nil {
		fmt.Fprintf(stderr, "switchyard: %v\n", err)
		return 1
	}
	return 0
}
