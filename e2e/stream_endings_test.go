package e2e

import (
	"net/http"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/sim"
)

// TestDoneWithoutFinishReasonCompletes: a Chat Completions host that ends
// a tool-calling turn with "data: [DONE]" but writes no finish_reason
// (NVIDIA NIM serving GLM, earendil-works/pi#6226) gave a whole answer: the
// client gets the call from that deployment with finish_reason
// tool_calls, streamed or not. Text so ended is a cut stream (a proxy
// closing a failed stream politely looks the same): it is never relayed
// as a whole answer from that deployment, but resumed or failed over.
func TestDoneWithoutFinishReasonCompletes(t *testing.T) {
	t.Parallel()
	for _, dep := range []string{"gpt-4o-mini", "azure-gpt-4o-mini"} {
		e := newEnv(t, nil)
		params := openai.ChatCompletionNewParams{Model: dep, Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Use get_weather: what's the weather in Paris? [[sim:no_finish]]")}}
		t.Run(dep+"/streamed", func(t *testing.T) {
			var hr *http.Response
			acc, _ := accumulate(t, e, params, option.WithResponseInto(&hr))
			if got := hr.Header.Get("x-switchyard-deployment"); got != dep {
				t.Errorf("served by %q, want %q (a [DONE] without finish_reason after a call taken for a cut stream)", got, dep)
			}
			if c := acc.Choices[0]; c.FinishReason != "tool_calls" || len(c.Message.ToolCalls) != 1 {
				t.Errorf("finish %q, message %+v; want tool_calls", c.FinishReason, c.Message)
			}
		})
		t.Run(dep+"/whole", func(t *testing.T) {
			var hr *http.Response
			resp, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr))
			if err != nil {
				t.Fatal(err)
			}
			if got := hr.Header.Get("x-switchyard-deployment"); got != dep || resp.Choices[0].FinishReason != "tool_calls" {
				t.Errorf("served by %q with finish %q, want %q with tool_calls", got, resp.Choices[0].FinishReason, dep)
			}
		})
	}
	t.Run("text is cut", func(t *testing.T) {
		e := newEnv(t, nil)
		params := openai.ChatCompletionNewParams{Model: "azure-gpt-4o-mini",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write a sentence about rivers. [[sim:no_finish]]")}}
		_, err := e.Client.Chat.Completions.New(ctxT(t), params)
		if statusOf(err) != http.StatusBadGateway {
			t.Errorf("got %v, want the 502 of a stream cut short", err)
		}
	})
}

// TestDoneWithoutFinishReasonToAnthropicClient: the inferred finish
// reaches an Anthropic client as its stop_reason, tool_use, streamed or
// not.
func TestDoneWithoutFinishReasonToAnthropicClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "k")
	params := userMessage("azure-gpt-4o-mini", "Use get_weather: what's the weather in Paris? [[sim:no_finish]]", 500)
	params.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "get_weather",
		InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}}}}}
	msg, err := c.Messages.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	if msg.StopReason != sdk.StopReasonToolUse || len(msg.Content) == 0 {
		t.Errorf("stop_reason %q, content %+v; want tool_use and the call", msg.StopReason, msg.Content)
	}
	acc := accumulateMessage(t, c.Messages.NewStreaming(ctxT(t), params))
	if acc.StopReason != sdk.StopReasonToolUse {
		t.Errorf("streamed stop_reason %q, want tool_use", acc.StopReason)
	}
}

// TestFinishReasonOnEveryChunk: a host that stamps the finish reason on
// every chunk (open-webui#23921) and pauses 2s mid-answer, past the
// router's FinishGrace, still has its whole answer relayed: the finish
// reason of a chunk followed by more of the answer is not its end.
func TestFinishReasonOnEveryChunk(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("pauses 2s")
	}
	e := newEnv(t, nil)
	params := openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write a few sentences about rivers.")}}
	whole, err := e.Client.Chat.Completions.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultFinishEvery, Model: "gpt-4o-mini", Delay: 2 * time.Second, Count: 1})
	start := time.Now()
	acc, _ := accumulate(t, e, params)
	if got := acc.Choices[0].Message.Content; got != whole.Choices[0].Message.Content || time.Since(start) < 2*time.Second {
		t.Errorf("got %q after %s, want the whole answer %q after the pause", got, time.Since(start), whole.Choices[0].Message.Content)
	}
}

// TestForeignThinkingToClaude: an Anthropic client's conversation that an
// Anthropic-compatible host answered before (DeepSeek's /anthropic
// endpoint signs its thinking with the message's UUID,
// NousResearch/hermes-agent#21048) goes on with Claude, which refuses a
// signature it did not mint ("Invalid `signature` in `thinking` block",
// ding113/claude-code-hub#518): the router leaves that thinking out, and
// a tool loop left without its thinking goes without thinking.
func TestForeignThinkingToClaude(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "k")
	const dep, foreign = "claude-haiku-4-5", "91cfbb94-554b-4136-8e21-fa02280d56ed"
	for name, msgs := range map[string][]sdk.MessageParam{
		"finished turn": {
			sdk.NewUserMessage(sdk.NewTextBlock("hi")),
			sdk.NewAssistantMessage(sdk.NewThinkingBlock(foreign, "The user greets me."), sdk.NewTextBlock("Hello.")),
			sdk.NewUserMessage(sdk.NewTextBlock("What is a river?")),
		},
		"tool loop": {
			sdk.NewUserMessage(sdk.NewTextBlock("Use get_weather: what's the weather in Paris?")),
			sdk.NewAssistantMessage(sdk.NewThinkingBlock(foreign, "I should call get_weather."),
				sdk.NewToolUseBlock("toolu_01", map[string]any{"city": "Paris"}, "get_weather")),
			sdk.NewUserMessage(sdk.NewToolResultBlock("toolu_01", `{"temperature_c": 21}`, false)),
		},
	} {
		t.Run(name, func(t *testing.T) {
			params := sdk.MessageNewParams{Model: sdk.Model(dep), MaxTokens: 4096, Messages: msgs,
				Thinking: sdk.ThinkingConfigParamOfEnabled(2048),
				Tools: []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "get_weather",
					InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}}}}}}
			var hr *http.Response
			msg, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&hr))
			if err != nil {
				t.Fatal(err)
			}
			if got := hr.Header.Get("x-switchyard-deployment"); got != dep || len(msg.Content) == 0 {
				t.Errorf("served by %q with %+v, want %s's answer", got, msg.Content, dep)
			}
		})
	}
}
