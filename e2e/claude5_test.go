package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
)

// The Claude 5 generation refuses request shapes earlier models took
// (thinking disabled, sampling fields, a forced tool choice): the router
// picked the model, so it adapts what it sends and says what it left out.

// newClaude5Env is a router whose deployments claude-opus-5-5 and
// claude-sonnet-5-5 are served by the simulator, which refuses per model
// as the API does; every upstream request is tapped.
func newClaude5Env(t *testing.T) (*env, *tap) {
	return newTapEnv(t, func(c *config.Config) {
		for _, m := range []string{"claude-opus-5-5", "claude-sonnet-5-5"} {
			c.Deployments[m] = &config.Deployment{Name: m, Provider: "anthropic", Model: m}
		}
		c.Routes["agents"] = &config.Route{Name: "agents", Deployments: []string{"claude-opus-5-5", "claude-sonnet-4-5"},
			Policy: config.Policy{Strategy: config.StrategyOrdered}}
	})
}

// TestClaude5OpenAIClient: an OpenAI client's request with temperature, a
// forced tool choice and reasoning_effort none, answered by Claude Opus
// 5.5, succeeds: auto is sent and the call asked for, no sampling field,
// effort low (thinking cannot be off), and each left-out control is named.
func TestClaude5OpenAIClient(t *testing.T) {
	t.Parallel()
	e, tp := newClaude5Env(t)
	weather := openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{Name: "get_weather",
		Parameters: shared.FunctionParameters{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}}})
	var resp *http.Response
	out, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
		Model: "claude-opus-5-5", Temperature: openai.Float(0.2), ReasoningEffort: shared.ReasoningEffortNone,
		Tools:      []openai.ChatCompletionToolUnionParam{weather},
		ToolChoice: openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String("required")},
		Messages:   []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the weather in Paris?")},
	}, option.WithMaxRetries(0), option.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Choices) != 1 {
		t.Fatalf("choices %+v", out.Choices)
	}
	body := tp.lastBody(t, "/v1/messages")
	if string(body["tool_choice"]) != `{"type":"auto"}` || body["temperature"] != nil || body["thinking"] != nil || string(body["output_config"]) != `{"effort":"low"}` {
		t.Errorf("sent tool_choice %s, temperature %s, thinking %s, output_config %s", body["tool_choice"], body["temperature"], body["thinking"], body["output_config"])
	}
	if !strings.Contains(string(body["system"]), "calling one of the available tools") {
		t.Errorf("system %s: want the call asked for", body["system"])
	}
	route := resp.Header.Get("x-switchyard-route")
	if !strings.Contains(route, "dropped=tool_choice,reasoning_none,temperature") {
		t.Errorf("x-switchyard-route %q: want tool_choice, reasoning_none and temperature dropped", route)
	}
}

// TestClaude5BetweenTools: an Anthropic client's thinking between_tools
// (a 400 from the router before) reaches Claude Sonnet 5.5 as sent; on
// Opus 5.5, which has it not and cannot stop thinking, it is left out
// and named; thinking disabled reaches Sonnet 5.5 as between_tools.
func TestClaude5BetweenTools(t *testing.T) {
	t.Parallel()
	e, tp := newClaude5Env(t)
	c := anthropicClient(e, "demo-key")
	between := sdk.ThinkingConfigParamUnion{OfBetweenTools: &sdk.ThinkingConfigBetweenToolsParam{}}
	for _, step := range []struct {
		model, thinking, dropped string
		th                       sdk.ThinkingConfigParamUnion
	}{
		{"claude-sonnet-5-5", `{"type":"between_tools"}`, "", between},
		{"claude-opus-5-5", "", "between_tools", between},
	} {
		params := userMessage(step.model, "Why is the sky blue?", 1000)
		params.Thinking = step.th
		var resp *http.Response
		msg, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("%s: %v", step.model, err)
		}
		if len(msg.Content) == 0 {
			t.Fatalf("%s: empty answer", step.model)
		}
		got := string(tp.lastBody(t, "/v1/messages")["thinking"])
		route := resp.Header.Get("x-switchyard-route")
		if got != step.thinking || step.dropped != "" && !strings.Contains(route, "dropped="+step.dropped) || step.dropped == "" && strings.Contains(route, "dropped=") {
			t.Errorf("%s: thinking sent %s, x-switchyard-route %q", step.model, got, route)
		}
	}
	// The SDK has no temperature field any more (today's models refuse
	// it); an older client's request still carries one.
	params := userMessage("claude-sonnet-5-5", "Why is the sky blue?", 1000)
	if _, err := c.Messages.New(ctxT(t), params, sdkoption.WithJSONSet("temperature", 0.3)); err != nil {
		t.Fatalf("temperature on Sonnet 5.5: %v", err)
	}
	if b := tp.lastBody(t, "/v1/messages"); b["temperature"] != nil {
		t.Errorf("temperature %s sent to Sonnet 5.5", b["temperature"])
	}
}

// TestClaude5ForcedToolRoutes: a route whose first deployment refuses a
// forced tool choice serves such a request from the next one, which can
// force it, and answers a request that forces nothing from the first.
func TestClaude5ForcedToolRoutes(t *testing.T) {
	t.Parallel()
	e, tp := newClaude5Env(t)
	weather := openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{Name: "get_weather",
		Parameters: shared.FunctionParameters{"type": "object"}})
	for choice, want := range map[string]string{"required": "claude-sonnet-4-5", "auto": "claude-opus-5-5"} {
		var resp *http.Response
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "agents",
			Tools: []openai.ChatCompletionToolUnionParam{weather}, ToolChoice: openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String(choice)},
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the weather in Paris?")},
		}, option.WithMaxRetries(0), option.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("%s: %v", choice, err)
		}
		if got := resp.Header.Get("x-switchyard-deployment"); got != want {
			t.Errorf("tool_choice %s: served by %q, want %q", choice, got, want)
		}
		if choice == "required" && string(tp.lastBody(t, "/v1/messages")["tool_choice"]) != `{"type":"any"}` {
			t.Errorf("tool_choice sent %s, want any", tp.lastBody(t, "/v1/messages")["tool_choice"])
		}
	}
}

// TestClaude5ToolLoopWithoutReasoningKeepsThinking: Claude Opus 5.5
// thinks unasked, so an OpenAI client's tool loop that asks no reasoning
// still has thinking behind its tool calls, which the model's guide says
// to send back unchanged with the tool results. The router keeps it by
// the calls' ids and puts it back on the second turn, complete and
// streamed (before, it restored Claude's thinking only for a request that
// asked for reasoning).
func TestClaude5ToolLoopWithoutReasoningKeepsThinking(t *testing.T) {
	t.Parallel()
	e, tp := newClaude5Env(t)
	for _, stream := range []bool{false, true} {
		params := toolLoopParams("claude-opus-5-5")
		params.ReasoningEffort = ""
		if stream { // another prompt: the sim's tool call ids follow the prompt
			params.Messages = []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Call get_weather for Rome, please.")}
		}
		toolLoopTwoTurns(t, e, params, stream)
		var msgs []struct {
			Role    string            `json:"role"`
			Content []json.RawMessage `json:"content"`
		}
		body := tp.lastBody(t, "/v1/messages")
		if err := json.Unmarshal(body["messages"], &msgs); err != nil {
			t.Fatal(err)
		}
		if len(msgs) < 2 || len(thinkingBlocksOf(t, msgs[1].Content)) == 0 {
			t.Errorf("stream %v: the assistant turn went back without the thinking Opus 5.5 wrote: %s", stream, body["messages"])
		}
	}
}
