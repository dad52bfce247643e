package main

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

var loadSummary = regexp.MustCompile(`(\d+) visits: (\d+) requests answered \((\d+) streamed, (\d+) embeddings\), (\d+) ratings, \d+ follow-ups, \d+ retries; (\d+) failed`)

// switchyard load teaches the simulators the workload, sends its visits
// to the routes named for the time given, says what it did, and leaves
// no goroutine behind; the router's log holds its requests.
func TestLoadCommand(t *testing.T) {
	before := goleak.IgnoreCurrent()
	banner, addr, stop := startServe(t, "--demo", "--sim-latency", "0", "--quiet", "--addr", "127.0.0.1:0", "--store", filepath.Join(t.TempDir(), "demo.db"))
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	m := knowledgeURL.FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("no knowledge URL in the banner:\n%s", banner)
	}
	simRoot := strings.TrimSuffix(m[1], "/openai/_sim/knowledge")
	var out, errs strings.Builder
	code := runLoad(context.Background(), []string{"--url", "http://" + addr, "--sim", simRoot, "--rate", "50", "--duration", "2s",
		"--routes", "auto,learned=2", "--embed", "embed", "--questions", "140"}, &out, &errs)
	if code != 0 {
		t.Fatalf("load exited with %d:\n%s%s", code, out.String(), errs.String())
	}
	t.Log(out.String())
	s := loadSummary.FindStringSubmatch(out.String())
	if !strings.Contains(out.String(), "Taught the simulators at "+simRoot+" the answers of 140 questions") || s == nil {
		t.Fatalf("load's output:\n%s", out.String())
	}
	if s[1] == "0" || s[2] == "0" || s[3] == "0" || s[4] == "0" || s[5] == "0" || s[6] != "0" {
		t.Errorf("visits %s, requests %s, streamed %s, embeddings %s, ratings %s, failed %s", s[1], s[2], s[3], s[4], s[5], s[6])
	}
	knownChatPrompt(t, m[1], 140) // the first 70 are the demo's own
	tr := &http.Transport{}
	seen := readTraffic(t, tr, addr)
	tr.CloseIdleConnections()
	if seen.routes["auto"] == 0 || seen.routes["learned"] == 0 || seen.routes["embed"] == 0 || seen.routes["auto-best"] > 0 {
		t.Errorf("the request log's routes: %v", seen.routes)
	}
	stopped = true
	if code := stop(); code != 0 {
		t.Fatalf("serve exited with %d", code)
	}
	goleak.VerifyNone(t, before)
}

func TestLoadFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--rate", "0"}, "rate 0 is not in (0, 50]"},
		{[]string{"--routes", "auto=x"}, `weight "x" of "auto" is not a number`},
		{[]string{"--routes", "auto=-1"}, "positive weight"},
		{[]string{"--duration", "-1s"}, "--duration must not be negative"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		var out, errs strings.Builder
		if code := runLoad(context.Background(), tt.args, &out, &errs); code != 2 || !strings.Contains(errs.String(), tt.want) {
			t.Errorf("load %v: exit %d, %q; want 2 and %q", tt.args, code, errs.String(), tt.want)
		}
	}
}
