package server

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/demo"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/record"
	"switchyard/sim"
)

// collect is a record sink that keeps every record.
type collect struct {
	mu   sync.Mutex
	recs []record.Record
}

func (c *collect) Consume(r *record.Record) {
	c.mu.Lock()
	c.recs = append(c.recs, *r)
	c.mu.Unlock()
}

func (c *collect) all() []record.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]record.Record(nil), c.recs...)
}

// streamOutcome is what one client of a cut stream saw after its first
// event.
type streamOutcome struct {
	rest string
	err  error
}

// drainRig is a demo router running against the simulators, for the
// drain tests: cancel is what SIGTERM does, runErr gets Run's result.
type drainRig struct {
	r      *Router
	sink   *collect
	client *http.Client
	url    string
	cancel context.CancelFunc
	runErr chan error
}

// startDrainRig starts the simulators with fault (if any) and a demo
// router recording into a collect sink, whose drain lasts drain.
func startDrainRig(t *testing.T, fault *sim.Fault, drain time.Duration) *drainRig {
	t.Helper()
	simAddr, simSrv, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopSim)
	if fault != nil {
		simSrv.Faults.Add(*fault)
	}
	cfg := demo.Config(simAddr, "")
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	g := &drainRig{sink: &collect{}, runErr: make(chan error, 1)}
	g.r, err = NewRouter(cfg, RouterOptions{Demo: true, Logger: slog.New(slog.DiscardHandler), Sinks: []record.Sink{g.sink}})
	if err != nil {
		t.Fatal(err)
	}
	ln, c, url := listen(t)
	g.client, g.url = c, url
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	g.cancel = cancel
	go func() { g.runErr <- g.r.Run(ctx, ln, drain) }()
	return g
}

// Streams still running at the drain deadline are cut: each client gets an
// error event saying the server is shutting down (and no [DONE]) before a
// clean end of its connection, each stream is recorded exactly once as a
// stream failure with status 503, and Run reports the drain as not clean.
// The scenario is repeated to catch races between the cut, the handlers
// and the record flush.
func TestShutdownCutsStreams(t *testing.T) {
	const streams, rounds = 8, 4
	for round := range rounds {
		recs, outcomes, runErr := shutdownRound(t, streams)
		if !errors.Is(runErr, ErrDrainTimeout) {
			t.Fatalf("round %d: Run = %v, want ErrDrainTimeout", round, runErr)
		}
		if len(recs) != streams {
			t.Fatalf("round %d: %d records for %d streams: %+v", round, len(recs), streams, recs)
		}
		ids := map[string]bool{}
		for _, r := range recs {
			if r.Status != 503 || !r.StreamFailed || r.ErrorKind != llm.KindUnavailable || ids[r.RequestID] {
				t.Errorf("round %d: record %s: status %d, stream failed %v, kind %q (duplicate: %v)", round, r.RequestID, r.Status, r.StreamFailed, r.ErrorKind, ids[r.RequestID])
			}
			ids[r.RequestID] = true
		}
		for i, o := range outcomes {
			if o.err != nil || !strings.Contains(o.rest, `"code":"`+gateway.CodeShuttingDown+`"`) || strings.Contains(o.rest, "[DONE]") {
				t.Errorf("round %d: client %d read %q, %v; want the shutdown error event, then a clean end", round, i, o.rest, o.err)
			}
		}
	}
}

// shutdownRound starts n streams that stall after their first chunk,
// shuts the router down with a short drain, and returns the records, what
// each client read after its first event, and Run's error.
func shutdownRound(t *testing.T, n int) ([]record.Record, []streamOutcome, error) {
	t.Helper()
	g := startDrainRig(t, &sim.Fault{Kind: sim.FaultStall, Delay: time.Minute}, 50*time.Millisecond)
	r, sink, c, url := g.r, g.sink, g.client, g.url

	started := make(chan struct{}, n)
	outcomes := make([]streamOutcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := `{"model":"claude-haiku-4-5","stream":true,"messages":[{"role":"user","content":"Tell me about rivers"}]}`
			resp, err := c.Post(url+"/v1/chat/completions", "application/json", strings.NewReader(body))
			if err != nil {
				outcomes[i].err = err
				started <- struct{}{}
				return
			}
			defer resp.Body.Close()
			rd := bufio.NewReader(resp.Body)
			_, err = rd.ReadString('\n') // the first event: the stream is committed
			started <- struct{}{}
			if err != nil {
				outcomes[i].err = err
				return
			}
			rest, err := io.ReadAll(rd)
			outcomes[i] = streamOutcome{string(rest), err}
		}()
	}
	for range n {
		receive(t, "a stream to start", started)
	}
	g.cancel() // what SIGTERM does
	err := receive(t, "Run to return", g.runErr)
	wg.Wait()
	fctx, fcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer fcancel()
	if cerr := r.Close(fctx); cerr != nil {
		t.Fatalf("records not flushed: %v", cerr)
	}
	return sink.all(), outcomes, err
}

// A complete (non-streamed) request still waiting on its upstream at the
// drain deadline is answered 503 server_shutting_down and recorded so.
func TestShutdownCutsCompleteRequests(t *testing.T) {
	g := startDrainRig(t, &sim.Fault{Kind: sim.FaultSlow, Delay: time.Minute}, 20*time.Millisecond)
	r, sink, c, url := g.r, g.sink, g.client, g.url
	res := make(chan result, 1)
	go func() {
		body := `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"hi"}]}`
		resp, err := c.Post(url+"/v1/chat/completions", "application/json", strings.NewReader(body))
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		res <- result{resp.StatusCode, string(b), err}
	}()
	llmtest.WaitFor(t, "the request to be in flight", func() bool { return r.inflight.count() == 1 })
	g.cancel()
	got := receive(t, "the cut response", res)
	if got.err != nil || got.code != 503 || !strings.Contains(got.body, `"code":"`+gateway.CodeShuttingDown+`"`) {
		t.Fatalf("cut request: %d %q %v", got.code, got.body, got.err)
	}
	if err := receive(t, "Run to return", g.runErr); !errors.Is(err, ErrDrainTimeout) {
		t.Fatalf("Run = %v", err)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if recs := sink.all(); len(recs) != 1 || recs[0].Status != 503 || recs[0].StreamFailed || recs[0].ErrorKind != llm.KindUnavailable {
		t.Fatalf("records %+v", recs)
	}
}
