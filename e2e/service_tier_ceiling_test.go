package e2e

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// The caller's cost ceiling compares the estimate at the tier the request
// is served on. On the demo's gpt-4o-mini (sent the tier; priority at
// OpenAI's listed price, 5/3 of its standard price; flex at half) a
// request of max_tokens 10000 is estimated at about $0.006 standard,
// $0.010 priority and $0.003 flex:
// a $0.009 ceiling lets the standard request through and refuses the
// priority one (422, naming the tier), and a $0.005 ceiling refuses the
// standard request and lets the flex one through, whose x-switchyard-route
// says it was priced at flex.
func TestServiceTierCostCeilingOpenAISDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ask := func(tier openai.ChatCompletionNewParamsServiceTier, ceiling string) (*http.Response, error) {
		var hr *http.Response
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-4o-mini", ServiceTier: tier,
			MaxTokens: openai.Int(10000), Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there")}},
			option.WithHeader("x-switchyard-max-cost-usd", ceiling), option.WithResponseInto(&hr))
		return hr, err
	}
	refused := func(name string, err error, want ...string) {
		t.Helper()
		var oe *openai.Error
		if !errors.As(err, &oe) || oe.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %v, want a 422", name, err)
		}
		for _, w := range want {
			if !strings.Contains(oe.Message, w) {
				t.Errorf("%s: message %q lacks %q", name, oe.Message, w)
			}
		}
	}
	if _, err := ask("", "0.009"); err != nil {
		t.Fatalf("standard under $0.009: %v", err)
	}
	_, err := ask(openai.ChatCompletionNewParamsServiceTierPriority, "0.009")
	refused("priority under $0.009", err, "at the priority tier exceeds x-switchyard-max-cost-usd $0.009")
	_, err = ask(openai.ChatCompletionNewParamsServiceTierFast, "0.009")
	refused("fast under $0.009", err, "at the priority tier")
	_, err = ask(openai.ChatCompletionNewParamsServiceTierDefault, "0.005")
	refused("default under $0.005", err, "exceeds x-switchyard-max-cost-usd $0.005")
	hr, err := ask(openai.ChatCompletionNewParamsServiceTierFlex, "0.005")
	if err != nil {
		t.Fatalf("flex under $0.005: %v", err)
	}
	if h := hr.Header.Get("x-switchyard-route"); !strings.Contains(h, "deployment=gpt-4o-mini; service_tier=flex") {
		t.Errorf("flex: x-switchyard-route %q does not name the tier priced", h)
	}

	// The dry run's plan shows each candidate's tier and its estimate there.
	resp, body := post(t, e.URL+"/v1/route", "demo-key",
		[]byte(`{"model":"gpt-4o-mini","service_tier":"priority","max_tokens":10000,"messages":[{"role":"user","content":"Hi there"}]}`))
	var plan struct {
		Tiers []struct {
			Candidates []struct {
				Deployment  string   `json:"deployment"`
				EstCostUSD  float64  `json:"est_cost_usd"`
				ServiceTier string   `json:"service_tier"`
				TierCostUSD *float64 `json:"tier_cost_usd"`
			} `json:"candidates"`
		} `json:"tiers"`
	}
	if err := json.Unmarshal(body, &plan); err != nil || resp.StatusCode != http.StatusOK || len(plan.Tiers) == 0 {
		t.Fatalf("POST /v1/route: %d %v: %s", resp.StatusCode, err, body)
	}
	c := plan.Tiers[0].Candidates[0]
	if c.Deployment != "gpt-4o-mini" || c.ServiceTier != "priority" || c.TierCostUSD == nil || math.Abs(*c.TierCostUSD-5*c.EstCostUSD/3) > 2e-8 {
		t.Errorf("POST /v1/route: first candidate %+v, want gpt-4o-mini at priority, 5/3 of its standard estimate", c)
	}
}
