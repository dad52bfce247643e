package e2e

import (
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// Qwen's thinking models on DashScope refuse a non-streamed request that
// would think (400 "parameter.enable_thinking must be set to false for
// non-streaming calls"; a thinking-only model "This model only support
// stream mode…"), and take the request's reasoning as enable_thinking and
// thinking_budget; on vLLM as chat_template_kwargs. These tests run
// clients through the router to the sim, which refuses and thinks as
// those hosts do (sim/openai/qwen.go).

// qwenEnv is a router with deployments (clients ask for them by name)
// qwen3-32b (thinks by default) and qwq-plus (thinks only) on a
// DashScope-like provider (the compatible-mode path, no thinking_switch
// set), and vllm-qwen3 (Qwen/Qwen3-8B) on a vLLM-like one
// (thinking_switch chat_template_kwargs), on one tapped sim.
func qwenEnv(t *testing.T) (*env, *tap) {
	t.Helper()
	tp := &tap{}
	cat := sim.NewCatalog(sim.Profile{Model: "qwen3-32b", Reasoning: true}, sim.Profile{Model: "qwq-plus", Reasoning: true},
		sim.Profile{Model: "Qwen/Qwen3-8B", Reasoning: true})
	srv := httptest.NewServer(tp.wrap(simopenai.New(cat, nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["dashscope"] = &config.Provider{Name: "dashscope", Kind: config.KindOpenAI, BaseURL: srv.URL + "/compatible-mode/v1", APIKey: "sk-sim"}
		c.Providers["vllm"] = &config.Provider{Name: "vllm", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim",
			ThinkingSwitch: config.ThinkingSwitchChatTemplate}
		for name, d := range map[string]*config.Deployment{
			"qwen3-32b":  {Provider: "dashscope", Model: "qwen3-32b"},
			"qwq-plus":   {Provider: "dashscope", Model: "qwq-plus"},
			"vllm-qwen3": {Provider: "vllm", Model: "Qwen/Qwen3-8B"},
		} {
			d.Name = name
			c.Deployments[name] = d
		}
	})
	return e, tp
}

// sentThinking returns the members of the last chat request upstream
// that carry thinking controls, as JSON text ("" where absent).
func sentThinking(t *testing.T, tp *tap) (stream, enable, budget, kwargs, effort string) {
	t.Helper()
	b := tp.lastBody(t, "/chat/completions")
	return string(b["stream"]), string(b["enable_thinking"]), string(b["thinking_budget"]), string(b["chat_template_kwargs"]), string(b["reasoning_effort"])
}

// A non-streamed and a streamed Chat Completions client, with and without
// reasoning_effort, on a Qwen deployment on DashScope: every call is
// answered (the router streams upstream), with the thinking asked for —
// by default for qwen3-32b, off at effort none — sent as enable_thinking
// and thinking_budget, never reasoning_effort.
func TestQwenDashScopeChat(t *testing.T) {
	t.Parallel()
	e, tp := qwenEnv(t)
	for _, tt := range []struct {
		name           string
		effort         shared.ReasoningEffort
		enable, budget string
		thinks         bool
	}{
		{"default", "", "", "", true},
		{"low", shared.ReasoningEffortLow, "true", "2048", true},
		{"high", shared.ReasoningEffortHigh, "true", "16384", true},
		{"none", shared.ReasoningEffortNone, "false", "", false},
	} {
		for _, stream := range []bool{false, true} {
			params := openai.ChatCompletionNewParams{Model: "qwen3-32b", ReasoningEffort: tt.effort,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")}}
			got, rc := askDeepSeek(t, e, params, stream)
			if got.Choices[0].Message.Content == "" || (rc != "") != tt.thinks {
				t.Errorf("%s stream %v: answer %q, reasoning %q", tt.name, stream, got.Choices[0].Message.Content, rc)
			}
			if tt.thinks && !strings.HasPrefix(rc, `The user asks: "Is 91 prime?".`) {
				t.Errorf("%s stream %v: reasoning %q", tt.name, stream, rc)
			}
			s, enable, budget, kwargs, effort := sentThinking(t, tp)
			if s != "true" || enable != tt.enable || budget != tt.budget || kwargs != "" || effort != "" {
				t.Errorf("%s stream %v: upstream stream %s enable_thinking %q thinking_budget %q chat_template_kwargs %q reasoning_effort %q",
					tt.name, stream, s, enable, budget, kwargs, effort)
			}
		}
	}
}

// A thinking-only model on DashScope serves a non-streamed client with
// its reasoning, and is sent no enable_thinking (it cannot be turned off).
func TestQwenThinkingOnlyUnstreamed(t *testing.T) {
	t.Parallel()
	e, tp := qwenEnv(t)
	params := openai.ChatCompletionNewParams{Model: "qwq-plus", ReasoningEffort: shared.ReasoningEffortMedium,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")}}
	got, rc := askDeepSeek(t, e, params, false)
	if got.Choices[0].Message.Content == "" || rc == "" {
		t.Errorf("answer %q, reasoning %q", got.Choices[0].Message.Content, rc)
	}
	if s, enable, budget, _, effort := sentThinking(t, tp); s != "true" || enable != "" || budget != "8192" || effort != "" {
		t.Errorf("upstream stream %s enable_thinking %q thinking_budget %q reasoning_effort %q", s, enable, budget, effort)
	}
}

// On a vLLM provider (thinking_switch chat_template_kwargs) the effort
// goes as chat_template_kwargs' enable_thinking, and none turns it off.
func TestQwenVLLMChatTemplateKwargs(t *testing.T) {
	t.Parallel()
	e, tp := qwenEnv(t)
	for _, tt := range []struct {
		effort shared.ReasoningEffort
		kwargs string
		thinks bool
	}{
		{"", "", true},
		{shared.ReasoningEffortMedium, `{"enable_thinking":true}`, true},
		{shared.ReasoningEffortNone, `{"enable_thinking":false}`, false},
	} {
		params := openai.ChatCompletionNewParams{Model: "vllm-qwen3", ReasoningEffort: tt.effort,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")}}
		_, rc := askDeepSeek(t, e, params, false)
		if (rc != "") != tt.thinks {
			t.Errorf("effort %q: reasoning %q", tt.effort, rc)
		}
		if _, enable, budget, kwargs, effort := sentThinking(t, tp); kwargs != tt.kwargs || enable != "" || budget != "" || effort != "" {
			t.Errorf("effort %q: upstream chat_template_kwargs %q enable_thinking %q thinking_budget %q reasoning_effort %q", tt.effort, kwargs, enable, budget, effort)
		}
	}
}

// An Anthropic client thinking with a budget on a Qwen deployment on
// DashScope, complete and streamed: the budget is sent as thinking_budget
// and the reasoning comes back as a thinking block before the text.
func TestQwenAnthropicThinking(t *testing.T) {
	t.Parallel()
	e, tp := qwenEnv(t)
	c := anthropicClient(e, "demo-key")
	for _, streamed := range []bool{false, true} {
		params := userMessage("qwen3-32b", "Is 91 prime?", 4096)
		params.Thinking = sdk.ThinkingConfigParamOfEnabled(3000)
		msg := anthropicAsk(t, c, params, streamed)
		if len(msg.Content) != 2 || msg.Content[0].Type != "thinking" || msg.Content[1].Type != "text" ||
			!strings.HasPrefix(msg.Content[0].Thinking, `The user asks: "Is 91 prime?".`) {
			t.Errorf("streamed %v: answer %+v", streamed, msg.Content)
		}
		if s, enable, budget, _, _ := sentThinking(t, tp); s != "true" || enable != "true" || budget != "3000" {
			t.Errorf("streamed %v: upstream stream %s enable_thinking %q thinking_budget %q", streamed, s, enable, budget)
		}
	}
	// Without thinking the model thinks by default, and the client, which
	// did not ask to see it, gets none.
	msg := anthropicAsk(t, c, userMessage("qwen3-32b", "Is 91 prime?", 4096), false)
	if len(msg.Content) != 1 || msg.Content[0].Type != "text" {
		t.Errorf("without thinking: answer %+v", msg.Content)
	}
}
