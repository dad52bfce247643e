package e2e

import (
	"net/http"
	"testing"

	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
)

// A Gemini 2.x web search (Grounding with Google Search) is priced at
// Google's list price per grounded prompt, $35 per 1,000, on top of the
// tokens, in x-switchyard-cost-usd; a deployment's price.web_search
// overrides it (0: the free allowance covers it).
func TestGeminiWebSearchCost(t *testing.T) {
	t.Parallel()
	e, _ := newTapEnv(t, nil)
	var hr *http.Response
	resp, err := e.Client.Responses.New(ctxT(t), webSearchParams("gemini-2.5-flash", "What is new in Paris today?"), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	tokens := (float64(resp.Usage.InputTokens)*0.30 + float64(resp.Usage.OutputTokens)*2.50) / 1e6
	wantCost(t, hr, tokens+0.035)

	free := 0.0
	e, _ = newTapEnv(t, func(c *config.Config) { c.Deployments["gemini-2.5-flash"].Price.WebSearch = &free })
	resp, err = e.Client.Responses.New(ctxT(t), webSearchParams("gemini-2.5-flash", "What is new in Paris today?"), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	wantCost(t, hr, (float64(resp.Usage.InputTokens)*0.30+float64(resp.Usage.OutputTokens)*2.50)/1e6)
}
