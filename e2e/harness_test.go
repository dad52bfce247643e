package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"go.uber.org/goleak"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/demo"
	"switchyard/record"
	"switchyard/server"
	simserver "switchyard/sim/server"
)

func TestMain(m *testing.M) {
	cost.Warm() // build the tokenizer before goleak looks, not in the background of a test
	goleak.VerifyTestMain(m,
		// Idle keep-alive connections of shared transports are not leaks.
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.Cleanup(func(int) { removeSwitchyardCLI() }),
	)
}

// env is one router in front of the demo's simulated providers.
type env struct {
	URL string
	Sim *simserver.Server
	// SimAddr is the simulators' host:port (their /_sim/ control API).
	SimAddr string
	Router  *server.Router
	Client  openai.Client

	mu      sync.Mutex
	records []record.Record
}

// newEnv starts the simulated providers (instant answers) and a router
// with the demo configuration; edit adjusts the config before it starts.
func newEnv(t *testing.T, edit func(*config.Config)) *env {
	t.Helper()
	return newEnvWith(t, edit, server.RouterOptions{})
}

// newEnvWith is newEnv with router options (a fake health clock, say).
func newEnvWith(t *testing.T, edit func(*config.Config), ro server.RouterOptions) *env {
	t.Helper()
	simAddr, sim, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	cfg := demo.Config(simAddr, "")
	if edit != nil {
		edit(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	e := &env{Sim: sim, SimAddr: simAddr}
	ro.Demo = len(cfg.Auth.Keys) == 0
	if ro.Logger == nil { // a test that reads the log passes its own logger
		ro.Logger, ro.NoRequestLog = slog.New(slog.NewTextHandler(io.Discard, nil)), true
	}
	ro.Sinks = append(ro.Sinks, record.SinkFunc(func(rec *record.Record) {
		e.mu.Lock()
		e.records = append(e.records, *rec)
		e.mu.Unlock()
	}))
	r, err := server.NewRouter(cfg, ro)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(r)
	e.URL, e.Router = ts.URL, r
	e.Client = openai.NewClient(option.WithBaseURL(ts.URL+"/v1"), option.WithAPIKey("demo-key"), option.WithMaxRetries(0))
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r.Close(ctx)
		stopSim()
	})
	return e
}

// recorded waits until n records arrived and returns them; it has the
// recorder hand the sinks the queued records at once (Sync) rather than
// wait for its interval.
func (e *env) recorded(t *testing.T, n int) []record.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		e.mu.Lock()
		got := append([]record.Record(nil), e.records...)
		e.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if err := e.Router.Recorder.Sync(ctx); err != nil {
			t.Fatalf("got %d records, want %d", len(got), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// chatDeployments are one chat deployment per simulated wire format.
var chatDeployments = []string{"gpt-4o-mini", "azure-gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}
