package gateway

import (
	"context"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// A request asking for priority processing, on a deployment that is sent
// the tier, is reserved at the priority price (here the standard price
// times cost.priority_multiplier, 2.5): reserved at the standard price, a
// hard budget could be overrun by the premium of every such request in
// flight. A default request, and one whose deployment is not sent the
// tier, are reserved at the standard price.
func TestPriorityRequestReservedAtItsPrice(t *testing.T) {
	reserved := func(t *testing.T, base string, tier llm.ServiceTier) int64 {
		t.Helper()
		req := hello("r")
		req.ServiceTier = tier
		return reservedWhileServing(t, base, req)
	}
	sent := strings.Replace(recConfig, `base_url: "http://127.0.0.1:1/v1"}`, `base_url: "http://127.0.0.1:1/v1", service_tier: send}`, 1)
	if sent == recConfig {
		t.Fatal("the test's configuration changed shape")
	}
	standard := reserved(t, sent, llm.TierDefault)
	if standard == 0 {
		t.Fatal("nothing reserved")
	}
	if got := reserved(t, sent, llm.TierPriority); got != standard*5/2 {
		t.Errorf("a priority request reserved %d micro-USD, want %d (2.5 times the standard %d)", got, standard*5/2, standard)
	}
	if got := reserved(t, sent, llm.TierFast); got != standard*5/2 {
		t.Errorf("a fast (priority) request reserved %d micro-USD, want %d", got, standard*5/2)
	}
	if got := reserved(t, recConfig, llm.TierPriority); got != standard {
		t.Errorf("a priority request to a deployment not sent the tier reserved %d, want the standard %d", got, standard)
	}
	if got := reserved(t, sent, llm.TierFlex); got != standard {
		t.Errorf("a flex request reserved %d, want the standard %d (it may be served at the standard tier)", got, standard)
	}
}

// reservedWhileServing runs req through a gateway of configuration base
// under both budgets and returns what the acme-usd budget holds reserved
// while the upstream is serving it, in micro-USD.
func reservedWhileServing(t *testing.T, base string, req *llm.Request) int64 {
	t.Helper()
	entered, release := make(chan struct{}, 1), make(chan struct{})
	p := &llmtest.Provider{Func: func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
		entered <- struct{}{}
		<-release
		return llmtest.Script{Events: llmtest.Chunks(&llm.Chunk{Model: req.Model, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant, Content: "ok"}, FinishReason: llm.FinishStop}}})}
	}}
	g, b, flush := budgetGatewayOn(t, p, base, bothBudgets)
	defer flush()
	done := make(chan error, 1)
	go func() { _, err := g.Chat(callerCtx(), req, nil, new(llm.Served)); done <- err }()
	<-entered
	u, _, _ := b.Usage(context.Background(), "acme-usd", "")
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return u.Reserved
}
