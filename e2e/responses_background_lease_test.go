package e2e

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/server"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
)

// A background response never stays in progress once its router is
// gone: a router killed mid-run (SIGKILL: nothing written) leaves it to
// any router sharing the store, which fails it once its lease ended; a
// router that shuts down waits for its background responses until its
// drain deadline, then fails those left.

// listening matches the address in serve's banner.
var listening = regexp.MustCompile(`listening on http://(\S+) `)

// serveProcess runs `switchyard serve` on cfgYAML and returns its API's
// base URL and the process, killed at the test's end if still running.
func serveProcess(t *testing.T, cfgYAML string) (string, *exec.Cmd) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "switchyard.yaml")
	if err := os.WriteFile(path, []byte(cfgYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(switchyardCLI(t), "serve", "--config", path, "--addr", "127.0.0.1:0", "--quiet")
	cmd.Env = append(os.Environ(), "SWITCHYARD_ADMIN_KEY=", "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		return "http://" + a + "/v1", cmd
	case <-time.After(60 * time.Second):
		t.Fatal("switchyard serve did not say where it listens within 60s")
		return "", nil
	}
}

// leaseYAML is the demo's configuration on PostgreSQL at dsn, with tenant
// A's key and background leases of 3s.
func leaseYAML(simAddr, dsn string) string {
	y := string(demo.YAML(simAddr, "unused.db"))
	y = regexp.MustCompile(`(?m)^store: .*$`).ReplaceAllString(y, `store: {driver: postgres, dsn: "`+dsn+`"}`)
	return y + "auth:\n  keys:\n    - {key: " + respKeyA + ", name: acme-app, tenant: " + respTenantA + "}\n" +
		"responses:\n  background: {lease: 3s}\n"
}

func TestResponsesBackgroundRouterKilled(t *testing.T) {
	t.Parallel()
	dsn := pgtest.FreshSchema(t)
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	url, proc := serveProcess(t, leaseYAML(simAddr, dsn))
	killed := openai.NewClient(option.WithBaseURL(url), option.WithAPIKey(respKeyA), option.WithMaxRetries(0))
	polled, err := killed.Responses.New(ctxT(t), background("gpt-4o-mini", "Write a long story. [[sim:stall=60s]]"))
	if err != nil {
		t.Fatal(err)
	}
	s := killed.Responses.NewStreaming(ctxT(t), background("gpt-4o-mini", "Write another. [[sim:stall=60s]]"))
	head := readEvents(t, s, func(ev responses.ResponseStreamEventUnion) bool { return ev.Type == "response.in_progress" })
	waitStatus(t, killed, polled.ID, responses.ResponseStatusInProgress)
	if err := proc.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	proc.Wait()
	s.Close()
	killedAt := time.Now()

	st, err := postgres.Open(context.Background(), dsn)
	other := bgEnv(t, closing(t, st, err), 3*time.Second, nil)
	failed := waitStatus(t, other.Client, polled.ID, responses.ResponseStatusFailed)
	took := time.Since(killedAt)
	if !strings.Contains(failed.Error.Message, "stopped before it finished") || took > 10*time.Second {
		t.Errorf("failed %v after the kill (lease 3s): %s", took, failed.RawJSON())
	}
	t.Logf("failed by the other router %v after the kill (lease 3s, swept every 1.5s)", took)
	// The stream, resumed on the other router, ends with the failure.
	id, last := head[0].Response.ID, head[len(head)-1].SequenceNumber
	rest := other.Client.Responses.GetStreaming(ctxT(t), id, responses.ResponseGetParams{StartingAfter: openai.Int(last)})
	var types []string
	for rest.Next() {
		types = append(types, rest.Current().Type)
	}
	// (openai-go raises the error event as the stream's error.)
	if err := rest.Err(); strings.Join(types, " ") != "response.failed" || err == nil ||
		!strings.Contains(err.Error(), "stopped before it finished") || !strings.Contains(err.Error(), "background_lease_expired") {
		t.Errorf("the resumed stream: %v, then %v", types, err)
	}
}

// A router's drain waits for a background response that ends within it,
// and fails, as shutting down, the one still running at its deadline.
func TestResponsesBackgroundDrain(t *testing.T) {
	t.Parallel()
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	cfg := demo.Config(simAddr, "")
	cfg.Auth.Keys = []config.Key{{Key: respKeyA, Name: "acme-app", Tenant: respTenantA}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	st := storeBackends[0].open(t)
	r, err := server.NewRouter(cfg, server.RouterOptions{Store: st, Logger: slog.New(slog.DiscardHandler), NoRequestLog: true})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- r.Run(ctx, ln, 2*time.Second) }()
	c := openai.NewClient(option.WithBaseURL("http://"+ln.Addr().String()+"/v1"), option.WithAPIKey(respKeyA), option.WithMaxRetries(0))
	short, err := c.Responses.New(ctxT(t), background("gpt-4o-mini", "A short one. [[sim:stall=500ms]]"))
	if err != nil {
		t.Fatal(err)
	}
	long, err := c.Responses.New(ctxT(t), background("gpt-4o-mini", "A long one. [[sim:stall=20s]]"))
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, c, long.ID, responses.ResponseStatusInProgress)
	stop()
	if err := <-served; !errors.Is(err, server.ErrDrainTimeout) {
		t.Errorf("Serve = %v, want the drain timed out", err)
	}
	cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r.Close(cctx)
	rl := st.(store.ResponseLog)
	for id, want := range map[string]string{short.ID: "completed", long.ID: "failed"} {
		got, err := rl.GetResponse(context.Background(), store.TenantScope(respTenantA), id, time.Now())
		if err != nil || got.Status != want {
			t.Errorf("%s after the drain: %+v, %v; want %s", id, got, err, want)
			continue
		}
		if want == "failed" && !strings.Contains(string(got.Object), "server_shutting_down") && !strings.Contains(string(got.Object), "shut down") {
			t.Errorf("the response cut by the drain says: %s", got.Object)
		}
	}
}
