package gateway

import (
	"context"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// A hard budget reserves a request whose prompt is over its candidates'
// long-prompt threshold at the band's prices: with the classifier's 12
// prompt tokens, bands above 11 tokens at three times the standard
// prices reserve three times what bands above 12 do (12 prompt tokens
// and the chat category's 200 expected out on b, the dearer: 424
// micro-USD at $2 / $2, 1,272 at $6 / $6).
func TestLongPromptReservedAtTheBand(t *testing.T) {
	reserved := func(t *testing.T, above string) int64 {
		t.Helper()
		entered, release := make(chan struct{}, 1), make(chan struct{})
		p := &llmtest.Provider{Func: func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
			entered <- struct{}{}
			<-release
			return llmtest.Script{Events: llmtest.Chunks(&llm.Chunk{Model: req.Model, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant, Content: "ok"}, FinishReason: llm.FinishStop}}})}
		}}
		base := strings.NewReplacer(
			"price: {input: 1, output: 1}", "price: {input: 1, output: 1, long_prompt: {above_tokens: "+above+", input: 3, output: 3}}",
			"price: {input: 2, output: 2}", "price: {input: 2, output: 2, long_prompt: {above_tokens: "+above+", input: 6, output: 6}}",
		).Replace(recConfig)
		if !strings.Contains(base, "above_tokens: "+above+", input: 6") {
			t.Fatal("the test's configuration changed shape")
		}
		g, b, flush := budgetGatewayOn(t, p, base, bothBudgets)
		defer flush()
		done := make(chan error, 1)
		go func() { _, err := g.Chat(callerCtx(), hello("r"), nil, new(llm.Served)); done <- err }()
		<-entered
		u, _, _ := b.Usage(context.Background(), "acme-usd", "")
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		return u.Reserved
	}
	if got := reserved(t, "12"); got != 424 {
		t.Errorf("12 prompt tokens, bands above 12: reserved %d micro-USD, want 424 (the standard prices)", got)
	}
	if got := reserved(t, "11"); got != 1272 {
		t.Errorf("12 prompt tokens, bands above 11: reserved %d micro-USD, want 1272 (the bands' prices)", got)
	}
}
