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
	"testing"
	"time"

	"switchyard/demo"
	"switchyard/server"
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
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := server.NewRouter(cfg, server.RouterOptions{Demo: true, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	exit := make(chan int, 1)
	go func() { exit <- serve(ctx, r, ln, cfg, true, log, io.Discard, io.Discard) }()

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
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("exit code %d", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting connections after shutdown")
	}
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
