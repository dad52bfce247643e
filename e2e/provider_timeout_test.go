package e2e

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/sim"
	simserver "switchyard/sim/server"
)

// callTimeout is the provider timeout of the deployments these tests
// slow down.
const callTimeout = 300 * time.Millisecond

// pace paces the simulator's answers: each waits wait before its
// headers, then its body goes out n bytes every interval (flushed each
// time); n of 0 sends the body at once. The bytes are the simulator's own.
type pace struct {
	wait, every time.Duration
	n           int
}

// pacedUpstream serves the simulator *s at the pace *p (both read at
// each request) and returns its URL.
func pacedUpstream(t *testing.T, s *atomic.Pointer[simserver.Server], p *atomic.Pointer[pace]) string {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		s.Load().ServeHTTP(rec, r)
		p := p.Load()
		if !sim.Sleep(r.Context(), p.wait) {
			return
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		body := rec.Body.Bytes()
		for len(body) > 0 {
			k := len(body)
			if p.n > 0 {
				k = min(p.n, k)
			}
			w.Write(body[:k])
			w.(http.Flusher).Flush()
			body = body[k:]
			if len(body) > 0 && !sim.Sleep(r.Context(), p.every) {
				return
			}
		}
	}))
	t.Cleanup(up.Close)
	return up.URL
}

// newPacedEnv is the demo with a provider "paced" (kind openai, timeout
// callTimeout) on the simulator at the pace p sets, its deployments
// paced-mini and paced-embed, and the routes "paced" (paced-mini, then
// gpt-4o-mini) and "paced-embeddings" (paced-embed, then
// text-embedding-3-small).
func newPacedEnv(t *testing.T, p *atomic.Pointer[pace]) *env {
	t.Helper()
	var s atomic.Pointer[simserver.Server]
	url := pacedUpstream(t, &s, p)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["paced"] = &config.Provider{Name: "paced", Kind: "openai", BaseURL: url + "/openai/v1", APIKey: "sim-key", Timeout: callTimeout}
		c.Deployments["paced-mini"] = &config.Deployment{Name: "paced-mini", Provider: "paced", Model: "gpt-4o-mini",
			Price: config.Price{Input: 0.15, Output: 0.6}, Capabilities: []llm.Capability{llm.CapStreaming}}
		c.Deployments["paced-embed"] = &config.Deployment{Name: "paced-embed", Provider: "paced", Model: "text-embedding-3-small",
			Price: config.Price{Input: 0.02}, Capabilities: []llm.Capability{llm.CapEmbeddings}}
		c.Routes["paced"] = &config.Route{Name: "paced", Deployments: []string{"paced-mini", "gpt-4o-mini"},
			Policy: config.Policy{Strategy: config.StrategyOrdered}, Tiers: config.Tiers{TTFTTimeout: []time.Duration{5 * time.Second}}}
		c.Routes["paced-embeddings"] = &config.Route{Name: "paced-embeddings", Deployments: []string{"paced-embed", "text-embedding-3-small"}}
	})
	s.Store(e.Sim)
	return e
}

// A provider's timeout bounds a call until its answer starts: a stream
// that flows on past it, a little at a time, is served whole.
func TestProviderTimeoutLeavesAFlowingStream(t *testing.T) {
	t.Parallel()
	var p atomic.Pointer[pace]
	p.Store(&pace{n: 48, every: 15 * time.Millisecond})
	e := newPacedEnv(t, &p)
	prompt := "Write a few sentences about the rivers of Europe."

	start := time.Now()
	var head http.Header
	st := e.Client.Chat.Completions.NewStreaming(ctxT(t), userChat("paced", prompt), headersInto(&head))
	var acc openai.ChatCompletionAccumulator
	for st.Next() {
		acc.AddChunk(st.Current())
	}
	took := time.Since(start)
	if err := st.Err(); err != nil {
		t.Fatalf("stream after %v: %v", took, err)
	}
	if took <= callTimeout {
		t.Fatalf("the stream took %v, not past the %v timeout: the test proves nothing", took, callTimeout)
	}
	if dep := head.Get("x-switchyard-deployment"); dep != "paced-mini" {
		t.Errorf("served by %q, want paced-mini", dep)
	}
	if len(acc.Choices) != 1 || acc.Choices[0].FinishReason != "stop" || acc.Choices[0].Message.Content == "" {
		t.Errorf("stream not whole: %+v", acc.Choices)
	}
	if r := e.recorded(t, 1)[0]; len(r.Trail) != 1 || r.Trail[0].Outcome != "ok" {
		t.Errorf("record trail %+v, want one ok attempt", r.Trail)
	}

}

