package e2e

import (
	"net/http"
	"net/http/httptest"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// declaredEnv is a router before an OpenAI-compatible host serving two
// reasoning models whose ids the router does not know, each taking its
// own levels alone (the sim refuses the others with OpenAI's 400), and
// deployments declaring those levels (reasoning_efforts): "mini" takes
// minimal to high, "deep" medium to xhigh, "deep-resp" is deep on the
// Responses API; and an Azure resource whose deployments' names say
// nothing of their models, "o9-mini" and "o9" declaring mini's and
// deep's levels.
func declaredEnv(t *testing.T) (*env, *tap) {
	t.Helper()
	mini := []llm.Effort{llm.EffortMinimal, llm.EffortLow, llm.EffortMedium, llm.EffortHigh}
	deep := []llm.Effort{llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh}
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(
		sim.Profile{Model: "acme-mini-r", Reasoning: true, Efforts: mini},
		sim.Profile{Model: "acme-deep-r", Reasoning: true, Efforts: deep}), nil)))
	t.Cleanup(srv.Close)
	az := httptest.NewServer(tp.wrap(simopenai.NewAzure(sim.NewCatalog(
		sim.Profile{Model: "o9-mini-eastus", Reasoning: true, Efforts: mini},
		sim.Profile{Model: "o9-eastus", Reasoning: true, Efforts: deep}), nil)))
	t.Cleanup(az.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["acme"] = &config.Provider{Name: "acme", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Providers["az"] = &config.Provider{Name: "az", Kind: config.KindAzure, BaseURL: az.URL, APIKey: "sim-key"}
		for name, d := range map[string]*config.Deployment{
			"mini":      {Provider: "acme", Model: "acme-mini-r", ReasoningEfforts: []llm.Effort{llm.EffortHigh, llm.EffortMinimal, llm.EffortMedium, llm.EffortLow}},
			"deep":      {Provider: "acme", Model: "acme-deep-r", ReasoningEfforts: deep},
			"deep-resp": {Provider: "acme", Model: "acme-deep-r", ReasoningEfforts: deep, API: config.APIResponses},
			"o9-mini":   {Provider: "az", Model: "o9-mini-eastus", ReasoningEfforts: mini},
			"o9":        {Provider: "az", Model: "o9-eastus", ReasoningEfforts: deep},
		} {
			d.Name, d.Capabilities = name, []llm.Capability{llm.CapStreaming}
			c.Deployments[name] = d
		}
	})
	return e, tp
}

// A deployment that declares its model's reasoning efforts is sent, for
// an openai-go client's level, the nearest it declares, not the nearest
// of low, medium and high that an unknown id gets: none and minimal go as
// minimal, xhigh as xhigh where declared, low as medium where the weakest
// is medium (the host would refuse low), on Chat Completions, streamed
// or not, and on the Responses API; x-switchyard-route names
// reasoning_effort dropped exactly when the level changed. Declaring
// the levels says the model reasons: no capability reasoning is listed.
func TestEffortDeclaredLevels(t *testing.T) {
	t.Parallel()
	e, tp := declaredEnv(t)
	for _, tc := range []struct {
		deployment string
		asked      shared.ReasoningEffort
		streamed   bool
		want       string
		dropped    string
	}{
		{"mini", shared.ReasoningEffortNone, false, `"minimal"`, "reasoning_effort"},
		{"mini", shared.ReasoningEffortMinimal, true, `"minimal"`, ""},
		{"mini", shared.ReasoningEffortXhigh, false, `"high"`, "reasoning_effort"},
		{"deep", shared.ReasoningEffortLow, false, `"medium"`, "reasoning_effort"},
		{"deep", shared.ReasoningEffortXhigh, true, `"xhigh"`, ""},
		{"deep", shared.ReasoningEffortMax, false, `"xhigh"`, "reasoning_effort"},
		{"deep-resp", shared.ReasoningEffortMinimal, false, `{"effort":"medium"}`, "reasoning_effort"},
		{"deep-resp", shared.ReasoningEffortXhigh, true, `{"effort":"xhigh"}`, ""},
	} {
		name := tc.deployment + " " + string(tc.asked)
		text, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
			Model: tc.deployment, ReasoningEffort: tc.asked,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")},
		}, tc.streamed)
		if err != nil {
			t.Errorf("%s streamed=%v: %v", name, tc.streamed, err)
			continue
		}
		path, member := "/chat/completions", "reasoning_effort"
		if tc.deployment == "deep-resp" {
			path, member = "/responses", "reasoning"
		}
		if got := string(tp.lastBody(t, path)[member]); got != tc.want {
			t.Errorf("%s streamed=%v: upstream %s %s, want %s", name, tc.streamed, member, got, tc.want)
		}
		route := h.Get("x-switchyard-route")
		if text == "" || droppedIn(route) != tc.dropped {
			t.Errorf("%s streamed=%v: route %q (want dropped %q), text %q", name, tc.streamed, route, tc.dropped, text)
		}
	}
}

// An anthropic-sdk-go client's output_config.effort reaches an Azure
// deployment that declares its model's levels (its name says nothing of
// the model) as the nearest declared reasoning_effort, and nothing is
// named dropped (the effort dial maps it, as on a Claude model); thinking
// disabled is sent the weakest declared.
func TestEffortDeclaredLevelsAnthropicClient(t *testing.T) {
	t.Parallel()
	e, tp := declaredEnv(t)
	c := anthropicClient(e, "demo-key")
	for _, tc := range []struct {
		deployment, effort string
		disabled           bool
		want               string
	}{
		{"o9", "low", false, `"medium"`},
		{"o9", "xhigh", false, `"xhigh"`},
		{"o9", "max", false, `"xhigh"`},
		{"o9-mini", "high", true, `"minimal"`},
	} {
		name := tc.deployment + " " + tc.effort
		params := sdk.BetaMessageNewParams{Model: sdk.Model(tc.deployment), MaxTokens: 1024,
			OutputConfig: sdk.BetaOutputConfigParam{Effort: sdk.BetaOutputConfigEffort(tc.effort)},
			Messages:     []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Why is the sky blue?"))}}
		if tc.disabled {
			params.Thinking = sdk.BetaThinkingConfigParamUnion{OfDisabled: &sdk.BetaThinkingConfigDisabledParam{}}
		}
		var resp *http.Response
		if _, err := c.Beta.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp)); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := string(tp.lastBody(t, "/chat/completions")["reasoning_effort"]); got != tc.want {
			t.Errorf("%s: upstream reasoning_effort %s, want %s", name, got, tc.want)
		}
		if route := resp.Header.Get("x-switchyard-route"); droppedIn(route) != "" {
			t.Errorf("%s: x-switchyard-route %q names something dropped", name, route)
		}
	}
}
