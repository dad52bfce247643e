package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/server"
	simpkg "switchyard/sim"
)

// On shutdown the router lets an in-flight stream finish, refuses new
// connections, and returns exit code 0.
func TestShutdownDrainsInFlightStreams(t *testing.T) {
	simAddr, _, stopSim, err := demo.StartSim(1) // realistic latency: a stream takes a while
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	cfg := demo.Config(simAddr, "")
	cfg.Server.ShutdownTimeout = 10 * time.Second
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	r, err := server.NewRouter(cfg, server.RouterOptions{Demo: true, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ln, stop, exit := serveInBackground(t, r, cfg, log)
	defer stop()

	url := "http://" + ln.Addr().String() + "/v1/chat/completions"
	body := `{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Tell me about rivers and lakes"}]}`
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rd := bufio.NewReader(resp.Body)
	if _, err := rd.ReadString('\n'); err != nil { // the stream has started
		t.Fatal(err)
	}
	stop() // what SIGTERM does

	rest, err := io.ReadAll(rd)
	if err != nil || !bytes.HasSuffix(bytes.TrimSpace(rest), []byte("data: [DONE]")) {
		t.Fatalf("in-flight stream was not allowed to finish: %v\n%s", err, rest)
	}
	wantCleanExit(t, exit, 15*time.Second)
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting connections after shutdown")
	}
	if !strings.Contains(logs.String(), "stopped cleanly") {
		t.Errorf("a clean drain did not say so:\n%s", logs.String())
	}
}

// A drain that has to cut a stream exits 0 but does not claim to have
// stopped cleanly.
func TestShutdownCutSaysSo(t *testing.T) {
	simAddr, sim, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	sim.Faults.Add(simpkg.Fault{Kind: simpkg.FaultStall, Delay: time.Minute})
	cfg := demo.Config(simAddr, "")
	cfg.Server.ShutdownTimeout = 20 * time.Millisecond
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	r, err := server.NewRouter(cfg, server.RouterOptions{Demo: true, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ln, stop, exit := serveInBackground(t, r, cfg, log)
	defer stop()
	body := `{"model":"claude-haiku-4-5","stream":true,"messages":[{"role":"user","content":"Tell me about rivers"}]}`
	resp, err := http.Post("http://"+ln.Addr().String()+"/v1/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rd := bufio.NewReader(resp.Body)
	if _, err := rd.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	stop()
	rest, err := io.ReadAll(rd)
	if err != nil || !strings.Contains(string(rest), "server_shutting_down") {
		t.Fatalf("the cut stream read %q, %v", rest, err)
	}
	wantCleanExit(t, exit, 15*time.Second)
	if out := logs.String(); strings.Contains(out, "stopped cleanly") || !strings.Contains(out, "requests were cut") {
		t.Errorf("log after a cut drain:\n%s", out)
	}
}

// serveInBackground runs serve on r (demo mode) in a goroutine, on a
// loopback listener it returns, until stop is called (what SIGTERM does);
// exit receives serve's exit code.
func serveInBackground(t *testing.T, r *server.Router, cfg *config.Config, log *slog.Logger) (ln net.Listener, stop context.CancelFunc, exit <-chan int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	code := make(chan int, 1)
	go func() {
		code <- serve(ctx, nil, r, server.Listeners{API: ln}, cfg, serveMode{demo: true}, log, io.Discard, io.Discard)
	}()
	return ln, stop, code
}

// wantCleanExit waits up to within for serve's exit code and fails t
// unless serve returned 0 by then.
func wantCleanExit(t *testing.T, exit <-chan int, within time.Duration) {
	t.Helper()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("exit code %d", code)
		}
	case <-time.After(within):
		t.Fatal("server did not stop")
	}
}

// stopUnderLoad runs clients goroutines, each calling ask(c, i) for its
// number c and i = 0, 1, … until ask reports the router stopped; once
// the load got going (n calls answered, within getGoing) it stops serve
// as SIGTERM does, and, once serve has returned 0 and every client has
// seen it stop, fails t if r's writer dropped a row.
func stopUnderLoad(t *testing.T, r *server.Router, stop context.CancelFunc, exit <-chan int, clients, n int, getGoing time.Duration, ask func(c, i int) bool) {
	t.Helper()
	var (
		wg       sync.WaitGroup
		once     sync.Once
		answered atomic.Int64
	)
	enough := make(chan struct{})
	for c := range clients {
		wg.Go(func() {
			for i := 0; ask(c, i); i++ {
				if answered.Add(1) >= int64(n) {
					once.Do(func() { close(enough) })
				}
			}
		})
	}
	select {
	case <-enough:
	case <-time.After(getGoing):
		t.Fatal("the load did not get going")
	}
	stop() // what SIGTERM does
	wg.Wait()
	wantCleanExit(t, exit, 30*time.Second)
	if r.Writer.Dropped() != 0 {
		t.Errorf("the writer dropped %d rows", r.Writer.Dropped())
	}
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestConfigCheckReportsEveryMistake(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/switchyard.yaml"
	yaml := "providers:\n  openai:\n    kind: opnai\n    api_key: k\ndeployments:\n  m:\n    provider: missing\n    prise: {input: 1}\n"
	if err := writeFile(path, yaml); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"config", "check", path}, &out, &errOut); code != 1 {
		t.Fatalf("exit %d, want 1; %s", code, errOut.String())
	}
	for _, want := range []string{"providers.openai.kind", "deployments.m.provider", "prise", ":3:"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, errOut.String())
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"frobnicate"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "unknown command") {
		t.Fatalf("code %d: %s", code, errOut.String())
	}
}

func TestClassifyCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"classify", "Write a Go function that reverses a slice."}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "code") {
		t.Errorf("output lacks the category: %s", out.String())
	}
}

func TestTuneGC(t *testing.T) {
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)
	t.Setenv("GOGC", "")
	tuneGC()
	if got := debug.SetGCPercent(100); got != defaultGCPercent {
		t.Errorf("GOGC unset: GC percent %d, want %d", got, defaultGCPercent)
	}
	t.Setenv("GOGC", "150")
	tuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC=150 in the environment: tuneGC changed the GC percent to %d", got)
	}
}

// With server.admin_listen, serve puts /metrics on the admin listener and
// answers 404 for it on the API listener; the banner says where it is.
func TestServeAdminListener(t *testing.T) {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	cfg := demo.Config(simAddr, "")
	listen := func() net.Listener {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return ln
	}
	ls := server.Listeners{API: listen(), Admin: listen()}
	cfg.Server.AdminListen = ls.Admin.Addr().String()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := server.NewRouter(cfg, server.RouterOptions{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	exit := make(chan int, 1)
	var out syncBuffer
	go func() { exit <- serve(ctx, nil, r, ls, cfg, serveMode{}, log, &out, io.Discard) }()
	for _, tt := range []struct {
		ln     net.Listener
		status int
	}{{ls.API, 404}, {ls.Admin, 200}} {
		resp, err := http.Get("http://" + tt.ln.Addr().String() + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("/metrics on %s: %d, want %d", tt.ln.Addr(), resp.StatusCode, tt.status)
		}
	}
	stop()
	wantCleanExit(t, exit, 15*time.Second)
	if want := "only on http://" + ls.Admin.Addr().String() + ", open to clients on this host only"; !strings.Contains(out.String(), want) {
		t.Errorf("banner lacks %q:\n%s", want, out.String())
	}
}
