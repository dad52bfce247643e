package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"

	"switchyard/admin"
	"switchyard/llm"
)

const requestsUsage = `usage:
  switchyard requests list SOURCE [filters] [--json]   the requests recorded, newest first
  switchyard requests show SOURCE [--json] ID...       requests by id: each one's plan, attempts and signals

SOURCE is one of:
  --store PATH      an SQLite request log file (store.path)
  --dsn DSN         a PostgreSQL request log (store.dsn)
  --config FILE     the request log of a config file's store section
  --url URL         a running router's admin API, e.g. http://127.0.0.1:8080; the admin
                    key is --key KEY or $SWITCHYARD_ADMIN_KEY (none: the router must
                    answer this host without one)

filters (list), as the query parameters of GET /admin/requests (docs/admin-api.md):
  --since T, --until T   RFC 3339, a date, Unix seconds, or a duration before now (90m, 24h, 7d)
  --tenant NAME          one tenant's requests (a store or an unscoped key sees all)
  --route, --category, --deployment NAME
  --batch ID             the lines of one batch (batch_…, msgbatch_…)
  --status S             an HTTP status, ok or error
  --stream true|false
  --limit N              rows per page (default 50, at most 1000)
  --cursor C             the page after a previous list (printed when there are more)

  --json                 print the admin API's JSON instead of a table
`

// requestsFlags are the flags of `switchyard requests list|show`.
type requestsFlags struct {
	store, dsn, config, url, key string
	json                         bool
	// query holds the list filters, as GET /admin/requests takes them.
	query url.Values
	args  []string
}

// listFilters are the list flags passed on as query parameters.
var listFilters = []string{"since", "until", "tenant", "route", "category", "deployment", "batch", "status", "stream", "limit", "cursor"}

// parseRequestsFlags parses the flags of a requests subcommand; it
// reports false after printing why.
func parseRequestsFlags(cmd string, args []string, stderr io.Writer) (*requestsFlags, bool) {
	fs := newFlagSet("requests " + cmd)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, requestsUsage) }
	f := &requestsFlags{query: url.Values{}}
	fs.StringVar(&f.store, "store", "", "SQLite request log file")
	fs.StringVar(&f.dsn, "dsn", "", "PostgreSQL connection string")
	fs.StringVar(&f.config, "config", "", "config file whose store section to read")
	fs.StringVar(&f.url, "url", "", "a running router's address")
	fs.StringVar(&f.key, "key", "", "admin key for --url (default $SWITCHYARD_ADMIN_KEY)")
	fs.BoolVar(&f.json, "json", false, "print JSON")
	filters := map[string]*string{}
	for _, name := range listFilters {
		if cmd == "list" || name == "tenant" {
			filters[name] = fs.String(name, "", "filter: "+name)
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, false
	}
	for name, v := range filters {
		if *v != "" {
			f.query.Set(name, *v)
		}
	}
	f.args = fs.Args()
	sources := 0
	for _, s := range []string{f.store, f.dsn, f.config, f.url} {
		if s != "" {
			sources++
		}
	}
	switch {
	case sources != 1:
		fmt.Fprintf(stderr, "switchyard requests %s: give exactly one of --store, --dsn, --config or --url\n\n%s", cmd, requestsUsage)
		return nil, false
	case cmd == "list" && len(f.args) > 0:
		fmt.Fprintf(stderr, "switchyard requests list: unexpected argument %q (filters are flags, e.g. --route %s)\n", f.args[0], f.args[0])
		return nil, false
	case cmd == "show" && len(f.args) == 0:
		fmt.Fprint(stderr, "switchyard requests show: give a request id (or several), e.g. switchyard requests show --store switchyard.db req_0123\n")
		return nil, false
	case f.key != "" && f.url == "":
		fmt.Fprint(stderr, "switchyard requests: --key is only for --url\n")
		return nil, false
	}
	if f.url != "" && f.key == "" {
		f.key = os.Getenv("SWITCHYARD_ADMIN_KEY")
	}
	return f, true
}

// requestSource is where the request log is read: a store opened here,
// or a router's admin API. Both answer with the admin API's views.
type requestSource interface {
	list(ctx context.Context, q url.Values) (admin.RequestList, error)
	show(ctx context.Context, id string, q url.Values) (admin.RequestDetail, error)
	Close() error
}

// requestsCmd runs `switchyard requests …` and returns the exit code.
func requestsCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "list" && args[0] != "show" {
		fmt.Fprint(stderr, requestsUsage)
		return 2
	}
	cmd := args[0]
	f, ok := parseRequestsFlags(cmd, args[1:], stderr)
	if !ok {
		return 2
	}
	ctx := context.Background()
	src, err := openRequestSource(ctx, f)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard requests %s: %v\n", cmd, err)
		return 1
	}
	defer src.Close()
	if cmd == "list" {
		err = listRequests(ctx, src, f, stdout, stderr)
	} else {
		err = showRequests(ctx, src, f, stdout, stderr)
	}
	if err != nil {
		return reportRequestsError(stderr, cmd, err)
	}
	return 0
}

// reportRequestsError prints err and returns the exit code: 2 for a bad
// filter or id (an invalid request), 1 for anything else.
func reportRequestsError(stderr io.Writer, cmd string, err error) int {
	var e *llm.Error
	if !errors.As(err, &e) {
		fmt.Fprintf(stderr, "switchyard requests %s: %v\n", cmd, err)
		return 1
	}
	fmt.Fprintf(stderr, "switchyard requests %s: %s\n", cmd, e.Message)
	if e.Kind == llm.KindInvalidRequest {
		return 2
	}
	return 1
}

func listRequests(ctx context.Context, src requestSource, f *requestsFlags, stdout, stderr io.Writer) error {
	page, err := src.list(ctx, f.query)
	if err != nil {
		return err
	}
	if f.json {
		return writeJSON(stdout, page)
	}
	if err := writeRequestTable(stdout, page.Data); err != nil {
		return err
	}
	if page.Next != "" {
		fmt.Fprintf(stderr, "more: add --cursor %s\n", page.Next)
	}
	return nil
}

// showRequests prints each request of f.args in turn (text: a blank line
// between them; --json: one object after another). One that cannot be
// shown is reported on stderr and the others still are; the error is
// the first such, or nil.
func showRequests(ctx context.Context, src requestSource, f *requestsFlags, stdout, stderr io.Writer) error {
	var first error
	for i, id := range f.args {
		err := showRequest(ctx, src, id, f, stdout, i > 0)
		if err != nil && len(f.args) > 1 {
			reportRequestsError(stderr, "show "+id, err)
		}
		if first == nil {
			first = err
		}
	}
	if first != nil && len(f.args) > 1 {
		return errShown
	}
	return first
}

// errShown is showRequests' error when it already reported each one.
var errShown = errors.New("some requests could not be shown")

func showRequest(ctx context.Context, src requestSource, id string, f *requestsFlags, stdout io.Writer, after bool) error {
	d, err := src.show(ctx, id, f.query)
	if err != nil {
		return err
	}
	if f.json {
		return writeJSON(stdout, d)
	}
	if after {
		fmt.Fprintln(stdout)
	}
	return writeRequestDetail(stdout, &d)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
