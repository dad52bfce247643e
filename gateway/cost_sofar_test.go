package gateway

import (
	"context"
	"encoding/json"
	"testing"

	"switchyard/cost"
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
			serveOnce(t, g, stream, "a", "r")
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

// compactionCutter answers as soFarCutter does, deployment a's stream
// being Claude's compaction of the conversation (a compaction block whole,
// its summary) then some text before the cut: its upstream said, on the
// way, the prompt's side of the answer and that it compacted, not what
// the compaction cost.
func compactionCutter() *llmtest.Provider {
	start := json.RawMessage(`{"type":"compaction","content":"","encrypted_content":"","signature":"sig"}`)
	whole := json.RawMessage(`{"type":"compaction","content":"Summary: the user is building a website with a contact form.","encrypted_content":"enc","signature":"sig"}`)
	block := func(bd llm.BlockDelta, sofar *llm.Usage) llmtest.Event {
		return llmtest.Event{Chunk: &llm.Chunk{UsageSoFar: sofar, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Output: &llm.OutputDelta{Block: &bd}}}}}}
	}
	return &llmtest.Provider{Func: func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
		if req.Model != "a" {
			return answer(req.Model)
		}
		return llmtest.Script{Events: []llmtest.Event{
			{Chunk: &llm.Chunk{Model: "a", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant}}}, UsageSoFar: &llm.Usage{PromptTokens: 40, TotalTokens: 40}}},
			block(llm.BlockDelta{Index: 0, Start: start}, &llm.Usage{PromptTokens: 40, TotalTokens: 40, Compaction: &llm.ModelUsage{}}),
			block(llm.BlockDelta{Index: 0, Delta: json.RawMessage(`{"type":"compaction_delta","content":"Summary: the user is building a website with a contact form.","encrypted_content":"enc"}`)}, nil),
			block(llm.BlockDelta{Index: 0, Whole: whole}, nil),
			{Chunk: &llm.Chunk{Model: "a", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "partial answer"}}}}},
			{Err: &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "connection reset mid-stream"}},
		}}
	}}
}

// A stream cut after Claude compacted the conversation is billed the
// compaction too, estimated (its counts come only at the end): its input
// the whole conversation as the classifier counted it (the summary read
// it all; the prompt Claude reported is the compacted one), its output
// the summary's tokens; beside the reported prompt and the text's
// estimate. Streamed and abandoned for the next deployment alike.
func TestCutAttemptBillsCompaction(t *testing.T) {
	summary := cost.SampleTokens("Summary: the user is building a website with a contact form.", 61)
	for _, stream := range []bool{true, false} {
		g, flush := recordingGateway(t, compactionCutter())
		serveOnce(t, g, stream, "a", "r")
		rec := flush()[0]
		if len(rec.Billed) == 0 || rec.Billed[0].Deployment != "a" {
			t.Fatalf("stream %v: billed %+v", stream, rec.Billed)
		}
		u := rec.Billed[0].Usage
		if c := u.Compaction; c == nil || *c != (llm.ModelUsage{PromptTokens: 12, CompletionTokens: summary}) || !u.Estimated || u.PromptTokens != 40 || u.CompletionTokens != 2 {
			t.Errorf("stream %v: usage %+v, compaction %+v; want the compaction of 12 prompt tokens and %d of summary", stream, u, c, summary)
		}
		if want := g.byName["a"].Deployment.Cost(u); rec.Billed[0].CostUSD != want || want <= g.byName["a"].Deployment.Cost(llm.Usage{PromptTokens: 40, CompletionTokens: 2}) {
			t.Errorf("stream %v: cost %v", stream, rec.Billed[0].CostUSD)
		}
	}
}
