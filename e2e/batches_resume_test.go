package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/server"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
)

// A batch survives its router: killed mid-run (SIGKILL: nothing more
// written), its lease ends and another router sharing the store resumes
// it, running only the lines not yet done; shut down, the router
// releases its lease and a router started on the same store resumes it
// at once. Either way, every custom_id is in the output once, and the
// lines done before keep the answer they had.

// slowBatchInput is n chat lines that each take a while.
func slowBatchInput(n int, slow string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(chatLine(fmt.Sprint("line-", i), "gpt-4o-mini", fmt.Sprintf("Say %d. [[sim:slow=%s]]", i, slow)))
	}
	return b.String()
}

// doneLines returns the request id of each line of the batch id kept so
// far, by custom_id, read from the store.
func doneLines(t *testing.T, st store.Store, id string) map[string]string {
	t.Helper()
	lines, err := st.(store.BatchLog).BatchLines(context.Background(), respTenantA, id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range lines {
		cid, rid := jsonField(l.Data, "custom_id"), ""
		if m := fileLineResponse(l.Data); m != nil {
			rid, _ = m["request_id"].(string)
		}
		out[cid] = rid
	}
	return out
}

// awaitProgress polls the batch id until at least n lines are done.
func awaitProgress(t *testing.T, c openai.Client, id string, n int64) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		b, err := c.Batches.Get(ctxT(t), id)
		if err == nil && b.RequestCounts.Completed >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("batch %s: fewer than %d lines done after 15 s (%v, %v)", id, n, b, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkResumed checks that the finished batch's output holds each of
// the n lines once, those of before with their request id.
func checkResumed(t *testing.T, c openai.Client, b *openai.Batch, n int, before map[string]string) {
	t.Helper()
	if b.RequestCounts.Total != int64(n) || b.RequestCounts.Completed != int64(n) || b.RequestCounts.Failed != 0 {
		t.Fatalf("resumed batch = %s", b.RawJSON())
	}
	out := fileLines(t, c, b.OutputFileID)
	if len(out) != n {
		t.Errorf("output holds %d lines, want %d", len(out), n)
	}
	for cid, rid := range before {
		if _, _, got := lineBody(out[cid]); got != rid {
			t.Errorf("line %s ran again: request %s, before the restart %s", cid, got, rid)
		}
	}
}

// batchYAML is the demo's configuration on PostgreSQL at dsn, with tenant
// A's key, batches one line at a time on the router, leased 3s.
func batchYAML(simAddr, dsn string) string {
	return regexp.MustCompile(`(?m)^batches: .*$`).ReplaceAllString(leaseYAML(simAddr, dsn), `batches: {lease: 3s, concurrency: 1, forward: "off"}`)
}

func TestBatchResumedAfterRouterKilled(t *testing.T) {
	t.Parallel()
	dsn := pgtest.FreshSchema(t)
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	url, proc := serveProcess(t, batchYAML(simAddr, dsn))
	killed := openai.NewClient(option.WithBaseURL(url), option.WithAPIKey(respKeyA), option.WithMaxRetries(0))
	const n = 12
	created := newBatch(t, killed, openai.BatchNewParamsEndpointV1ChatCompletions, slowBatchInput(n, "100ms"), nil)
	awaitProgress(t, killed, created.ID, 3)
	if err := proc.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	proc.Wait()
	pg, err := postgres.Open(context.Background(), dsn)
	st := closing(t, pg, err)
	before := doneLines(t, st, created.ID)
	if len(before) < 3 || len(before) >= n {
		t.Fatalf("%d lines kept before the kill, want some", len(before))
	}
	other := bgEnv(t, st, 3*time.Second, func(c *config.Config) { localBatches(c); c.Batches.Lease, c.Batches.Concurrency = 3*time.Second, 1 })
	done := awaitBatch(t, other.Client, created.ID, openai.BatchStatusCompleted)
	checkResumed(t, other.Client, done, n, before)
}

func TestBatchResumedAfterRestart(t *testing.T) {
	t.Parallel()
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	st := storeBackends[0].open(t)
	start := func() (*server.Router, *httptest.Server, openai.Client) {
		r, ts := startBatchRouter(t, simAddr, st)
		return r, ts, openai.NewClient(option.WithBaseURL(ts.URL+"/v1"), option.WithAPIKey(respKeyA), option.WithMaxRetries(0))
	}
	r, ts, c := start()
	const n = 12
	created := newBatch(t, c, openai.BatchNewParamsEndpointV1ChatCompletions, slowBatchInput(n, "100ms"), nil)
	awaitProgress(t, c, created.ID, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ts.Close()
	if err := r.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	before := doneLines(t, st, created.ID)
	if b, err := st.(store.BatchLog).GetBatch(ctx, store.AllTenants(), created.ID, time.Now()); err != nil || b.Status != store.BatchInProgress {
		t.Fatalf("after the shutdown the batch is %+v, %v; want in progress", b, err)
	}
	restarted := time.Now()
	r2, ts2, c2 := start()
	defer func() { ts2.Close(); r2.Close(ctx) }()
	done := awaitBatch(t, c2, created.ID, openai.BatchStatusCompleted)
	checkResumed(t, c2, done, n, before)
	// Resumed at once (its lease released), not after a lease of 30 s.
	if took := time.Since(restarted); took > 10*time.Second {
		t.Errorf("the batch took %v to finish after the restart", took)
	}
}

// fileLineResponse is the response object of an output line's JSON.
func fileLineResponse(data []byte) map[string]any {
	var m map[string]any
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	r, _ := m["response"].(map[string]any)
	return r
}

// startBatchRouter starts a router of the demo's configuration in front
// of the simulators at simAddr, recording to st, with tenant A's key and
// one batch request at a time; the restart tests start it twice.
func startBatchRouter(t *testing.T, simAddr string, st store.Store) (*server.Router, *httptest.Server) {
	t.Helper()
	cfg := demo.Config(simAddr, "")
	cfg.Auth.Keys = []config.Key{{Key: respKeyA, Name: "acme-app", Tenant: respTenantA}}
	cfg.Batches.Concurrency = 1
	localBatches(cfg)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := server.NewRouter(cfg, server.RouterOptions{Store: st, Logger: slog.New(slog.DiscardHandler), NoRequestLog: true})
	if err != nil {
		t.Fatal(err)
	}
	return r, httptest.NewServer(r)
}
