package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"switchyard/admin"
	"switchyard/cost"
	"switchyard/learn"
	"switchyard/llm"
)

const reportUsage = `usage:
  switchyard report SOURCE [--since 7d] [--until T] [--tenant NAME] [--reference DEP] [--json] [--apply FILE]

The weekly report: per route, category and deployment the volume, cost and satisfaction
(with its 95% interval), and the cheaper deployments the numbers recommend, each with the
config change that applies it; then what routing saved against each route's reference
deployment, with the quality evidence (docs/report.md).

SOURCE is one of:
  --store PATH      an SQLite request log file (store.path)
  --dsn DSN         a PostgreSQL request log (store.dsn)
  --config FILE     the request log of a config file's store section
  --url URL         a running router's admin API (GET /admin/report); the admin key is
                    --key KEY or $SWITCHYARD_ADMIN_KEY

  --since T, --until T       RFC 3339, a date, Unix seconds, or a duration before now (default since 7d)
  --tenant NAME              one tenant (a store or an unscoped key sees all)
  --min-outcomes N           outcomes each deployment of a comparison needs (default 30)
  --large-prompt-tokens N    prompts over N tokens are compared apart (default 2000)
  --reference DEP            price the savings at DEP for every route, or ROUTE=DEP for one
                             (comma-separated; default routes.NAME.reference, else the route's
                             most expensive deployment with a known price). The savings need the
                             configuration: --config, or a router's (--url)
  --json                     print the admin API's JSON instead of a table
  --apply FILE               write the --config file with the recommended changes to FILE
                             (comments kept); nothing running is changed
`

// reportFlags are the flags of `switchyard report`.
type reportFlags struct {
	requestsFlags
	apply string
}

// reportSource is a request source that can build the report.
type reportSource interface {
	report(ctx context.Context, q url.Values) (admin.ReportView, error)
	Close() error
}

func parseReportFlags(args []string, stderr io.Writer) (*reportFlags, bool) {
	fs := newFlagSet("report")
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, reportUsage) }
	f := &reportFlags{requestsFlags: requestsFlags{query: url.Values{}}}
	fs.StringVar(&f.store, "store", "", "SQLite request log file")
	fs.StringVar(&f.dsn, "dsn", "", "PostgreSQL connection string")
	fs.StringVar(&f.config, "config", "", "config file (its store section, and what --apply edits)")
	fs.StringVar(&f.url, "url", "", "a running router's address")
	fs.StringVar(&f.key, "key", "", "admin key for --url (default $SWITCHYARD_ADMIN_KEY)")
	fs.BoolVar(&f.json, "json", false, "print JSON")
	fs.StringVar(&f.apply, "apply", "", "write the config with the changes applied to FILE")
	params := map[string]*string{
		"since": fs.String("since", "7d", "start of the range"), "until": fs.String("until", "", "end of the range"),
		"tenant": fs.String("tenant", "", "one tenant"), "min_outcomes": fs.String("min-outcomes", "", "outcomes needed"),
		"large_prompt_tokens": fs.String("large-prompt-tokens", "", "large prompt size"),
		"reference":           fs.String("reference", "", "the savings' reference deployment"),
	}
	if err := fs.Parse(args); err != nil {
		return nil, false
	}
	for name, v := range params {
		if *v != "" {
			f.query.Set(name, *v)
		}
	}
	sources := 0
	for _, s := range []string{f.store, f.dsn, f.url} {
		if s != "" {
			sources++
		}
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "switchyard report: unexpected argument %q\n", fs.Arg(0))
		return nil, false
	case sources > 1 || sources == 0 && f.config == "":
		fmt.Fprintf(stderr, "switchyard report: give one of --store, --dsn, --url or --config\n\n%s", reportUsage)
		return nil, false
	case f.apply != "" && f.config == "":
		fmt.Fprint(stderr, "switchyard report: --apply needs --config, the config file to change\n")
		return nil, false
	case f.query.Get("reference") != "" && f.config == "" && f.url == "":
		fmt.Fprint(stderr, "switchyard report: --reference needs --config, whose routes and prices the savings read\n")
		return nil, false
	case f.key != "" && f.url == "":
		fmt.Fprint(stderr, "switchyard report: --key is only for --url\n")
		return nil, false
	}
	if f.url != "" && f.key == "" {
		f.key = os.Getenv("SWITCHYARD_ADMIN_KEY")
	}
	return f, true
}

