package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/demo"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/sqlite"
)

// apiCall is one kind of request the mixed load sends: a path, a body,
// and what ends a whole streamed answer.
type apiCall struct {
	name, path, body, end string
}

// apiCalls are the requests of every API, complete and streamed, and
// malformed ones (400s) of each, and failed ones (5xx).
var apiCalls = []apiCall{
	{"chat", "/v1/chat/completions", `{"model":"auto","messages":[{"role":"user","content":"Tell me about rivers"}]}`, ""},
	{"chat stream", "/v1/chat/completions", `{"model":"auto","stream":true,"messages":[{"role":"user","content":"Tell me about rivers"}]}`, "data: [DONE]"},
	{"responses", "/v1/responses", `{"model":"auto","input":"Tell me about rivers"}`, ""},
	{"responses stream", "/v1/responses", `{"model":"auto","stream":true,"input":"Tell me about rivers"}`, "event: response.completed"},
	{"messages", "/v1/messages", `{"model":"auto","max_tokens":200,"messages":[{"role":"user","content":"Tell me about rivers"}]}`, ""},
	{"messages stream", "/v1/messages", `{"model":"auto","max_tokens":200,"stream":true,"messages":[{"role":"user","content":"Tell me about rivers"}]}`, "event: message_stop"},
	{"chat malformed", "/v1/chat/completions", `{"model":"auto","messages":`, ""},
	{"responses malformed", "/v1/responses", `{"model":"auto"}`, ""},
	{"messages malformed", "/v1/messages", `{"model":"auto","messages":[]`, ""},
	// The code agent route's only deployment is down (a fault the load
	// adds): a 5xx.
	{"chat failed", "/v1/chat/completions", `{"model":"` + demo.CodeAgentRoute + `","messages":[{"role":"user","content":"Fix the bug"}]}`, ""},
	{"messages stream failed", "/v1/messages", `{"model":"` + demo.CodeAgentRoute + `","max_tokens":200,"stream":true,"messages":[{"role":"user","content":"Fix the bug"}]}`, ""},
}

// answered is a request that got an answer: its id, kind and status.
type answered struct {
	id, kind string
	status   int
}

// SIGTERM under a load of every API (chat, responses, messages; complete,
// streamed, malformed and failed) loses no row and no rating: once serve returns,
// every request that was answered (2xx, 4xx or 5xx, its body read whole) has
// its row, every rating answered 204 has its feedback row, and no goroutine
// is left behind.
func TestServeSIGTERMUnderMixedLoadLosesNothing(t *testing.T) {
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
			got, rated := mixedLoadUntilStopped(t, st, 9, 450)
			ctx := context.Background()
			kinds := map[string]int{}
			for _, a := range got {
				kinds[fmt.Sprintf("%s %d", a.kind, a.status)]++
				if _, err := st.Get(ctx, store.AllTenants(), a.id); err != nil {
					t.Errorf("%s answered %d (%s) has no row after serve returned: %v", a.kind, a.status, a.id, err)
				}
			}
			for _, id := range rated {
				p, err := st.ListFeedback(ctx, store.AllTenants(), store.FeedbackFilter{RequestID: id, Kind: store.KindExplicit})
				if err != nil || len(p.Feedback) != 1 {
					t.Errorf("the rating of %s was answered 204 but is not stored: %v %v", id, p.Feedback, err)
				}
			}
			if len(rated) == 0 || len(kinds) < len(apiCalls) {
				t.Errorf("the load did not reach every kind or rate: %v, %d ratings", kinds, len(rated))
			}
			t.Logf("%d answers (%v), %d ratings", len(got), kinds, len(rated))
		})
	}
}

// mixedLoadUntilStopped serves the demo router recording to st; clients
// send every kind of request in turn, and rate each third whole answer,
// until the router stops, which it is told to (as SIGTERM does) once n
// requests were answered. It returns, once serve has returned, the
// requests answered and the ids of the ratings answered 204.
func mixedLoadUntilStopped(t *testing.T, st store.Store, clients, n int) ([]answered, []string) {
	before := goleak.IgnoreCurrent() // the store's own goroutines aside
	simAddr, simulators, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	simStopped := false
	defer func() {
		if !simStopped {
			stopSim()
		}
	}()
	simulators.Faults.Add(sim.Fault{Kind: sim.FaultUnavailable, Model: "gpt-5.3-codex"})
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

	base := "http://" + ln.Addr().String()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	var (
		mu    sync.Mutex
		got   []answered
		rated []string
	)
	stopUnderLoad(t, r, stop, exit, clients, n, 60*time.Second, func(c, i int) bool {
		call := apiCalls[(c+i)%len(apiCalls)]
		a, whole, ok := askAPI(tr, base, call)
		if !ok {
			return false // the router stopped
		}
		rate := whole && a.status == http.StatusOK && i%3 == 0 && rateAnswer(tr, base, a.id)
		mu.Lock()
		got = append(got, a)
		if rate {
			rated = append(rated, a.id)
		}
		mu.Unlock()
		return true
	})
	tr.CloseIdleConnections()
	stopSim()
	simStopped = true
	goleak.VerifyNone(t, before) // nothing of the router, its writers or the simulators outlived serve
	return got, rated
}

// askAPI sends call and reports the answer (its request id and status),
// whether it is whole (a stream's end marker read), and whether an answer
// came at all, its body read to the end.
func askAPI(tr http.RoundTripper, base string, call apiCall) (answered, bool, bool) {
	req, err := http.NewRequest(http.MethodPost, base+call.path, strings.NewReader(call.body))
	if err != nil {
		return answered{}, false, false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return answered{}, false, false
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	a := answered{id: resp.Header.Get("x-switchyard-request-id"), kind: call.name, status: resp.StatusCode}
	if err != nil || a.id == "" {
		return answered{}, false, false
	}
	return a, call.end == "" || strings.Contains(string(b), call.end), true
}

// rateAnswer rates request id and reports whether the rating was answered
// 204.
func rateAnswer(tr http.RoundTripper, base, id string) bool {
	req, err := http.NewRequest(http.MethodPost, base+"/v1/feedback", strings.NewReader(`{"request_id":"`+id+`","thumbs":"up"}`))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode == http.StatusNoContent
}
