package gateway

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"switchyard/budget"
	"switchyard/llm"
)

// halfPrice is a deployment at half its price: a batch price.
func halfPrice(d llm.Deployment) llm.Deployment {
	d.InputPricePerM, d.OutputPricePerM = d.InputPricePerM/2, d.OutputPricePerM/2
	return d
}

// lineHold is the hold of line n of batch_1, going to any deployment, at
// half price.
func lineHold(n string) *BatchHold {
	return &BatchHold{Durable: budget.Durable{ID: "batch_1:" + n, Until: time.Now().Add(25 * time.Hour)},
		Takes: func(*Target) bool { return true }, Price: halfPrice}
}

// A forwarded line's estimate on its first choice, at the batch price,
// stays held after PlanBatchLine; RecordBatchLine settles it at the real
// cost, once however many times it is recorded (a resume after a crash
// mid-settlement); DropBatchLine releases a line's hold; a line the
// budgets cannot hold is refused with the 429.
func TestBatchLineHolds(t *testing.T) {
	g, b, flush := budgetGateway(t, upstream(nil), bothBudgets)
	ctx := callerCtx()
	tgt, plan, err := g.PlanBatchLine(ctx, hello("r"), lineHold("0"))
	if err != nil || tgt.Deployment.Name != "a" {
		t.Fatalf("planned %v, %v", tgt, err)
	}
	tokens := int64(plan.Explanation.Features.PromptTokens + plan.Explanation.Limits.ExpectedOutputTokens)
	usd, _, _ := b.Usage(context.Background(), "acme-usd", "")
	tok, _, _ := b.Usage(context.Background(), "bot-tokens", "acme/bot")
	if want := int64(math.Ceil(float64(tokens) / 2)); usd.Reserved != want || tok.Reserved != tokens {
		t.Fatalf("held %d micro-USD and %d tokens, want %d (a's $1/1M at half price) and %d", usd.Reserved, tok.Reserved, want, tokens)
	}
	if _, _, err := g.PlanBatchLine(ctx, hello("r"), lineHold("1")); err != nil {
		t.Fatal(err)
	}
	g.DropBatchLine(ctx, "r", false, "batch_1:1")
	resp := &llm.Response{Model: "a", Usage: &llm.Usage{PromptTokens: 12, CompletionTokens: 30, TotalTokens: 42}}
	for range 2 {
		g.RecordBatchLine(ctx, hello("r"), "a", "batch_1:0", halfPrice, resp, nil)
	}
	recs := flush()
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	usd, _, _ = b.Usage(context.Background(), "acme-usd", "")
	tok, _, _ = b.Usage(context.Background(), "bot-tokens", "acme/bot")
	if usd.Reserved != 0 || tok.Reserved != 0 || usd.Spent != 21 || tok.Spent != 42 {
		t.Errorf("acme-usd %+v, bot-tokens %+v; want 42 tokens at $0.5/1M charged once, nothing held", usd, tok)
	}

	g2, b2, flush2 := budgetGateway(t, upstream(nil), `  - {name: tiny, scope: tenant, match: acme, period: daily, limit_usd: 0.00001}
`)
	defer flush2()
	_, _, err = g2.PlanBatchLine(ctx, hello("r"), lineHold("2"))
	if e := llm.AsError(err); e == nil || e.HTTPStatus() != 429 || e.Code != budget.CodeBudgetExceeded {
		t.Errorf("a line past the budget: %v, want the 429", err)
	}
	if u, _, _ := b2.Usage(context.Background(), "tiny", ""); u.Reserved != 0 {
		t.Errorf("held %d after the refusal", u.Reserved)
	}
}

// A forwarded line whose answer failed after it used tokens (a Responses
// API response of status failed reports its usage) is billed that
// usage, as a live failed attempt is: the budgets charged, the record's
// usage and cost, the line's cost. Before, a failed line cost nothing.
func TestBatchLineFailedAnswerIsBilled(t *testing.T) {
	g, b, flush := budgetGateway(t, upstream(nil), bothBudgets)
	ctx := callerCtx()
	if _, _, err := g.PlanBatchLine(ctx, hello("r"), lineHold("0")); err != nil {
		t.Fatal(err)
	}
	failed := &llm.Error{Kind: llm.KindUpstream, Message: "upstream openai: server_error: An error occurred while processing your request."}
	spent := &llm.Response{Usage: &llm.Usage{PromptTokens: 12, CompletionTokens: 30, TotalTokens: 42}}
	served := g.RecordBatchLine(ctx, hello("r"), "a", "batch_1:0", halfPrice, spent, failed)
	recs := flush()
	if len(recs) != 1 || recs[0].Usage.TotalTokens != 42 || recs[0].ErrorKind != llm.KindUpstream || recs[0].CostUSD != 21e-6 || len(recs[0].Billed) != 1 || recs[0].Billed[0].Served {
		t.Fatalf("records %+v", recs)
	}
	usd, _, _ := b.Usage(context.Background(), "acme-usd", "")
	tok, _, _ := b.Usage(context.Background(), "bot-tokens", "acme/bot")
	if usd.Reserved != 0 || tok.Reserved != 0 || usd.Spent != 21 || tok.Spent != 42 || served.CostUSD != 21e-6 {
		t.Errorf("acme-usd %+v, bot-tokens %+v, cost %v; want 42 tokens at $0.5/1M charged, nothing held", usd, tok, served.CostUSD)
	}
}

// A forwarded line that declares web search is held at its tokens' batch
// price and one search's fee (at the search's own price, which a batch
// does not discount), as a live request's estimate counts one search;
// its answer's searches are settled at the real count. Before, the hold
// left the fee out.
func TestBatchLineHoldsSearchFee(t *testing.T) {
	g, b, flush := budgetGateway(t, upstream(nil), bothBudgets)
	ctx := callerCtx()
	req := hello("r")
	req.Extra = map[string]json.RawMessage{"web_search_options": json.RawMessage(`{}`)}
	_, plan, err := g.PlanBatchLine(ctx, req, lineHold("0"))
	if err != nil {
		t.Fatal(err)
	}
	tokens := int64(plan.Explanation.Features.PromptTokens + plan.Explanation.Limits.ExpectedOutputTokens)
	fee := int64(llm.WebSearchUSD * 1e6)
	usd, _, _ := b.Usage(context.Background(), "acme-usd", "")
	if want := int64(math.Ceil(float64(tokens)/2)) + fee; usd.Reserved != want {
		t.Errorf("held %d micro-USD, want %d (a's $1/1M at half price, and one search's $0.01)", usd.Reserved, want)
	}
	resp := &llm.Response{Model: "a", Usage: &llm.Usage{PromptTokens: 12, CompletionTokens: 30, TotalTokens: 42, WebSearchRequests: 2}}
	g.RecordBatchLine(ctx, req, "a", "batch_1:0", halfPrice, resp, nil)
	flush()
	usd, _, _ = b.Usage(context.Background(), "acme-usd", "")
	if usd.Reserved != 0 || usd.Spent != 21+2*fee {
		t.Errorf("acme-usd %+v; want 42 tokens at $0.5/1M and two searches charged, nothing held", usd)
	}
}
