package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/config"
	"switchyard/sim"
	simgemini "switchyard/sim/gemini"
	wire "switchyard/wire/anthropic"
)

// An Anthropic client's effort across providers: its top-level
// output_config.effort and the per-turn one of a system message (the
// later wins) reach an OpenAI reasoning model as reasoning_effort (Chat
// Completions) or reasoning.effort (the Responses API), Gemini 2.5 as a
// thinkingBudget and Gemini 3 as a thinkingLevel, each the nearest the
// model takes, and nothing is named dropped; a model with no dial
// (gpt-4o) is sent none and x-switchyard-route names it dropped. A
// Claude model that takes per-turn efforts is sent them in place, and
// the thinking it is sent is chosen for the turn's effort: between_tools
// at a turn's xhigh, which the API refuses, is left out (and named).
func TestEffortAcrossProviders(t *testing.T) {
	t.Parallel()
	var tp *tap
	gemini3 := simgemini.New(sim.NewCatalog(sim.Profile{Model: "gemini-3-pro-preview", Reasoning: true}), nil) // levels LOW and HIGH
	gem := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { tp.wrap(gemini3).ServeHTTP(w, r) }))
	t.Cleanup(gem.Close)
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Providers["gemini3"] = &config.Provider{Name: "gemini3", Kind: config.KindGemini, BaseURL: gem.URL, APIKey: "sim"}
		for name, d := range map[string]*config.Deployment{
			"gemini-3-pro":      {Provider: "gemini3", Model: "gemini-3-pro-preview"},
			"gpt-5.5-pro":       {Provider: "openai", Model: "gpt-5.5-pro"},
			"claude-sonnet-5-5": {Provider: "anthropic", Model: "claude-sonnet-5-5"},
			"claude-opus-5-5":   {Provider: "anthropic", Model: "claude-opus-5-5"},
			"gpt-5.6-terra":     {Provider: "openai", Model: "gpt-5.6-terra"},
		} {
			d.Name = name
			c.Deployments[name] = d
		}
	})
	c := anthropicClient(e, "demo-key")
	for _, tc := range []struct {
		deployment string
		top, turn  string // the top-level and the per-turn effort ("" for none)
		thinking   string // the thinking type asked ("" for none)
		path       string // of the upstream request
		sent       func(body map[string]json.RawMessage) string
		want       string
		dropped    string // what x-switchyard-route names dropped
	}{
		{"o3-mini", "high", "max", "", "/chat/completions", field("reasoning_effort"), `"high"`, ""},
		{"o3-mini", "max", "low", "", "/chat/completions", field("reasoning_effort"), `"low"`, ""},
		{"gpt-5.5-pro", "low", "", "", "/responses", field("reasoning"), `{"effort":"medium"}`, ""},
		{"gemini-2.5-pro", "high", "low", "", ":streamGenerateContent", thinkingConfig, `{"thinkingBudget":1024}`, ""},
		{"gemini-3-pro", "low", "xhigh", "", ":streamGenerateContent", thinkingConfig, `{"thinkingLevel":"HIGH"}`, ""},
		{"gemini-3-pro", "medium", "", "", ":streamGenerateContent", thinkingConfig, `{"thinkingLevel":"LOW"}`, ""},
		{"gpt-4o", "high", "", "", "/chat/completions", field("reasoning_effort"), ``, "effort"},
		{"claude-sonnet-5-5", "low", "xhigh", "between_tools", "/v1/messages", claudeEffort, `top "low", turn "xhigh", thinking ""`, "between_tools"},
		{"claude-sonnet-5-5", "xhigh", "low", "between_tools", "/v1/messages", claudeEffort, `top "xhigh", turn "low", thinking "{\"type\":\"between_tools\"}"`, ""},
		// Thinking disabled: the model's least thinking, not the effort's level.
		{"gpt-5.6-terra", "high", "", "disabled", "/chat/completions", field("reasoning_effort"), `"none"`, ""},
		{"o3-mini", "high", "", "disabled", "/chat/completions", field("reasoning_effort"), `"low"`, ""},
		{"gemini-2.5-flash", "high", "", "disabled", ":streamGenerateContent", thinkingConfig, `{"thinkingBudget":0}`, ""},
		{"gemini-2.5-pro", "xhigh", "", "disabled", ":streamGenerateContent", thinkingConfig, `{"thinkingBudget":128}`, ""},
		{"claude-opus-5-5", "high", "", "disabled", "/v1/messages", claudeEffort, `top "high", turn "", thinking ""`, "reasoning_none"}, // it cannot stop thinking
		{"claude-sonnet-5-5", "low", "", "disabled", "/v1/messages", claudeEffort, `top "low", turn "", thinking "{\"type\":\"between_tools\"}"`, ""},
	} {
		name := tc.deployment + " top " + tc.top + " turn " + tc.turn + " thinking " + tc.thinking
		params := sdk.BetaMessageNewParams{Model: sdk.Model(tc.deployment), MaxTokens: 4096, // room for low's budget (Gemini 2.5 thinks at most half of it)
			Betas:        []sdk.AnthropicBeta{wire.PerTurnControlBeta},
			OutputConfig: sdk.BetaOutputConfigParam{Effort: sdk.BetaOutputConfigEffort(tc.top)},
			Messages:     []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Why is the sky blue?"))}}
		if tc.turn != "" {
			sys := sdk.NewBetaSystemMessage(sdk.BetaSystemMessageOutputConfigParam{Effort: sdk.BetaSystemMessageOutputConfigEffort(tc.turn)})
			params.Messages = append([]sdk.BetaMessageParam{sys}, params.Messages...)
		}
		switch tc.thinking {
		case "between_tools":
			params.Thinking = sdk.BetaThinkingConfigParamUnion{OfBetweenTools: &sdk.BetaThinkingConfigBetweenToolsParam{}}
		case "disabled":
			params.Thinking = sdk.BetaThinkingConfigParamUnion{OfDisabled: &sdk.BetaThinkingConfigDisabledParam{}}
		}
		var resp *http.Response
		if _, err := c.Beta.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp)); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := tc.sent(tp.lastBody(t, tc.path)); got != tc.want {
			t.Errorf("%s: the upstream was sent %s, want %s", name, got, tc.want)
		}
		route := resp.Header.Get("x-switchyard-route")
		if !strings.Contains(route, "deployment="+tc.deployment) {
			t.Errorf("%s: served elsewhere: %q", name, route)
		}
		if got := droppedIn(route); got != tc.dropped {
			t.Errorf("%s: dropped %q, want %q (x-switchyard-route %q)", name, got, tc.dropped, route)
		}
	}
}

