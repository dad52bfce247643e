package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"strings"
	"time"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/open"
	"switchyard/store/postgres"
	"switchyard/store/sqlite"
	"switchyard/tenant"
)

const keysUsage = `usage:
  switchyard keys create --tenant T [options]   make a client key (printed once; only its hash is stored)
  switchyard keys create --admin --role R [--tenant T] [--name N]   make an admin key
  switchyard keys list [--tenant T] [--json]    the keys: id, prefix, name, tenant, limits, state (never a key)
  switchyard keys revoke ID                     the key stops working
  switchyard keys rotate ID [--grace 1h]        a new key; the old one works until the grace ends

STORE (every subcommand) is one of:
  --config FILE     the store section of a config file (default switchyard.yaml)
  --store PATH      an SQLite store file
  --dsn DSN         a PostgreSQL store

create options:
  --name N                 a label for logs and records (default: the key's id)
  --routes a,b             the routes it may ask for (default: every one; "none" for none)
  --deployments a,b        the deployments that may serve it (default: every one)
  --overrides a,b          the routing overrides it may use: model, category, max_cost,
                           latency, fallback (default: every one; "none" for none)
  --rpm N, --tpm N         requests and tokens per minute (default: no limit of its own)
  --max-concurrent N       requests at once
  --expires E              30d, 12h, an RFC 3339 time or a date (default: never)
  --admin --role R         an admin key of role viewer, operator or admin
  --json                   print JSON

A running router reloads the keys within 2 seconds of a change
(docs/tenants.md): a new key works, a revoked one stops, without a restart.
Each change is written to the store's audit trail (GET /admin/audit), by
"cli:<login name>".
`

// keysFlags are the flags every keys subcommand takes.
type keysFlags struct {
	config, store, dsn string
	json               bool
}

func keysCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, keysUsage)
		return 2
	}
	switch args[0] {
	case "create":
		return keysCreate(args[1:], stdout, stderr)
	case "list":
		return keysList(args[1:], stdout, stderr)
	case "revoke", "rotate":
		return keysChange(args[0], args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "switchyard keys: unknown subcommand %q\n\n%s", args[0], keysUsage)
	return 2
}

// newKeysFlagSet returns the flag set of a keys subcommand with the
// store flags.
func newKeysFlagSet(name string, f *keysFlags, stderr io.Writer) *flag.FlagSet {
	fs := newFlagSet("keys " + name)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, keysUsage) }
	fs.StringVar(&f.config, "config", "", "config file whose store section to use (default switchyard.yaml)")
	fs.StringVar(&f.store, "store", "", "SQLite store file")
	fs.StringVar(&f.dsn, "dsn", "", "PostgreSQL connection string")
	fs.BoolVar(&f.json, "json", false, "print JSON")
	return fs
}

// parseInterleaved parses fs from args, letting positional arguments
// come before, between or after the flags; it returns the positionals.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// openKeys opens the store f names and returns its key manager, which
// records each change in the store's audit log (a failure to is printed
// to stderr); the config, when one was read, checks the routes and
// deployments named.
func openKeys(ctx context.Context, f *keysFlags, stderr io.Writer) (*tenant.Manager, func(), error) {
	var (
		st  store.Store
		cfg *config.Config
		err error
	)
	switch {
	case f.dsn != "":
		st, err = postgres.Open(ctx, f.dsn)
	case f.store != "":
		st, err = sqlite.Open(ctx, f.store)
	default:
		path := f.config
		if path == "" {
			path = "switchyard.yaml"
		}
		if cfg, err = config.Load(path); err != nil {
			return nil, nil, err
		}
		if !cfg.Store.Enabled() {
			return nil, nil, fmt.Errorf("%s keeps no store (store.driver: none); managed keys live in the store", path)
		}
		st, err = open.Open(ctx, &cfg.Store)
	}
	if err != nil {
		return nil, nil, err
	}
	m := &tenant.Manager{Store: st, Auditor: tenant.AuditLogOf(st), Logger: slog.New(slog.NewTextHandler(stderr, nil))}
	if cfg != nil {
		m.Config = func() *config.Config { return cfg }
	}
	return m, func() { st.Close() }, nil
}

// cliActor is who the keys command acts as: an admin of every tenant,
// named in the audit trail "cli" and the login name of the user who ran
// it, when known (it says who, as far as the machine knows; whoever can
// write the store could write anything).
func cliActor() tenant.Actor {
	a := tenant.CLI
	if u, err := user.Current(); err == nil && u.Username != "" {
		a.Name = "cli:" + u.Username
	} else if name := os.Getenv("USER"); name != "" {
		a.Name = "cli:" + name
	}
	return a
}

// fail prints err for the command line: a client error's message, else
// the error.
func fail(stderr io.Writer, cmd string, err error) int {
	var msg string
	if e := llm.AsError(err); e.Kind != llm.KindInternal {
		msg = e.Message
	} else {
		msg = err.Error()
	}
	fmt.Fprintf(stderr, "switchyard keys %s: %s\n", cmd, msg)
	return 1
}

