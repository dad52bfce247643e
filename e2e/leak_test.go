package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"switchyard/admin"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/sqlite"
)

// leakBackend is a request store the leak test records to, with what it
// takes to read its raw contents and to point the CLI at it.
type leakBackend struct {
	name string
	// open returns the store, the CLI's flags that read it, and the raw
	// contents of its database, read after the store is closed.
	open func(t *testing.T) (st store.Store, cliSource []string, raw func(t *testing.T) []byte)
}

var leakBackends = []leakBackend{
	{"sqlite", func(t *testing.T) (store.Store, []string, func(*testing.T) []byte) {
		path := freshSQLitePath(t)
		st, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return st, []string{"--store", path}, func(t *testing.T) []byte { return sqliteFiles(t, path) }
	}},
	{"postgres", func(t *testing.T) (store.Store, []string, func(*testing.T) []byte) {
		sch := pgtest.NewSchema(t)
		st, err := postgres.Open(context.Background(), sch.DSN)
		if err != nil {
			t.Fatal(err)
		}
		return st, []string{"--dsn", sch.DSN}, func(t *testing.T) []byte { return postgresRows(t, sch) }
	}},
}

// sqliteFiles returns the bytes of the database file and of its
// write-ahead log and shared-memory files, when there are any.
func sqliteFiles(t *testing.T, path string) []byte {
	var out []byte
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		out = append(out, b...)
	}
	return out
}

// postgresRows returns every row of every table in the schema, as JSON.
func postgresRows(t *testing.T, sch *pgtest.Schema) []byte {
	ctx := context.Background()
	rows, err := sch.Conn.Query(ctx, "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", sch.Name)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) == 0 {
		t.Fatalf("tables of %s: %v %v", sch.Name, tables, err)
	}
	var out []byte
	for _, table := range tables {
		q := "SELECT row_to_json(t)::text FROM " + pgx.Identifier{sch.Name, table}.Sanitize() + " t"
		rows, err := sch.Conn.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join(texts, "\n")...)
	}
	return out
}

// TestNothingLeaks is the request log's leak test: secrets and personal
// data planted in prompts, tool calls, answers, headers, the user field
// and upstream errors, over every kind of request, with bodies stored and
// traces on, show up in none of the database, the logs (text and JSON),
// the exported spans, the admin API's answers (the managed keys' list
// included) and the requests CLI's output, on SQLite and PostgreSQL.
// Managed keys (made through the admin API, used past their limits and
// outside their routes, revoked) show up nowhere either: the database
// holds their hash only. Credentials reach no upstream but their own.
func TestNothingLeaks(t *testing.T) {
	t.Parallel()
	if !luhn(leakCard.value) {
		t.Fatalf("the card canary %s fails the Luhn check: no redactor would take it for a card", leakCard.value)
	}
	for _, be := range leakBackends {
		t.Run(be.name, func(t *testing.T) {
			st, cliSource, raw := be.open(t)
			var closeStore sync.Once
			t.Cleanup(func() { closeStore.Do(func() { st.Close() }) })
			le := newLeakEnv(t, st)
			sent := sendLeakTraffic(t, le)
			managed, managedKeys := sendManagedKeyTraffic(t, le)
			sent = append(sent, managed...)
			checkClientErrors(t, sent)
			var sentIDs []string
			for _, s := range sent {
				sentIDs = append(sentIDs, s.id)
			}
			ids := waitForRows(t, st, sentIDs)
			never := append(allCanaries(), managedKeys...)

			checkAdminAPI(t, le, ids, never)
			checkCLI(t, []string{"--url", le.URL, "--key", leakAdminKey.value}, ids, never)

			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := le.Router.Close(ctx); err != nil {
				t.Fatalf("Router.Close: %v", err)
			}
			for name, log := range map[string][]byte{"text log": le.textLog.Bytes(), "JSON log": le.jsonLog.Bytes()} {
				assertContains(t, name, log, ids[0])
				assertContains(t, name, log, "request rejected")
				assertNoCanary(t, name, log, never)
			}
			spans := joinBytes(le.collector.Bodies())
			assertContains(t, "exported spans", spans, ids[0])
			assertNoCanary(t, "exported spans", spans, never)
			checkUpstreams(t, le.upstream.requests())
			for _, r := range le.upstream.requests() {
				// Its body holds what the client wrote (its key, pasted in
				// a prompt); the key itself is never sent as a credential.
				assertNoCanary(t, "the upstream request "+r.path, []byte(r.path+"\n"+headerText(r.header)), managedKeys)
			}

			checkCLI(t, cliSource, ids, never)
			closeStore.Do(func() {
				if err := st.Close(); err != nil {
					t.Errorf("close the store: %v", err)
				}
			})
			db := raw(t)
			assertContains(t, be.name+" database", db, ids[len(ids)-1])
			assertContains(t, be.name+" database", db, "[REDACTED:email]")
			assertNoCanary(t, be.name+" database", db, never)
		})
	}
}

// checkClientErrors: what an upstream quoted in its errors reaches the
// client masked too.
func checkClientErrors(t *testing.T, sent []leakSent) {
	upstreamQuoted := []canary{leakProviderKeys["leaky"], leakUpstreamEmail, leakUpstreamToken}
	for _, s := range sent {
		assertNoCanary(t, "the answer to "+s.kind, s.body, upstreamQuoted)
		assertNoCanary(t, "the answer to "+s.kind, s.body, credentialCanaries())
	}
}

