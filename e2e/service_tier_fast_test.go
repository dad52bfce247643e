package e2e

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// A GPT-6 model's answer names fast mode "fast" (GPT-5.6 and earlier
// say "priority"): the answer is priced at the priority price all the
// same, not at the standard one. An ultrafast request (the Responses
// API's tier: Chat Completions does not take it) goes to the Responses
// API of a deployment whose model is not Responses-only (api auto), and
// is priced at 6x the standard price (cost.ultrafast_multiplier), not at
// the priority price.
func TestServiceTierFastNamedByGPT6(t *testing.T) {
	t.Parallel()
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "gpt-6-astra"}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["openai-astra"] = &config.Provider{Name: "openai-astra", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1",
			APIKey: "sk-sim", ServiceTier: config.ServiceTierSend}
		c.Deployments["gpt-6-astra"] = &config.Deployment{Name: "gpt-6-astra", Provider: "openai-astra", Model: "gpt-6-astra"}
		c.Routes["astra"] = &config.Route{Name: "astra", Deployments: []string{"gpt-6-astra"}}
	})
	astra := llm.Deployment{InputPricePerM: 10, OutputPricePerM: 50, CachedInputPricePerM: 1}
	at := func(u llm.Usage, m float64) float64 {
		d := astra
		d.InputPricePerM, d.OutputPricePerM, d.CachedInputPricePerM = d.InputPricePerM*m, d.OutputPricePerM*m, d.CachedInputPricePerM*m
		u.ServiceTier = ""
		return d.Cost(u)
	}

	var hr *http.Response
	resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "astra",
		ServiceTier: openai.ChatCompletionNewParamsServiceTierPriority,
		Messages:    []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there")}}, option.WithResponseInto(&hr))
	if err != nil {
		var apiErr *openai.Error
		if errors.As(err, &apiErr) {
			t.Fatal(apiErr.RawJSON())
		}
		t.Fatal(err)
	}
	if resp.ServiceTier != openai.ChatCompletionServiceTierFast {
		t.Errorf("served tier %q, want fast", resp.ServiceTier)
	}
	r := recordOf(t, e, hr.Header.Get("x-switchyard-request-id"))
	if want := at(r.Usage, 2.5); r.CostUSD != want || r.TierPrice != "multiplier" || r.Usage.ServiceTier != llm.TierFast {
		t.Errorf("fast: cost %v (priced by %q, tier %q), want %v, the priority price", r.CostUSD, r.TierPrice, r.Usage.ServiceTier, want)
	}

	rr, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "astra",
		ServiceTier: responses.ResponseNewParamsServiceTierUltrafast,
		Input:       responses.ResponseNewParamsInputUnion{OfString: openai.String("Hi there")}}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if rr.ServiceTier != responses.ResponseServiceTierUltrafast {
		t.Errorf("served tier %q, want ultrafast", rr.ServiceTier)
	}
	r = recordOf(t, e, hr.Header.Get("x-switchyard-request-id"))
	if want := at(r.Usage, 6); r.CostUSD != want || r.TierPrice != "multiplier" {
		t.Errorf("ultrafast: cost %v (priced by %q), want %v, 6x the standard price", r.CostUSD, r.TierPrice, want)
	}
	n := 0
	for _, rq := range tp.requests() {
		if strings.HasSuffix(rq.path, "/v1/responses") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d calls to the Responses API, want the ultrafast one (Chat Completions does not take the tier)", n)
	}
}
