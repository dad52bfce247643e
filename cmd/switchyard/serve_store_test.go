package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/demo"
	"switchyard/server"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/sqlite"
)

// SIGTERM under load loses no row: clients keep sending until the router
// stops; every request that got a whole answer has its row once serve
// returns.
func TestServeSIGTERMUnderLoadLosesNoRow(t *testing.T) {
	backends := []struct {
		name string
		open func(t *testing.T) (store.Store, error)
	}{
		{"sqlite", func(t *testing.T) (store.Store, error) {
			return sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "switchyard.db"))
		}},
		{"postgres", func(t *testing.T) (store.Store, error) {
			return postgres.Open(context.Background(), pgtest.FreshSchema(t))
		}},
	}
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			st, err := be.open(t)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			answered := loadUntilStopped(t, st, 8, 500)
			ctx := context.Background()
			var missing []string
			for _, id := range answered {
				if _, err := st.Get(ctx, store.AllTenants(), id); err != nil {
					missing = append(missing, id)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%d of %d answered requests have no row after serve returned, e.g. %s", len(missing), len(answered), missing[0])
			}
		})
	}
}

// loadUntilStopped serves the demo router recording to st; clients
// (streamed and not, in turn) send requests until the router stops, which
// it is told to (as SIGTERM does) once n requests were answered. It
// returns the ids of the requests that got a whole answer, once serve has
// returned.
func loadUntilStopped(t *testing.T, st store.Store, clients, n int) []string {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	cfg := demo.Config(simAddr, "")
	cfg.Server.ShutdownTimeout = 10 * time.Second
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := server.NewRouter(cfg, server.RouterOptions{Demo: true, Logger: log, NoRequestLog: true, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	ln, stop, exit := serveInBackground(t, r, cfg, log)
	defer stop()

	url := "http://" + ln.Addr().String() + "/v1/chat/completions"
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	var (
		mu  sync.Mutex
		ids []string
	)
	stopUnderLoad(t, r, stop, exit, clients, n, 30*time.Second, func(c, i int) bool {
		id, ok := askWhole(tr, url, (c+i)%2 == 0)
		if ok {
			mu.Lock()
			ids = append(ids, id)
			mu.Unlock()
		}
		return ok
	})
	return ids
}

// askWhole sends one chat request and reports its request id and whether
// it got a whole answer: a 200 and, for a stream, its end marker.
func askWhole(tr http.RoundTripper, url string, stream bool) (string, bool) {
	body := `{"model":"auto","stream":` + map[bool]string{true: "true", false: "false"}[stream] +
		`,"messages":[{"role":"user","content":"Tell me about rivers"}]}`
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return "", false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || stream && !strings.Contains(string(b), "data: [DONE]") {
		return "", false
	}
	return resp.Header.Get("x-switchyard-request-id"), true
}

var listeningOn = regexp.MustCompile(`listening on http://(\S+)`)

// startServe runs serve with args (as the command line gives them) until
// the returned stop is called, which waits for the exit code. It returns
// once the banner is printed, with the banner and the API address.
func startServe(t *testing.T, args ...string) (banner, addr string, stop func() int) {
	t.Helper()
	return startServeLogging(t, io.Discard, args...)
}

// startServeLogging is startServe with serve's log (its stderr) going
// to logs.
func startServeLogging(t *testing.T, logs io.Writer, args ...string) (banner, addr string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	exit := make(chan int, 1)
	go func() {
		exit <- runServe(ctx, nil, args, pw, logs)
		pw.Close()
	}()
	var b strings.Builder
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "Try:") {
			break
		}
	}
	go io.Copy(io.Discard, pr) //nolint:errcheck // the rest of the output
	m := listeningOn.FindStringSubmatch(b.String())
	if m == nil {
		cancel()
		t.Fatalf("no banner; serve exited with %d:\n%s", <-exit, b.String())
	}
	return b.String(), m[1], func() int {
		cancel()
		select {
		case code := <-exit:
			return code
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop")
			return -1
		}
	}
}

// serve --demo records to the file --store names, and says so.
func TestServeDemoRecordsToItsStoreFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	banner, addr, stop := startServe(t, "--demo", "--sim-latency", "0", "--quiet", "--addr", "127.0.0.1:0", "--store", path)
	if !strings.Contains(banner, "Requests:    recorded to "+path+" (SQLite)") {
		t.Errorf("the banner does not say where requests are recorded:\n%s", banner)
	}
	tr := &http.Transport{}
	id, ok := askWhole(tr, "http://"+addr+"/v1/chat/completions", false)
	tr.CloseIdleConnections()
	if !ok {
		t.Fatal("the demo did not answer")
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if row, err := db.Get(context.Background(), store.AllTenants(), id); err != nil || row.Endpoint != "chat" {
		t.Errorf("the demo's request %s: row %+v, %v", id, row, err)
	}
}

// A config without a store section records to switchyard.db in the
// working directory.
func TestServeDefaultStoreIsSwitchyardDB(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	cfg := `providers:
  openai: {kind: openai, base_url: "http://127.0.0.1:9/v1", api_key: sk-test-0123456789}
deployments:
  gpt-4o-mini: {provider: openai}
`
	if err := writeFile("switchyard.yaml", cfg); err != nil {
		t.Fatal(err)
	}
	banner, _, stop := startServe(t, "--config", "switchyard.yaml", "--addr", "127.0.0.1:0")
	want := filepath.Join(dir, "switchyard.db")
	if !strings.Contains(banner, "Requests:    recorded to "+want+" (SQLite), without prompts or answers; "+
		"Responses API conversations created with store: true are kept as sent for 30 days") {
		t.Errorf("banner:\n%s", banner)
	}
	if _, err := os.Stat(want); err != nil {
		t.Errorf("the default store file: %v", err)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

func TestServeStoreFlagOnlyForDemo(t *testing.T) {
	var errOut strings.Builder
	if code := runServe(context.Background(), nil, []string{"--config", "x.yaml", "--store", "y.db"}, io.Discard, &errOut); code != 2 ||
		!strings.Contains(errOut.String(), "--store is for --demo") {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
}