// waitForRows waits until the store holds a row for every request of
// ids, and no other, and returns their ids, oldest first.
func waitForRows(t *testing.T, st store.Store, ids []string) []string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		p, err := st.List(context.Background(), store.AllTenants(), store.Filter{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range p.Requests {
			got = append(got, r.ID)
		}
		slices.Reverse(got)
		if len(got) >= len(ids) {
			if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(ids))) {
				t.Fatalf("rows %v, want one per request sent %v", got, ids)
			}
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d rows after 10s, want %d", len(got), len(ids))
		}
	}
}

// checkAdminAPI scans every admin answer: the listing, every request's
// detail, statistics, health and metrics.
func checkAdminAPI(t *testing.T, le *leakEnv, ids []string, never []canary) {
	get := func(path string) []byte {
		t.Helper()
		code, b := callAs(t, http.MethodGet, le.URL+path, leakAdminKey.value)
		if code != 200 {
			t.Fatalf("GET %s: %d %s", path, code, b)
		}
		assertNoCanary(t, "GET "+path, b, never)
		return b
	}
	var list admin.RequestList
	if err := json.Unmarshal(get("/admin/requests?limit=1000"), &list); err != nil || len(list.Data) != len(ids) || list.Next != "" {
		t.Fatalf("listing: %d rows, next %q, %v; want %d", len(list.Data), list.Next, err, len(ids))
	}
	var details []byte
	for _, id := range ids {
		details = append(details, get("/admin/requests/"+id)...)
	}
	// The controls: bodies were stored, masked, including the
	// configuration's credentials pasted into a prompt.
	for _, mask := range []string{"[REDACTED:email]", "[REDACTED:secret]", "[REDACTED:api_key]", "[REDACTED:card]", "[REDACTED:private_key]"} {
		assertContains(t, "request details", details, mask)
	}
	assertContains(t, "GET /admin/stats", get("/admin/stats?by=route,category,deployment"), `"plain"`)
	get("/admin/stats")
	assertContains(t, "GET /admin/health", get("/admin/health"), "gpt-4o-mini")
	assertContains(t, "GET /admin/keys", get("/admin/keys"), "leak-managed")
	assertContains(t, "GET /metrics", get("/metrics"), "switchyard_requests_total")
}

// checkCLI scans what `switchyard requests list` and `show` print, as a
// table, as text and as JSON, reading source.
func checkCLI(t *testing.T, source []string, ids []string, never []canary) {
	run := func(args ...string) string {
		t.Helper()
		cmd := append(append([]string{"requests", args[0]}, source...), args[1:]...)
		code, out, errOut := runCLI(t, cmd...)
		where := "switchyard requests " + strings.Join(args, " ") + " " + source[0]
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", where, code, errOut)
		}
		assertNoCanary(t, where, []byte(out+errOut), never)
		return out
	}
	assertContains(t, "requests list", []byte(run("list", "--limit", "1000")), ids[0])
	run("list", "--limit", "1000", "--json")
	shown := run(append([]string{"show"}, ids...)...) // one process: a race-built binary starts slowly
	for _, id := range ids {
		assertContains(t, "requests show", []byte(shown), "request   "+id)
	}
	run("show", "--json", ids[0])
}

// checkUpstreams: no upstream saw a client's or an admin's key, or the
// client's custom header, and each provider's key and header went only to
// that provider. The control: the prompts did reach them.
func checkUpstreams(t *testing.T, reqs []tapped) {
	if len(reqs) == 0 {
		t.Fatal("no upstream request was tapped")
	}
	callers := []canary{leakClientBearer, leakClientXAPIKey, leakUnknownKey, leakAdminKey, leakHeader}
	var bodies []byte
	ownKey := map[string]bool{} // provider → its key went with its requests
	for _, r := range reqs {
		head := []byte(r.path + "\n" + headerText(r.header))
		where := "the upstream request " + r.path
		assertNoCanary(t, where, append(head, r.body...), callers)
		provider := strings.Split(strings.TrimPrefix(r.path, "/"), "/")[0]
		if provider == "v1" {
			provider = "leaky"
		}
		ownKey[provider] = ownKey[provider] || strings.Contains(string(head), leakProviderKeys[provider].value)
		for name, key := range leakProviderKeys {
			if name != provider {
				assertNoCanary(t, where+" (to "+provider+")", head, []canary{key})
			}
		}
		if provider != "openai" {
			assertNoCanary(t, where+" (to "+provider+")", head, []canary{leakProviderHeader})
		}
		bodies = append(bodies, r.body...)
	}
	assertContains(t, "the upstream requests", bodies, leakEmail.value)
	for _, name := range []string{"openai", "azure", "anthropic", "gemini", "leaky"} {
		if !ownKey[name] {
			t.Errorf("no request to %s carried its key: the provider key canaries were not in play", name)
		}
	}
}

func headerText(h http.Header) string {
	var b strings.Builder
	h.Write(&b)
	return b.String()
}

func joinBytes(bs [][]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}
