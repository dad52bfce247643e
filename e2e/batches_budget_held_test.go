package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
)

// A batch's lines run four at once; against a hard budget that holds
// two of their estimates, the others are refused for the holds of the
// lines beside them (429, Retry-After: 1, retryable), not for what is
// spent. The runner sends each again after the wait, so every line is
// answered, and the budget is charged what they cost. Before, each such
// line failed at once with budget_exceeded.
func TestBatchLinesRefusedForHoldsRunAgain(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		localBatches(c)
		c.Budgets = []config.Budget{{Name: "acme-daily", Scope: config.ScopeTenant, Match: respTenantA, Period: config.PeriodDaily,
			LimitUSD: 0.04, Mode: config.BudgetHard, AlertAt: config.DefaultAlertAt}} // two estimates at once ($0.015: the plan's dearest fallback)
	})
	var input strings.Builder
	for i := range 6 {
		input.WriteString(batchLine(fmt.Sprintf("l%d", i), "/v1/chat/completions",
			fmt.Sprintf(`{"model":"gpt-4o-mini","max_tokens":1000,"messages":[{"role":"user","content":"Capital of Peru, %d? [[sim:slow=300ms]]"}]}`, i)))
	}
	done := awaitBatch(t, e.Client, newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, input.String(), nil).ID,
		openai.BatchStatusCompleted, openai.BatchStatusFailed)
	if done.RequestCounts.Total != 6 || done.RequestCounts.Completed != 6 {
		t.Fatalf("counts %+v, want the 6 lines answered: %v", done.RequestCounts, fileLines(t, e.Client, done.ErrorFileID))
	}
	refused := 0
	for _, r := range e.recorded(t, 7) {
		if r.Status == 429 {
			refused++
		}
	}
	if refused == 0 {
		t.Error("no line was refused for the holds beside it: the test did not test it")
	}
	u, _, err := e.Router.Gateway.Budgets().Usage(ctxT(t), "acme-daily", "")
	if err != nil || u.Spent == 0 || u.Reserved != 0 {
		t.Errorf("budget %+v %v, want what the lines cost spent, nothing held", u, err)
	}
}
