package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// A client may answer one tool call twice — a tool submission retried
// after a network error and kept in the history, an agent that appended a
// result again. OpenAI's APIs take it; Claude refuses it ("each tool_use
// must have a single result. Found multiple `tool_result` blocks with id",
// BerriAI/litellm#16711, router-for-me/CLIProxyAPI#4998) and Gemini
// refuses a turn whose function responses outnumber its calls. The router
// sends such a call one result.

// TestRepeatedToolResultReachesEveryUpstream sends a Chat Completions
// conversation with one call answered twice alike (a resent result) and
// another answered twice differently to every upstream kind.
func TestRepeatedToolResultReachesEveryUpstream(t *testing.T) {
	t.Parallel()
	e := shapeEnv(t)
	for _, dep := range shapeDeployments {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := openai.ChatCompletionNewParams{
					Model: dep,
					Tools: []openai.ChatCompletionToolUnionParam{weatherTool, timeTool},
					Messages: []openai.ChatCompletionMessageParamUnion{
						openai.UserMessage("What are the weather and the time in Lima?"),
						{OfAssistant: &openai.ChatCompletionAssistantMessageParam{
							ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{toolCall("call_a", "get_weather"), toolCall("call_b", "get_time")}}},
						openai.ToolMessage(`{"temperature_c":18}`, "call_a"),
						openai.ToolMessage(`{"time":"09:30"}`, "call_b"),
						openai.ToolMessage(`{"temperature_c":18}`, "call_a"),
						openai.ToolMessage(`{"time":"09:31"}`, "call_b"),
					},
				}
				msg, finish := askChat(t, e, params, streamed)
				if finish != "stop" || msg.Content == "" {
					t.Errorf("finish %q, %q", finish, msg.Content)
				}
			})
		}
	}
}

// TestRepeatedFunctionOutputReachesEveryUpstream is the Responses API's
// case: a function_call_output sent twice for one call.
func TestRepeatedFunctionOutputReachesEveryUpstream(t *testing.T) {
	t.Parallel()
	e := shapeEnv(t)
	input := []responses.ResponseInputItemUnionParam{
		responses.ResponseInputItemParamOfMessage("What is the weather in Lima?", responses.EasyInputMessageRoleUser),
		responses.ResponseInputItemParamOfFunctionCall(`{"city":"Lima"}`, "call_a", "get_weather"),
		functionOutput("call_a", `{"temperature_c":18}`),
		functionOutput("call_a", `{"temperature_c":18}`),
	}
	fn := responses.ToolUnionParam{OfFunction: &responses.FunctionToolParam{Name: "get_weather",
		Parameters: map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}}}}
	for _, dep := range shapeDeployments {
		t.Run(dep, func(t *testing.T) {
			out, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: dep, Tools: []responses.ToolUnionParam{fn},
				Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}})
			if err != nil {
				t.Fatal(err)
			}
			if out.OutputText() == "" {
				t.Error("no text in the answer")
			}
		})
	}
}

// TestRepeatedToolResultBlockRefused: an Anthropic client's own request
// with two tool_result blocks for one tool_use is refused as Claude
// refuses it, whichever deployment it would have gone to.
func TestRepeatedToolResultBlockRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	city := map[string]any{"city": "Lima"}
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			_, err := c.Messages.New(ctxT(t), sdk.MessageNewParams{
				Model: sdk.Model(dep), MaxTokens: 100, Tools: []sdk.ToolUnionParam{anthropicWeatherTool()},
				Messages: []sdk.MessageParam{
					sdk.NewUserMessage(sdk.NewTextBlock("Weather in Lima?")),
					sdk.NewAssistantMessage(sdk.NewToolUseBlock("toolu_a", city, "get_weather")),
					sdk.NewUserMessage(sdk.NewToolResultBlock("toolu_a", "18C", false), sdk.NewToolResultBlock("toolu_a", "18C", false)),
				},
			})
			var apiErr *sdk.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
				t.Fatalf("got %v, want a 400", err)
			}
			const want = "messages.2.content.1: each tool_use must have a single result. Found multiple `tool_result` blocks with id: toolu_a"
			if !strings.Contains(apiErr.RawJSON(), want) {
				t.Errorf("error %s, want %q", apiErr.RawJSON(), want)
			}
		})
	}
}

// TestToolErrorReachesClaudeAndGemini: an Anthropic client's tool_result
// with is_error (Claude Code's failed commands) keeps the flag to Claude
// and reaches Gemini as the function response's "error" key, which
// Gemini's API reads as the call's error details (mozilla-ai/any-llm#1311
// dropped it).
func TestToolErrorReachesClaudeAndGemini(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for dep, want := range map[string]string{
		"claude-haiku-4-5": `"content":[{"type":"tool_result","tool_use_id":"toolu_a","content":[{"type":"text","text":"permission denied"}],"is_error":true}]`,
		"gemini-2.5-flash": `"response":{"error":"permission denied"}`,
	} {
		t.Run(dep, func(t *testing.T) {
			_, err := c.Messages.New(ctxT(t), sdk.MessageNewParams{
				Model: sdk.Model(dep), MaxTokens: 100, Tools: []sdk.ToolUnionParam{anthropicWeatherTool()},
				Messages: []sdk.MessageParam{
					sdk.NewUserMessage(sdk.NewTextBlock("Weather in Lima?")),
					sdk.NewAssistantMessage(sdk.NewToolUseBlock("toolu_a", map[string]any{"city": "Lima"}, "get_weather")),
					sdk.NewUserMessage(sdk.NewToolResultBlock("toolu_a", "permission denied", true)),
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			reqs := tp.requests()
			if body := string(reqs[len(reqs)-1].body); !strings.Contains(body, want) {
				t.Errorf("sent %s, want %s in it", body, want)
			}
		})
	}
}
