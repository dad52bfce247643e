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
// own levels alone (the sim refuses the others with OpenAI's 400) and,
// as vLLM does, max_tokens and sampling (sim.HostCompat), and
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
		sim.Profile{Model: "acme-mini-r", Reasoning: true, Efforts: mini, Host: sim.HostCompat},
		sim.Profile{Model: "acme-deep-r", Reasoning: true, Efforts: deep, Host: sim.HostCompat}), nil)))
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

// An anthropic-sdk-go client's output_config.effort reaches a deployment
// that declares its model's levels as the nearest declared
// reasoning_effort, and nothing is named dropped (the effort dial maps
// it, as on a Claude model); thinking disabled is sent the weakest
// declared. On the compatible host ("mini", "deep") the client's
// max_tokens goes as max_tokens, which vLLM takes; on Azure (whose
// deployments' names, "o9-mini" and "o9", say nothing of the model) as
// max_completion_tokens.
func TestEffortDeclaredLevelsAnthropicClient(t *testing.T) {
	t.Parallel()
	e, tp := declaredEnv(t)
	c := anthropicClient(e, "demo-key")
	for _, tc := range []struct {
		deployment, effort string
		disabled           bool
		want, limit        string
	}{
		{"o9", "low", false, `"medium"`, "max_completion_tokens"},
		{"o9", "xhigh", false, `"xhigh"`, "max_completion_tokens"},
		{"o9", "max", false, `"xhigh"`, "max_completion_tokens"},
		{"o9-mini", "high", true, `"minimal"`, "max_completion_tokens"},
		{"mini", "low", false, `"low"`, "max_tokens"},
		{"mini", "max", false, `"high"`, "max_tokens"},
		{"deep", "low", false, `"medium"`, "max_tokens"},
		{"deep", "xhigh", false, `"xhigh"`, "max_tokens"},
		{"mini", "high", true, `"minimal"`, "max_tokens"},
	} {
		name := tc.deployment + " " + tc.effort
		params := sdk.BetaMessageNewParams{Model: sdk.Model(tc.deployment), MaxTokens: 1024,
			OutputConfig: sdk.BetaOutputConfigParam{Effort: sdk.BetaOutputConfigEffort(tc.effort)},
			Messages:     []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Why is the sky blue?"))}}
		if tc.disabled {
			params.Thinking = sdk.BetaThinkingConfigParamUnion{OfDisabled: &sdk.BetaThinkingConfigDisabledParam{}}
		}
		var resp *http.Response
		msg, err := c.Beta.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		body := tp.lastBody(t, "/chat/completions")
		if got := string(body["reasoning_effort"]); got != tc.want {
			t.Errorf("%s: upstream reasoning_effort %s, want %s", name, got, tc.want)
		}
		other := map[string]string{"max_tokens": "max_completion_tokens", "max_completion_tokens": "max_tokens"}[tc.limit]
		if got := string(body[tc.limit]); got != "1024" || body[other] != nil {
			t.Errorf("%s: upstream %s %s and %s %s, want %s 1024 alone", name, tc.limit, got, other, body[other], tc.limit)
		}
		if route := resp.Header.Get("x-switchyard-route"); droppedIn(route) != "" || len(msg.Content) == 0 {
			t.Errorf("%s: x-switchyard-route %q names something dropped, content %+v", name, route, msg.Content)
		}
	}
}
