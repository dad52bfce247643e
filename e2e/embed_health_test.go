package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/health"
	"switchyard/sim"
)

// embedOnce asks model for the embedding of one text through openai-go
// and returns the deployment that answered.
func embedOnce(t *testing.T, e *env, model string) string {
	t.Helper()
	var head http.Header
	resp, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{Model: model,
		Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("a river in spring")}}, headersInto(&head))
	if err != nil || len(resp.Data) != 1 {
		t.Fatalf("embeddings of %s: %v", model, err)
	}
	return head.Get("x-switchyard-deployment")
}

// An embeddings attempt feeds its deployment's health as a chat attempt
// does: an answer is counted with its latency, failures open the
// breaker, and a deployment whose breaker is open is not called.
func TestEmbeddingsFeedHealth(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Resilience.Health.ConsecutiveFailures = 3 })
	if dep := embedOnce(t, e, "embed"); dep != "text-embedding-3-small" {
		t.Fatalf("served by %q", dep)
	}
	if h := windowOf(e, "text-embedding-3-small"); h.Requests != 1 || h.Failures != 0 || h.LatencyP50 <= 0 {
		t.Errorf("after an answer: %d requests, %d failures, latency p50 %v; want one counted with its latency", h.Requests, h.Failures, h.LatencyP50)
	}
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultServerError, Model: "text-embedding-3-small"})
	for range 3 {
		if dep := embedOnce(t, e, "embed"); dep != "gemini-embedding-001" {
			t.Fatalf("served by %q, want the fallback", dep)
		}
	}
	if h := windowOf(e, "text-embedding-3-small"); h.Breaker != health.Open || h.Failures != 3 {
		t.Fatalf("after three 500s: breaker %s, %d failures; want it open", h.Breaker, h.Failures)
	}
	calls := e.Sim.Faults.Seen("text-embedding-3-small")
	if dep := embedOnce(t, e, "embed"); dep != "gemini-embedding-001" {
		t.Errorf("served by %q, want the fallback", dep)
	}
	if got := e.Sim.Faults.Seen("text-embedding-3-small"); got != calls {
		t.Errorf("the open breaker's deployment was called again (%d calls, then %d)", calls, got)
	}
}

// Without a provider timeout, a stalled embeddings upstream is
// abandoned at the deployment's first-token timeout, as a chat attempt
// is, and the route's next deployment answers.
func TestEmbeddingsFirstTokenTimeout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultSlow, Model: "text-embedding-3-small", Delay: 5 * time.Second})
	start := time.Now()
	dep := embedOnce(t, e, "embed")
	took := time.Since(start)
	if dep != "gemini-embedding-001" || took > 2*time.Second {
		t.Fatalf("served by %q after %v, want gemini-embedding-001 after the 800ms first-token timeout", dep, took)
	}
	if took < config.DefaultTierTTFTTimeout {
		t.Errorf("answered after %v, before the first-token timeout", took)
	}
	checkTimedOutThenFallback(t, e.recorded(t, 1)[0].Trail, "text-embedding-3-small", "gemini-embedding-001")
}
