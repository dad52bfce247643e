package e2e

import (
	"math"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/sim"
)

// A Responses API deployment whose response fails mid-answer
// (response.failed, its response carrying the usage of what it did) is
// billed that usage, complete and streamed through openai-go: the failed
// attempt's row has the upstream's own counts — the whole prompt, the
// output until the failure — not an estimate, priced at the deployment.
// Before, response.failed's usage was not read and the attempt was billed
// the classifier's count of the prompt and an estimate of the text.
func TestResponsesFailedBilledFromUsage(t *testing.T) {
	t.Parallel()
	n := len(sim.Split(answerOf(respModel)))
	for _, stream := range []bool{false, true} {
		t.Run(mode(stream), func(t *testing.T) {
			e := respFaultEnv(t)
			params := openai.ChatCompletionNewParams{Model: "ralone",
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(faultPrompt)}}
			whole, err := e.Client.Chat.Completions.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultServerError, Model: respModel, After: n / 2, Count: 1})
			o := faultClients[0].run(t, e, "ralone", stream)
			if o.requestID == "" {
				t.Fatal("no answer from the router")
			}
			rec := recordOf(t, e, o.requestID)
			if len(rec.Billed) != 1 || rec.Billed[0].Deployment != respPrimary {
				t.Fatalf("billed %+v: want the failed attempt", rec.Billed)
			}
			u := rec.Billed[0].Usage
			if u.Estimated || u.PromptTokens != int(whole.Usage.PromptTokens) || u.CompletionTokens <= 0 || u.CompletionTokens >= int(whole.Usage.CompletionTokens) {
				t.Errorf("the failed attempt's usage %+v: want the upstream's, its prompt's %d tokens and part of the %d of the whole answer",
					u, whole.Usage.PromptTokens, whole.Usage.CompletionTokens)
			}
			if price := e.Router.Gateway.Target(respPrimary).Deployment.Cost(u); math.Abs(rec.Billed[0].CostUSD-price) > 1e-12 || price <= 0 || rec.CostUSD != rec.Billed[0].CostUSD {
				t.Errorf("cost %v (total %v), want %v", rec.Billed[0].CostUSD, rec.CostUSD, price)
			}
		})
	}
}
