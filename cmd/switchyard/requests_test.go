package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/demo"
	"switchyard/llm"
	"switchyard/server"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

// requestRows are five rows, alternating between tenants acme and globex;
// req_0003 failed.
func requestRows() []*store.Request {
	var rows []*store.Request
	for i := range 5 {
		r := storetest.Sample(i)
		r.ID, r.Time = fmt.Sprintf("req_%04d", i), storetest.Base.Add(time.Duration(i)*time.Minute)
		r.Tenant = []string{"acme", "globex"}[i%2]
		if i == 3 {
			r.Status, r.ErrorKind = 502, llm.KindUpstream
		}
		rows = append(rows, r)
	}
	return rows
}

// requestsFile writes requestRows to a new SQLite file and returns its
// path.
func requestsFile(t *testing.T) string {
	t.Helper()
	path := t.TempDir() + "/requests.db"
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Write(context.Background(), requestRows()); err != nil {
		t.Fatal(err)
	}
	return path
}

// runCLI runs a command line and returns its exit code, stdout and stderr.
func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// listedIDs returns the ids a list table shows, in order.
func listedIDs(table string) []string {
	return regexp.MustCompile(`req_\d{4}`).FindAllString(table, -1)
}

// checkSource runs list and show against one source (its flags) that
// sees the ids want (newest first) and not hidden.
func checkSource(t *testing.T, source []string, want []string, hidden string) {
	t.Helper()
	cli := func(args ...string) (int, string, string) {
		return runCLI(append(args[:2:2], append(source, args[2:]...)...)...)
	}
	code, out, errOut := cli("requests", "list")
	if code != 0 || !slices.Equal(listedIDs(out), want) || !strings.Contains(out, "DEPLOYMENT") {
		t.Errorf("list: exit %d, ids %v, want %v\n%s%s", code, listedIDs(out), want, out, errOut)
	}
	code, out, _ = cli("requests", "list", "--json", "--status", "error")
	var page admin.RequestList
	if err := json.Unmarshal([]byte(out), &page); code != 0 || err != nil {
		t.Fatalf("list --json: exit %d, %v: %s", code, err, out)
	}
	for _, r := range page.Data {
		if !r.Failed || r.Status != 502 {
			t.Errorf("list --status error gave %+v", r)
		}
	}
	code, out, errOut = cli("requests", "list", "--limit", "1")
	cursor := strings.TrimSpace(strings.TrimPrefix(errOut, "more: add --cursor "))
	if code != 0 || len(listedIDs(out)) != 1 || cursor == errOut {
		t.Fatalf("list --limit 1: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ = cli("requests", "list", "--limit", "1", "--cursor", cursor); code != 0 || !slices.Equal(listedIDs(out), want[1:2]) {
		t.Errorf("second page: exit %d\n%s", code, out)
	}
	code, out, errOut = cli("requests", "show", want[0])
	for _, s := range []string{"request   " + want[0], "plan: policy categories.factual, strategy cheapest",
		"tier 1   gpt-4o-mini", "dropped  o3: max_price (route): input price", "attempts:", "error (unavailable)", "format ok"} {
		if !strings.Contains(out, s) {
			t.Errorf("show lacks %q: exit %d\n%s%s", s, code, out, errOut)
		}
	}
	code, out, _ = cli("requests", "show", "--json", want[0])
	var d admin.RequestDetail
	if err := json.Unmarshal([]byte(out), &d); code != 0 || err != nil || d.ID != want[0] || len(d.Attempts) != 2 {
		t.Errorf("show --json: exit %d, %v: %s", code, err, out)
	}
	if code, _, errOut = cli("requests", "show", hidden); code != 1 || !strings.Contains(errOut, "404") && !strings.Contains(errOut, "no request") {
		t.Errorf("show %s (not visible): exit %d: %s", hidden, code, errOut)
	}
	checkShowSeveral(t, cli, want[0], want[1], hidden)
	if code, _, errOut = cli("requests", "list", "--since", "yesterday"); code != 2 || !strings.Contains(errOut, "since") {
		t.Errorf("bad --since: exit %d: %s", code, errOut)
	}
}

func TestRequestsFromStoreFile(t *testing.T) {
	path := requestsFile(t)
	all := []string{"req_0004", "req_0003", "req_0002", "req_0001", "req_0000"}
	checkSource(t, []string{"--store", path}, all, "req_9999")
	checkSource(t, []string{"--store", path, "--tenant", "globex"}, []string{"req_0003", "req_0001"}, "req_0002")

	cfgPath := t.TempDir() + "/switchyard.yaml"
	cfg := "providers: {openai: {kind: openai, api_key: sk-x}}\ndeployments: {d: {provider: openai}}\nstore: {driver: sqlite, path: " + path + "}\n"
	if err := writeFile(cfgPath, cfg); err != nil {
		t.Fatal(err)
	}
	checkSource(t, []string{"--config", cfgPath}, all, "req_9999")
}

func TestRequestsFromPostgres(t *testing.T) {
	dsn := pgtest.FreshSchema(t)
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Write(context.Background(), requestRows()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	checkSource(t, []string{"--dsn", dsn, "--tenant", "acme"}, []string{"req_0004", "req_0002", "req_0000"}, "req_0001")
}

// Against a running router, the admin key decides what is seen: a key
// scoped to acme sees acme's requests only; an unscoped one, from
// $SWITCHYARD_ADMIN_KEY, sees all.
func TestRequestsFromRouter(t *testing.T) {
	db, err := sqlite.Open(context.Background(), requestsFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := demo.Config("127.0.0.1:9", "") // never called: nothing is routed
	cfg.Auth.AdminKeys = []config.AdminKey{{Key: "sk-acme-admin", Name: "acme-ops", Tenant: "acme"}, {Key: "sk-ops", Name: "ops"}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	cfg.Store.Retention = 0 // the rows are from the past: the writer's retention must keep them
	r, err := server.NewRouter(cfg, server.RouterOptions{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(context.Background())
	srv := httptest.NewServer(r)
	defer srv.Close()

	checkSource(t, []string{"--url", srv.URL, "--key", "sk-acme-admin"}, []string{"req_0004", "req_0002", "req_0000"}, "req_0001")
	t.Setenv("SWITCHYARD_ADMIN_KEY", "sk-ops")
	checkSource(t, []string{"--url", srv.URL + "/"}, []string{"req_0004", "req_0003", "req_0002", "req_0001", "req_0000"}, "req_9999")
	checkSource(t, []string{"--url", srv.URL, "--tenant", "globex"}, []string{"req_0003", "req_0001"}, "req_0002")

	code, _, errOut := runCLI("requests", "list", "--url", srv.URL, "--key", "sk-acme-admin", "--tenant", "globex")
	if code != 1 || !strings.Contains(errOut, "403") || !strings.Contains(errOut, `scoped to tenant "acme"`) {
		t.Errorf("another tenant: exit %d: %s", code, errOut)
	}
	code, _, errOut = runCLI("requests", "list", "--url", srv.URL, "--key", "sk-wrong")
	if code != 1 || !strings.Contains(errOut, "401") || strings.Contains(errOut, "sk-wrong") {
		t.Errorf("wrong key: exit %d: %s", code, errOut)
	}
}

func TestRequestsUsage(t *testing.T) {
	path := requestsFile(t)
	tests := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"requests"}, 2, "usage:"},
		{[]string{"requests", "delete"}, 2, "usage:"},
		{[]string{"requests", "list"}, 2, "exactly one of --store, --dsn, --config or --url"},
		{[]string{"requests", "list", "--store", path, "--url", "http://127.0.0.1:1"}, 2, "exactly one of"},
		{[]string{"requests", "list", "--store", path, "auto"}, 2, `unexpected argument "auto"`},
		{[]string{"requests", "show", "--store", path}, 2, "give a request id"},
		{[]string{"requests", "list", "--store", path, "--key", "k"}, 2, "--key is only for --url"},
		{[]string{"requests", "list", "--store", path, "--status", "fine"}, 2, "status"},
		{[]string{"requests", "list", "--store", t.TempDir() + "/missing.db"}, 1, "no request log at"},
		{[]string{"requests", "list", "--url", "ftp://x"}, 1, "not an http:// or https:// address"},
		{[]string{"requests", "list", "--url", "http://127.0.0.1:1"}, 1, "ask the router at http://127.0.0.1:1"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.says) {
			t.Errorf("%q: exit %d, want %d with %q:\n%s", tt.args, code, tt.code, tt.says, errOut)
		}
	}
	cfgPath := t.TempDir() + "/off.yaml"
	if err := writeFile(cfgPath, "providers: {openai: {kind: openai, api_key: sk-x}}\ndeployments: {d: {provider: openai}}\nstore: {driver: none}\n"); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("requests", "list", "--config", cfgPath); code != 1 || !strings.Contains(errOut, "keeps no request log (store.driver: none)") {
		t.Errorf("store off: exit %d: %s", code, errOut)
	}
}

// show prints the stored, redacted bodies of a request when it has them.
func TestRequestsShowBodies(t *testing.T) {
	path := t.TempDir() + "/requests.db"
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	r := storetest.Sample(0)
	r.ID = "req_body"
	r.Bodies = &store.Bodies{
		Messages: []store.BodyMessage{{Role: "user", Text: "mail [REDACTED:email] please"}},
		Answer: &store.BodyAnswer{Text: "done", FinishReason: "tool_calls",
			ToolCalls: []store.BodyToolCall{{Name: "send", Arguments: `{"to":"[REDACTED:email]"}`}}},
	}
	if err := db.Write(context.Background(), []*store.Request{r}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errOut := runCLI("requests", "show", "--store", path, "req_body")
	for _, s := range []string{"prompt (redacted):", "user: mail [REDACTED:email] please",
		"answer (redacted, finish tool_calls):", `[tool call] send({"to":"[REDACTED:email]"})`} {
		if !strings.Contains(out, s) {
			t.Errorf("show lacks %q: exit %d\n%s%s", s, code, out, errOut)
		}
	}
}

// checkShowSeveral: `requests show` takes several ids, shows each in
// turn (as text, and as one JSON object after another), and reports one
// it cannot show while showing the others.
func checkShowSeveral(t *testing.T, cli func(...string) (int, string, string), a, b, hidden string) {
	t.Helper()
	code, out, errOut := cli("requests", "show", a, b)
	if code != 0 || !strings.Contains(out, "request   "+a) || !strings.Contains(out, "request   "+b) {
		t.Errorf("show %s %s: exit %d\n%s%s", a, b, code, out, errOut)
	}
	code, out, _ = cli("requests", "show", "--json", a, b)
	dec := json.NewDecoder(strings.NewReader(out))
	var ids []string
	for {
		var d admin.RequestDetail
		if err := dec.Decode(&d); err != nil {
			break
		}
		ids = append(ids, d.ID)
	}
	if code != 0 || !slices.Equal(ids, []string{a, b}) {
		t.Errorf("show --json %s %s: exit %d, ids %v\n%s", a, b, code, ids, out)
	}
	code, out, errOut = cli("requests", "show", hidden, a)
	if code != 1 || !strings.Contains(out, "request   "+a) || !strings.Contains(errOut, hidden) {
		t.Errorf("show %s %s: exit %d\n%s%s", hidden, a, code, out, errOut)
	}
}
