package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/demo"
	"switchyard/server"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// downStore is a request store whose writes fail while down is set.
type downStore struct {
	store.Store
	down atomic.Bool
}

var errDown = errors.New("database is down")

func (s *downStore) Write(ctx context.Context, rows []*store.Request) error {
	if s.down.Load() {
		return errDown
	}
	return s.Store.Write(ctx, rows)
}

// SIGTERM with the database down: serve stops within its shutdown
// timeout (the writer's retries end with it), exits 0, says how many
// rows it could not write, which the writer counts as dropped, and leaves
// no goroutine behind.
func TestServeSIGTERMWithTheDatabaseDownSaysWhatWasLost(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "switchyard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ds := &downStore{Store: st}
	before := goleak.IgnoreCurrent() // the store's own goroutines aside
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	simStopped := false
	defer func() {
		if !simStopped {
			stopSim()
		}
	}()
	cfg := demo.Config(simAddr, "")
	cfg.Server.ShutdownTimeout = time.Second // the flush gets 5 s, the least
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	r, err := server.NewRouter(cfg, server.RouterOptions{Demo: true, Logger: log, NoRequestLog: true, Store: ds})
	if err != nil {
		t.Fatal(err)
	}
	ln, stop, exit := serveInBackground(t, r, cfg, log)
	defer stop()
	ds.down.Store(true)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	const n = 12
	for i := range n {
		if _, ok := askWhole(tr, "http://"+ln.Addr().String()+"/v1/chat/completions", i%2 == 0); !ok {
			t.Fatalf("request %d was not answered with the database down", i)
		}
	}
	start := time.Now()
	stop() // what SIGTERM does
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit code %d", code)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop with the database down")
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("serve took %v to stop; its flush has 5 s", took)
	}
	if got := r.Writer.Dropped(); got != n {
		t.Errorf("the writer counted %d rows dropped, want %d", got, n)
	}
	tr.CloseIdleConnections()
	stopSim()
	simStopped = true
	goleak.VerifyNone(t, before) // the writer's retries ended with serve
	out := logs.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`msg="store: shutdown: rows not written by its deadline are dropped" dropped=12 `),
		regexp.MustCompile(`msg="the shutdown did not finish cleanly" err="store: close: 12 rows not written[^"]*" records_dropped=0 rows_dropped=12`),
		regexp.MustCompile(`msg="stopped; some request records were lost"`),
	} {
		if !want.MatchString(out) {
			t.Errorf("the log does not say %q:\n%s", want, out)
		}
	}
	// Only the request log could not be written: nothing else reports a
	// failure because the writer's retries took the whole deadline.
	if strings.Contains(out, "audit: close") || strings.Contains(out, "queue or the outage buffer is full") {
		t.Errorf("the log blames what did not fail:\n%s", out)
	}
}
