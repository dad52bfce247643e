package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/llm"
)

// loggedRequest is a row of GET /admin/requests.
type loggedRequest struct {
	Endpoint   string `json:"endpoint"`
	Route      string `json:"route"`
	Category   string `json:"category"`
	Deployment string `json:"deployment"`
	Stream     bool   `json:"stream"`
	Failed     bool   `json:"failed"`
}

// trafficSeen is what the request log and the feedback show of the
// demo's traffic.
type trafficSeen struct {
	routes, categories, kinds map[string]int
	streams, failed           int
}

// TestServeDemoTraffic: serve --demo --traffic sends, through the
// router's own /v1 API, requests of every category to several routes,
// some streamed, rates answers and continues or retries conversations, so
// that the request log and the feedback show them; it says so in the
// banner; and it stops cleanly, leaving no goroutine behind.
func TestServeDemoTraffic(t *testing.T) {
	before := goleak.IgnoreCurrent()
	banner, addr, stop := startServe(t, "--demo", "--sim-latency", "0", "--quiet", "--addr", "127.0.0.1:0",
		"--store", filepath.Join(t.TempDir(), "demo.db"), "--traffic", "50")
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	for _, want := range []string{"Traffic:     50 simulated users a second", "#/overview", "#/report", "#/learning", `route "learned"`} {
		if !strings.Contains(banner, want) {
			t.Errorf("the banner does not say %q:\n%s", want, banner)
		}
	}
	tr := &http.Transport{}
	seen := trafficSeen{}
	deadline := time.Now().Add(30 * time.Second)
	for !seen.enough() {
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s the demo's traffic shows %+v", seen)
		}
		time.Sleep(200 * time.Millisecond)
		seen = readTraffic(t, tr, addr)
	}
	tr.CloseIdleConnections()
	t.Logf("seen: %+v", seen)
	if seen.failed > 0 {
		t.Errorf("%d of the traffic's requests failed", seen.failed)
	}
	stopped = true
	if code := stop(); code != 0 {
		t.Fatalf("serve exited with %d", code)
	}
	goleak.VerifyNone(t, before)
}

// enough reports whether s shows every category, the demo's chat routes
// and embeddings, a stream, ratings and an implicit signal of a later
// request (a retry, a regeneration or a continuation).
func (s trafficSeen) enough() bool {
	for _, r := range []string{"auto", "learned", "auto-cheap", "auto-best", "embed"} {
		if s.routes[r] == 0 {
			return false
		}
	}
	for _, c := range llm.Categories {
		if s.categories[string(c)] == 0 {
			return false
		}
	}
	return s.streams > 0 && s.kinds["explicit"] > 0 && s.kinds["retry"]+s.kinds["regenerate"] > 0 && s.kinds["continued"] > 0
}

// readTraffic reads the request log and the feedback of the demo at addr.
func readTraffic(t *testing.T, tr *http.Transport, addr string) trafficSeen {
	t.Helper()
	var reqs struct{ Data []loggedRequest }
	getJSON(t, tr, "http://"+addr+"/admin/requests?limit=1000", &reqs)
	s := trafficSeen{routes: map[string]int{}, categories: map[string]int{}, kinds: map[string]int{}}
	for _, r := range reqs.Data {
		s.routes[r.Route]++
		if r.Endpoint == "chat" {
			s.categories[r.Category]++
		}
		if r.Stream {
			s.streams++
		}
		if r.Failed {
			s.failed++
		}
	}
	var fb struct{ Data []struct{ Kind string } }
	getJSON(t, tr, "http://"+addr+"/admin/feedback?limit=1000", &fb)
	for _, f := range fb.Data {
		s.kinds[f.Kind]++
	}
	return s
}

func getJSON(t *testing.T, tr *http.Transport, url string, v any) {
	t.Helper()
	resp, err := (&http.Client{Transport: tr}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", url, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// --traffic needs --demo and a rate in (0, 50]; the mistake is said
// before anything starts.
func TestServeTrafficFlag(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", "switchyard.yaml", "--traffic", "2"}, "--traffic is for --demo"},
		{[]string{"--demo", "--traffic", "51"}, "want visits a second in (0, 50]"},
		{[]string{"--demo", "--traffic", "-1"}, "want visits a second in (0, 50]"},
		{[]string{"--demo", "--traffic", "NaN"}, "want visits a second in (0, 50]"},
	} {
		var stderr strings.Builder
		if code := runServe(t.Context(), nil, tt.args, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("serve %v: exit %d, %q; want 2 and %q", tt.args, code, stderr.String(), tt.want)
		}
	}
}
