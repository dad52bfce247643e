package gateway

import (
	"context"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// soFarCutter answers as newCutter does, deployment a's stream reporting
// its usage on the way (report: as Anthropic's message_start does, the
// prompt's side, or as Gemini's fragments do, the output counted too)
// before its text is cut.
func soFarCutter(report llm.Usage) *llmtest.Provider {
	return &llmtest.Provider{Func: func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
		if req.Model != "a" {
			return answer(req.Model)
		}
		u := report
		return llmtest.Script{Events: []llmtest.Event{
			{Chunk: &llm.Chunk{Model: "a", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant}}}, UsageSoFar: &u}},
			{Chunk: &llm.Chunk{Model: "a", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "partial answer"}}}}},
			{Err: &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "connection reset mid-stream"}},
		}}
	}}
}

// An attempt cut after its upstream reported usage on the way is billed
// the upstream's numbers — its prompt side (cache reads and writes
// included) as reported, not the classifier's count; its output as
// reported when counted, else the estimate of its text, marked so — on a
// stream cut for its client and on a complete answer's attempt abandoned
// for the next deployment, the request's total the sum of its rows.
func TestCutAttemptBillsUsageSoFar(t *testing.T) {
	prompt := llm.Usage{PromptTokens: 5000, CachedPromptTokens: 3000, CacheWriteTokens: 1000, TotalTokens: 5000}
	counted := llm.Usage{PromptTokens: 5000, CompletionTokens: 40, ReasoningTokens: 30, TotalTokens: 5040}
	for _, stream := range []bool{true, false} {
		for _, report := range []llm.Usage{prompt, counted} {
			g, flush := recordingGateway(t, soFarCutter(report))
			var served llm.Served
			if stream {
				s, err := g.Stream(context.Background(), hello("a"), nil, &served)
				if err != nil {
					t.Fatal(err)
				}
				for {
					if _, err := s.Next(); err != nil {
						break
					}
				}
				s.Close()
			} else if _, err := g.Chat(context.Background(), hello("r"), nil, &served); err != nil {
				t.Fatal(err)
			}
			rec := flush()[0]
			if len(rec.Billed) == 0 || rec.Billed[0].Deployment != "a" {
				t.Fatalf("stream %v: billed %+v", stream, rec.Billed)
			}
			want := report
			if report.CompletionTokens == 0 {
				want.CompletionTokens, want.TotalTokens, want.Estimated = 2, 5002, true // "partial answer"
			}
			if u := rec.Billed[0].Usage; u != want {
				t.Errorf("stream %v: usage %+v, want %+v", stream, u, want)
			}
			if c := rec.Billed[0].CostUSD; c != g.byName["a"].Deployment.Cost(want) {
				t.Errorf("stream %v: cost %v", stream, c)
			}
			sum := 0.0
			for _, b := range rec.Billed {
				sum += b.CostUSD
			}
			if rec.CostUSD != llm.RoundUSD(sum) {
				t.Errorf("stream %v: total %v, rows %v", stream, rec.CostUSD, sum)
			}
		}
	}
}
