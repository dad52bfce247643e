package conformance

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/server"
	simserver "switchyard/sim/server"
	"switchyard/store/sqlite"
)

// router starts the demo's simulated providers (instant answers) and a
// router with the demo configuration in front of them. It returns the
// router's base URL and the simulators' host:port.
func router(t *testing.T) (routerURL, simAddr string) {
	t.Helper()
	routerURL, simAddr, _ = routerSim(t, nil)
	return routerURL, simAddr
}

// routerSim is router that also returns the simulators (for faults);
// edit, when not nil, adjusts the configuration first.
func routerSim(t *testing.T, edit func(*config.Config)) (routerURL, simAddr string, sims *simserver.Server) {
	t.Helper()
	simAddr, sims, stopSim, err := demo.StartSim(0)
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
	// A store, for the Files and Batch APIs.
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "switchyard.db"))
	if err != nil {
		t.Fatal(err)
	}
	ro := server.RouterOptions{Demo: true, NoRequestLog: true, Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r, err := server.NewRouter(cfg, ro)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(r)
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r.Close(ctx)
		stopSim()
		st.Close()
	})
	return ts.URL, simAddr, sims
}

// call sends a request with a JSON body (none when body is "") and the
// given headers, and returns the status and the body.
func call(t *testing.T, method, url, body string, hdr ...string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, b
}

// event is one server-sent event: its name (empty when the stream sends
// none) and its data.
type event struct {
	name string
	data []byte
}

// sse splits a text/event-stream body into its events.
func sse(t *testing.T, body []byte) []event {
	t.Helper()
	var out []event
	var cur event
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.data != nil || cur.name != "" {
				out = append(out, cur)
			}
			cur = event{}
		case strings.HasPrefix(line, "event:"):
			cur.name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			d := strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ")
			if cur.data != nil {
				cur.data = append(cur.data, '\n')
			}
			cur.data = append(cur.data, d...)
		}
	}
	if cur.data != nil {
		out = append(out, cur)
	}
	if len(out) == 0 {
		t.Fatalf("no server-sent events in %.500s", body)
	}
	return out
}

// callOK is call for a request that must succeed: any status but 200
// fails the test, naming what was asked.
func callOK(t *testing.T, what, method, url, body string, hdr ...string) []byte {
	t.Helper()
	st, b := call(t, method, url, body, hdr...)
	if st != http.StatusOK {
		t.Fatalf("%s: status %d: %s", what, st, b)
	}
	return b
}