// field returns a reader of a body's member by name ("" when absent).
func field(name string) func(map[string]json.RawMessage) string {
	return func(body map[string]json.RawMessage) string { return string(body[name]) }
}

// thinkingConfig reads a Gemini request's generationConfig.thinkingConfig.
func thinkingConfig(body map[string]json.RawMessage) string {
	var g struct {
		ThinkingConfig json.RawMessage `json:"thinkingConfig"`
	}
	json.Unmarshal(body["generationConfig"], &g)
	return string(g.ThinkingConfig)
}

// claudeEffort reads a Messages request's top-level effort, the effort
// of its last system message that has one, and its thinking.
func claudeEffort(body map[string]json.RawMessage) string {
	var b struct {
		OutputConfig struct{ Effort string } `json:"output_config"`
		Messages     []struct {
			Role         string
			OutputConfig *struct{ Effort string } `json:"output_config"`
		}
	}
	json.Unmarshal(bodyJSON(body), &b)
	turn := ""
	for _, m := range b.Messages {
		if m.Role == "system" && m.OutputConfig != nil {
			turn = m.OutputConfig.Effort
		}
	}
	th, _ := json.Marshal(string(body["thinking"]))
	return `top "` + b.OutputConfig.Effort + `", turn "` + turn + `", thinking ` + string(th)
}

// bodyJSON encodes a decoded body back.
func bodyJSON(body map[string]json.RawMessage) []byte {
	b, _ := json.Marshal(body)
	return b
}

// droppedIn is the dropped= list of an x-switchyard-route header, "" for
// none.
func droppedIn(route string) string {
	for _, part := range strings.Split(route, "; ") {
		if d, ok := strings.CutPrefix(part, "dropped="); ok {
			return d
		}
	}
	return ""
}
