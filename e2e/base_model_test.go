package e2e

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// withAzureAlias adds an Azure resource whose deployment "reasoner-eastus"
// runs a reasoning model (the simulator refuses a temperature as o3-mini
// does), configured twice: "reasoner" says so with base_model, "opaque"
// does not. Neither has a price in the config.
func withAzureAlias(t *testing.T) func(*config.Config) {
	srv := httptest.NewServer(simopenai.NewAzure(sim.NewCatalog(sim.Profile{Model: "reasoner-eastus", Reasoning: true, MaxOutputTokens: 65536}), nil))
	t.Cleanup(srv.Close)
	return func(cfg *config.Config) {
		cfg.Providers["azure-2"] = &config.Provider{Name: "azure-2", Kind: config.KindAzure, BaseURL: srv.URL, APIKey: "sim-key"}
		cfg.Deployments["reasoner"] = &config.Deployment{Name: "reasoner", Provider: "azure-2", Model: "reasoner-eastus", BaseModel: "o3-mini"}
		cfg.Deployments["opaque"] = &config.Deployment{Name: "opaque", Provider: "azure-2", Model: "reasoner-eastus"}
	}
}

// An Azure deployment named by its owner is known by its base_model: the
// temperature o3-mini refuses is dropped (and named), reasoning_effort
// reaches it, and its cost comes from the catalog's price of o3-mini.
// Without base_model the same deployment gets the temperature and
// answers Azure's 400, its cost unknown.
func TestBaseModelOfAnAzureDeployment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withAzureAlias(t))
	for _, streamed := range []bool{false, true} {
		text, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
			Model: "reasoner", Temperature: openai.Float(0.3), ReasoningEffort: shared.ReasoningEffortHigh,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(proof)},
		}, streamed)
		if err != nil {
			t.Fatalf("streamed=%v: %v", streamed, err)
		}
		route := h.Get("x-switchyard-route")
		if text == "" || !strings.HasSuffix(route, "; dropped=temperature") {
			t.Errorf("streamed=%v: route %q, text %q", streamed, route, text)
		}
		if c := h.Get("x-switchyard-cost-usd"); !streamed && (c == "" || strings.HasPrefix(c, "0.000000")) {
			t.Errorf("cost %q, want o3-mini's catalog price applied", c)
		}
	}
	for _, rec := range e.recorded(t, 2) {
		if rec.CostUnknown || rec.CostUSD <= 0 {
			t.Errorf("record of %s: cost %v unknown=%v", rec.Deployment, rec.CostUSD, rec.CostUnknown)
		}
	}
	_, _, _, err := chatWith(t, e, openai.ChatCompletionNewParams{
		Model: "opaque", Temperature: openai.Float(0.3),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(proof)},
	}, false)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "temperature") {
		t.Errorf("opaque: %v, want Azure's 400 on the temperature", err)
	}
}