// reportCmd runs `switchyard report` and returns the exit code.
func reportCmd(args []string, stdout, stderr io.Writer) int {
	f, ok := parseReportFlags(args, stderr)
	if !ok {
		return 2
	}
	ctx := context.Background()
	src, err := openRequestSource(ctx, &f.requestsFlags)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard report: %v\n", err)
		return 1
	}
	defer src.Close()
	if ss, ok := src.(*storeSource); ok && f.config != "" {
		if ss.savings, ss.refusalWeight, err = savingsPolicy(f.config); err != nil {
			fmt.Fprintf(stderr, "switchyard report: %v\n", err)
			return 1
		}
	}
	rep, err := src.(reportSource).report(ctx, f.query)
	if err != nil {
		return reportError(stderr, err)
	}
	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	} else {
		printReport(stdout, &rep)
	}
	if f.apply == "" {
		return 0
	}
	if err := applyReport(f.config, f.apply, rep.Recommendations, stdout); err != nil {
		fmt.Fprintf(stderr, "switchyard report: --apply: %v\n", err)
		return 1
	}
	return 0
}

// reportError prints err; a bad parameter exits 2, as a bad flag does.
func reportError(stderr io.Writer, err error) int {
	var e *llm.Error
	if !errors.As(err, &e) {
		fmt.Fprintf(stderr, "switchyard report: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "switchyard report: %s\n", e.Message)
	if e.Kind == llm.KindInvalidRequest {
		return 2
	}
	return 1
}

func (s *storeSource) report(ctx context.Context, q url.Values) (admin.ReportView, error) {
	rq, err := admin.ParseReportQuery(q, time.Now())
	if err != nil {
		return admin.ReportView{}, err
	}
	scope, _ := operator.ScopeFor(rq.Tenant) // an unscoped principal may read any tenant
	rq.Query.Policy, rq.Query.RefusalWeight = s.savings, s.refusalWeight
	rep, err := learn.BuildReport(ctx, s.s, scope, rq.Query)
	if err != nil {
		return admin.ReportView{}, err
	}
	return admin.ReportOf(rep), nil
}

func (a *apiSource) report(ctx context.Context, q url.Values) (admin.ReportView, error) {
	var out admin.ReportView
	return out, a.get(ctx, q, &out, "admin", "report")
}

// printReport prints the rows as a table, then the recommendations with
// their changes, then the notes, then the savings, then the batch lines.
func printReport(w io.Writer, rep *admin.ReportView) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROUTE\tCATEGORY\tDEPLOYMENT\tREQUESTS\tSHARE\tREFUSED\tOUTCOMES\tSATISFACTION (95%)\tCOST/REQ")
	for _, r := range rep.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f%%\t%d\t%d\t%s\t%s\n", dash(r.Route), r.Category, dash(r.Deployment), r.Requests,
			100*r.Share, r.Refused, r.Outcomes, satisfaction(&r.ReportStats), cost.USD(r.CostPerRequest))
	}
	tw.Flush()
	fmt.Fprintln(w)
	if len(rep.Recommendations) == 0 {
		fmt.Fprintln(w, "No recommendation: no cheaper deployment is as good as the one in use, with enough outcomes to tell.")
	}
	for _, r := range rep.Recommendations {
		fmt.Fprintf(w, "• %s\n", r.Text)
		for _, c := range r.Changes {
			fmt.Fprintf(w, "    %s\n", changeString(c))
		}
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	printSavings(w, rep.Savings)
	printBatches(w, rep.Batches)
}

func satisfaction(s *admin.ReportStats) string {
	if s.Satisfaction == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f [%.2f, %.2f]", *s.Satisfaction, s.SatisfactionInterval[0], s.SatisfactionInterval[1])
}

// changeString renders a change as learn.ConfigChange does.
func changeString(c admin.ChangeView) string {
	return learn.ConfigChange{Path: c.Path, Value: c.Value, Append: c.Append}.String()
}

// quoteKey renders a YAML path key for messages.
func quoteKey(path []string) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = p
		if strings.ContainsAny(p, ". ") {
			parts[i] = strconv.Quote(p)
		}
	}
	return strings.Join(parts, ".")
}
