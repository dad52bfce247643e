package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
)

// TestNodeStreamAbort runs node/abort.test.mjs: the npm openai package
// leaves three streams mid-answer (a stream helper's abort(), an
// AbortController on a raw stream and on the Responses stream helper)
// while the upstream stalls for an hour. Each is recorded as canceled —
// the client left, not a failed stream — and the router closes each
// upstream request: none is still open after the script.
func TestNodeStreamAbort(t *testing.T) {
	t.Parallel()
	node := nodeOrSkip(t, "openai")
	var open atomic.Int64
	tp := &tap{}
	sims := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		open.Add(1)
		defer open.Add(-1)
		tp.forward(w, r)
	}))
	t.Cleanup(sims.Close)
	e := newEnv(t, func(c *config.Config) {
		for _, p := range c.Providers {
			u, err := url.Parse(p.BaseURL)
			if err != nil {
				t.Fatal(err)
			}
			tp.target, u.Host = u.Host, strings.TrimPrefix(sims.URL, "http://")
			p.BaseURL = u.String()
		}
	})
	const streams = 3
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultStall, Model: "gpt-4o-mini", Delay: time.Hour, After: 2, Count: streams})
	runNodeScript(t, node, "abort.test.mjs", "SWITCHYARD_URL="+e.URL+"/v1")

	for _, rec := range e.recorded(t, streams) {
		if rec.ErrorKind != llm.KindCanceled || rec.StreamFailed || rec.Deployment != "gpt-4o-mini" {
			t.Errorf("record %s %s: error kind %q, stream failed %v, deployment %q", rec.RequestID, rec.Endpoint, rec.ErrorKind, rec.StreamFailed, rec.Deployment)
		}
	}
	// A bound for a loaded machine, not a timing check: the upstream
	// would stall for an hour.
	for deadline := time.Now().Add(10 * time.Second); open.Load() > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d upstream requests still open after the client left", open.Load())
		}
	}
}