// csv splits a comma-separated list flag: unset is nil (every one),
// "none" an empty list.
func csv(s *string) []string {
	switch {
	case s == nil:
		return nil
	case *s == "none":
		return []string{}
	}
	var out []string
	for _, v := range strings.Split(*s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// optString is a string flag that knows whether it was set.
type optString struct{ v *string }

func (o *optString) String() string {
	if o.v == nil {
		return ""
	}
	return *o.v
}

func (o *optString) Set(s string) error { o.v = &s; return nil }

func keysCreate(args []string, stdout, stderr io.Writer) int {
	var f keysFlags
	fs := newKeysFlagSet("create", &f, stderr)
	var routes, deps, overrides optString
	var spec tenant.Spec
	var expires, role string
	var isAdmin bool
	fs.StringVar(&spec.Tenant, "tenant", "", "the tenant that owns its requests")
	fs.StringVar(&spec.Name, "name", "", "a label")
	fs.Var(&routes, "routes", "routes it may ask for")
	fs.Var(&deps, "deployments", "deployments that may serve it")
	fs.Var(&overrides, "overrides", "overrides it may use")
	fs.Int64Var(&spec.Limits.RPM, "rpm", 0, "requests per minute")
	fs.Int64Var(&spec.Limits.TPM, "tpm", 0, "tokens per minute")
	fs.IntVar(&spec.Limits.MaxConcurrent, "max-concurrent", 0, "requests at once")
	fs.StringVar(&expires, "expires", "", "when it stops working")
	fs.BoolVar(&isAdmin, "admin", false, "an admin key")
	fs.StringVar(&role, "role", "", "the admin key's role")
	if pos, err := parseInterleaved(fs, args); err != nil {
		return 2
	} else if len(pos) > 0 {
		fmt.Fprintf(stderr, "switchyard keys create: unexpected argument %q\n", pos[0])
		return 2
	}
	spec.Routes, spec.Deployments, spec.Overrides = csv(routes.v), csv(deps.v), csv(overrides.v)
	switch {
	case isAdmin:
		spec.Role = config.Role(role)
		if spec.Role == "" {
			spec.Role = config.RoleViewer
		}
	case role != "":
		fmt.Fprintln(stderr, "switchyard keys create: --role makes sense with --admin")
		return 2
	}
	var err error
	if spec.Expires, err = tenant.ParseExpires(expires, time.Now()); err != nil {
		fmt.Fprintf(stderr, "switchyard keys create: --expires: %v\n", err)
		return 2
	}
	ctx := context.Background()
	m, closeStore, err := openKeys(ctx, &f, stderr)
	if err != nil {
		return fail(stderr, "create", err)
	}
	defer closeStore()
	c, err := m.Create(ctx, cliActor(), spec)
	if err != nil {
		return fail(stderr, "create", err)
	}
	printNewKey(stdout, &f, admin.NewKey{Key: c.Key, KeyView: admin.KeyViewOf(c.Record, time.Now())}, time.Time{})
	return 0
}

// printNewKey prints a key just made: the key alone on the first line
// (for scripts), then what it is.
func printNewKey(w io.Writer, f *keysFlags, k admin.NewKey, graceEnd time.Time) {
	if f.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(k)
		return
	}
	fmt.Fprintln(w, k.Key)
	fmt.Fprintln(w, "  This key is shown once: only its hash is stored. Keep it in a secret store.")
	fmt.Fprintf(w, "  id %s, %s\n", k.ID, describeKey(&k.KeyView))
	if k.Replaces != "" {
		fmt.Fprintf(w, "  replaces %s, which works until %s (or its own expiry, if sooner)\n", k.Replaces, graceEnd.UTC().Format(time.RFC3339))
	}
}

func keysList(args []string, stdout, stderr io.Writer) int {
	var f keysFlags
	fs := newKeysFlagSet("list", &f, stderr)
	tenantName := fs.String("tenant", "", "only this tenant's keys")
	if pos, err := parseInterleaved(fs, args); err != nil {
		return 2
	} else if len(pos) > 0 {
		fmt.Fprintf(stderr, "switchyard keys list: unexpected argument %q\n", pos[0])
		return 2
	}
	ctx := context.Background()
	m, closeStore, err := openKeys(ctx, &f, stderr)
	if err != nil {
		return fail(stderr, "list", err)
	}
	defer closeStore()
	actor := cliActor()
	actor.Tenant = *tenantName
	keys, err := m.List(ctx, actor)
	if err != nil {
		return fail(stderr, "list", err)
	}
	out := admin.KeyList{Data: make([]admin.KeyView, len(keys))}
	for i, k := range keys {
		out.Data[i] = admin.KeyViewOf(k, time.Now())
	}
	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(out)
		return 0
	}
	printKeyTable(stdout, out.Data)
	return 0
}

func keysChange(cmd string, args []string, stdout, stderr io.Writer) int {
	var f keysFlags
	fs := newKeysFlagSet(cmd, &f, stderr)
	var grace string
	if cmd == "rotate" {
		fs.StringVar(&grace, "grace", "", "how long the old key keeps working (e.g. 1h, 7d)")
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "switchyard keys %s: want one key id (see switchyard keys list)\n", cmd)
		return 2
	}
	g, err := tenant.ParseGrace(grace)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard keys rotate: --grace: %v\n", err)
		return 2
	}
	ctx := context.Background()
	m, closeStore, err := openKeys(ctx, &f, stderr)
	if err != nil {
		return fail(stderr, cmd, err)
	}
	defer closeStore()
	id := strings.TrimSuffix(strings.TrimPrefix(pos[0], tenant.KeyPrefix), "_…")
	if cmd == "revoke" {
		rec, err := m.Revoke(ctx, cliActor(), id)
		if err != nil {
			return fail(stderr, cmd, err)
		}
		v := admin.KeyViewOf(rec, time.Now())
		if f.json {
			json.NewEncoder(stdout).Encode(v)
			return 0
		}
		fmt.Fprintf(stdout, "revoked %s (%s); a running router refuses it within 2 seconds\n", id, describeKey(&v))
		return 0
	}
	c, err := m.Rotate(ctx, cliActor(), id, g)
	if err != nil {
		return fail(stderr, cmd, err)
	}
	printNewKey(stdout, &f, admin.NewKey{Key: c.Key, KeyView: admin.KeyViewOf(c.Record, time.Now()), Replaces: id}, c.Record.Created.Add(g))
	return 0
}
