package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchyard/demo"
	"switchyard/drift"
)

var knowledgeURL = regexp.MustCompile(`GET (http://\S+/_sim/knowledge)`)

// routeEstimate is a candidate's estimate in POST /v1/route's answer.
type routeEstimate struct {
	Deployment string `json:"deployment"`
	Learned    struct {
		PGood    float64 `json:"p_good"`
		Outcomes float64 `json:"outcomes"`
		Text     string  `json:"text"`
	} `json:"learned"`
}

// TestServeDemoLearnsFromRatings: serve --demo has route "learned" and
// says how to teach it; the simulators know the demo workload, and ratings
// posted to /v1/feedback move the estimate POST /v1/route shows.
func TestServeDemoLearnsFromRatings(t *testing.T) {
	banner, addr, stop := startServe(t, "--demo", "--sim-latency", "0", "--quiet", "--addr", "127.0.0.1:0", "--store", filepath.Join(t.TempDir(), "demo.db"))
	defer stop()
	m := knowledgeURL.FindStringSubmatch(banner)
	if m == nil || !strings.Contains(banner, `route "learned"`) || !strings.Contains(banner, "POST /v1/feedback") {
		t.Fatalf("the banner does not say how to teach route learned:\n%s", banner)
	}
	prompt := knownChatPrompt(t, m[1], len(demo.LearnedWorkload()))
	body := `{"model":"learned","messages":[{"role":"user","content":` + jsonString(prompt) + `}]}`
	prior := estimates(t, addr, prompt)
	served := map[string]int{}
	for range 6 {
		resp := learnedPost(t, "http://"+addr+"/v1/chat/completions", body)
		id, dep := resp.Header.Get("x-switchyard-request-id"), resp.Header.Get("x-switchyard-deployment")
		served[dep]++
		if r := learnedPost(t, "http://"+addr+"/v1/feedback", `{"request_id":"`+id+`","thumbs":"down"}`); r.StatusCode != http.StatusNoContent {
			t.Fatalf("feedback: %d", r.StatusCode)
		}
	}
	// The learner publishes within 200 ms of an outcome.
	deadline := time.Now().Add(10 * time.Second)
	for dep, n := range served {
		for {
			est := estimateOf(t, addr, prompt, dep)
			if est.Learned.Outcomes == float64(n) {
				// Each thumbs down lowers p(good) from the prior; a
				// deployment that served only one or two of the requests
				// (a failover on a loaded machine) may stay above 0.5.
				if est.Learned.PGood >= prior[dep].Learned.PGood || n >= 3 && est.Learned.PGood > 0.5 || !strings.Contains(est.Learned.Text, "over") {
					t.Errorf("%s after %d thumbs down: %+v (before: %+v)", dep, n, est.Learned, prior[dep].Learned)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s's estimate never counted its %d ratings: %+v", dep, n, est.Learned)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// knownChatPrompt lists the simulators' knowledge, checks it holds the
// golden set's answers and want other entries, and returns a small-talk
// prompt of the others.
func knownChatPrompt(t *testing.T, url string, want int) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	golden := map[string]bool{}
	for _, e := range demo.GoldenEntries(drift.Starter()) {
		golden[e.Prompt] = true
	}
	var prompt string
	n, g := 0, 0
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e struct{ Prompt, Category string }
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("knowledge line %q: %v", sc.Text(), err)
		}
		if golden[e.Prompt] { // serve --demo's golden set (demo.ShowcaseYAML)
			g++
			continue
		}
		if n++; e.Category == "chat" && prompt == "" {
			prompt = e.Prompt
		}
	}
	if n != want || prompt == "" || g != len(golden) {
		t.Fatalf("the simulators know %d entries (want %d) and %d of the %d golden ones, chat prompt %q", n, want, g, len(golden), prompt)
	}
	return prompt
}

func estimateOf(t *testing.T, addr, prompt, dep string) routeEstimate {
	t.Helper()
	if c, ok := estimates(t, addr, prompt)[dep]; ok {
		return c
	}
	t.Fatalf("no candidate %s in /v1/route", dep)
	return routeEstimate{}
}

// estimates returns what POST /v1/route says of each candidate of route
// learned for prompt.
func estimates(t *testing.T, addr, prompt string) map[string]routeEstimate {
	t.Helper()
	resp := learnedPost(t, "http://"+addr+"/v1/route", `{"model":"learned","messages":[{"role":"user","content":`+jsonString(prompt)+`}]}`)
	defer resp.Body.Close()
	var a struct {
		Tiers []struct{ Candidates []routeEstimate } `json:"tiers"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	out := map[string]routeEstimate{}
	for _, tier := range a.Tiers {
		for _, c := range tier.Candidates {
			out[c.Deployment] = c
		}
	}
	return out
}

func learnedPost(t *testing.T, url, body string) *http.Response {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
