package anthropic

import (
	"context"
	"errors"
	"io"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// TestThinkingUsage: Claude's thinking is billed inside output_tokens and
// counted in output_tokens_details.thinking_tokens; from the simulator
// the usage, complete or streamed, carries it as ReasoningTokens among
// CompletionTokens, which the cost prices at the output price (Claude
// has no reasoning price of its own): the answer without thinking costs
// the thinking's tokens less.
func TestThinkingUsage(t *testing.T) {
	f := newFixture(t, testKey)
	ask := func(budget int, stream bool) llm.Usage {
		t.Helper()
		req := chatReq("Why is the sky blue?")
		if budget > 0 {
			req.Reasoning = &llm.Reasoning{BudgetTokens: budget}
		}
		if !stream {
			resp, err := llmtest.Complete(context.Background(), f.c, req)
			if err != nil {
				t.Fatal(err)
			}
			return *resp.Usage
		}
		s, err := f.c.Stream(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var u llm.Usage
		for {
			c, err := s.Next()
			if errors.Is(err, io.EOF) {
				return u
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Usage != nil {
				u = *c.Usage
			}
		}
	}
	d := &llm.Deployment{InputPricePerM: 3, OutputPricePerM: 15}
	plain := ask(0, false)
	if plain.ReasoningTokens != 0 {
		t.Errorf("no thinking: reasoning tokens %d", plain.ReasoningTokens)
	}
	for _, stream := range []bool{false, true} {
		u := ask(4096, stream)
		if u.ReasoningTokens <= 0 || u.CompletionTokens-u.ReasoningTokens != plain.CompletionTokens {
			t.Errorf("stream %v: completion %d, reasoning %d; without thinking completion %d", stream, u.CompletionTokens, u.ReasoningTokens, plain.CompletionTokens)
		}
		if got, want := d.Cost(u)-d.Cost(plain), llm.RoundUSD(float64(u.ReasoningTokens)*15/1e6); !near(got, want) {
			t.Errorf("stream %v: the thinking costs %v, want %v", stream, got, want)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