// A provider's timeout bounds a stream's headers: headers later than it
// fail over to the route's next deployment.
func TestProviderTimeoutBoundsAStreamsHeaders(t *testing.T) {
	t.Parallel()
	var p atomic.Pointer[pace]
	p.Store(&pace{wait: 2 * callTimeout})
	e := newPacedEnv(t, &p)
	var head http.Header
	start := time.Now()
	st := e.Client.Chat.Completions.NewStreaming(ctxT(t), userChat("paced", "Name three rivers."), headersInto(&head))
	for st.Next() {
	}
	took := time.Since(start)
	if err := st.Err(); err != nil {
		t.Fatalf("late headers: %v", err)
	}
	if dep := head.Get("x-switchyard-deployment"); dep != "gpt-4o-mini" || took > 2*time.Second {
		t.Errorf("late headers: served by %q after %v, want gpt-4o-mini within 2s", dep, took)
	}
	checkTimedOutThenFallback(t, e.recorded(t, 1)[0].Trail, "paced-mini", "gpt-4o-mini")
}

// checkTimedOutThenFallback asserts a trail of timeouts on slow (the
// first attempt and its retries) then fallback's answer.
func checkTimedOutThenFallback(t *testing.T, trail []record.Attempt, slow, fallback string) {
	t.Helper()
	n := len(trail)
	if n < 2 || trail[n-1].Deployment != fallback || trail[n-1].Outcome != "ok" {
		t.Fatalf("trail %+v, want timeouts on %s then %s's answer", trail, slow, fallback)
	}
	for _, a := range trail[:n-1] {
		if a.Deployment != slow || a.Outcome != "timeout" || a.ErrorKind != llm.KindTimeout {
			t.Errorf("attempt %+v, want a timeout on %s", a, slow)
		}
	}
}

// A non-streamed answer (embeddings) is bounded whole: a body that drips
// on past the provider's timeout fails over.
func TestProviderTimeoutBoundsAWholeBody(t *testing.T) {
	t.Parallel()
	var p atomic.Pointer[pace]
	p.Store(&pace{n: 64, every: 20 * time.Millisecond})
	e := newPacedEnv(t, &p)
	texts := []string{"a river", "a mountain", "a lake", "a sea"}
	var head http.Header
	start := time.Now()
	resp, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{Model: "paced-embeddings",
		Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: texts}}, headersInto(&head))
	took := time.Since(start)
	if err != nil {
		t.Fatalf("after %v: %v", took, err)
	}
	if dep := head.Get("x-switchyard-deployment"); dep != "text-embedding-3-small" || len(resp.Data) != len(texts) {
		t.Errorf("served by %q (%d vectors), want the fallback text-embedding-3-small", dep, len(resp.Data))
	}
	if took > 2*time.Second {
		t.Errorf("answered after %v: the dripping body was not cut at its %v timeout", took, callTimeout)
	}
	checkTimedOutThenFallback(t, e.recorded(t, 1)[0].Trail, "paced-embed", "text-embedding-3-small")
}

// headersInto keeps the response's headers in *h.
func headersInto(h *http.Header) option.RequestOption {
	return option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		resp, err := next(r)
		if resp != nil {
			*h = resp.Header
		}
		return resp, err
	})
}
