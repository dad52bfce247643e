package e2e

import (
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
)

// A call forced by name on an OpenAI deployment: OpenAI's Chat
// Completions end it with finish_reason "stop" (as the sim does:
// vllm-project/vllm#25054's captures), which an Anthropic client read as
// stop_reason end_turn beside its tool_use block and an agent loop on
// "tool_calls" as the end of the turn. Every client sees the turn's
// calls to run: finish_reason tool_calls (complete and streamed) and
// stop_reason tool_use (complete and streamed), as from Claude and
// Gemini deployments.
func TestNamedToolChoiceEndsWithCalls(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		for _, streamed := range []bool{false, true} {
			msg, finish := askChat(t, e, openai.ChatCompletionNewParams{Model: dep, Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
				ToolChoice: openai.ToolChoiceOptionFunctionToolChoice(openai.ChatCompletionNamedToolChoiceFunctionParam{Name: "get_weather"}),
				Messages:   []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Weather in Paris?")}}, streamed)
			if finish != "tool_calls" || len(msg.ToolCalls) != 1 {
				t.Errorf("%s streamed %v: finish %q, calls %+v", dep, streamed, finish, msg.ToolCalls)
			}
		}
		c := anthropicClient(e, "demo-key")
		params := userMessage(dep, "Weather in Paris?", 300)
		params.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "get_weather", InputSchema: sdk.ToolInputSchemaParam{
			Properties: map[string]any{"city": map[string]any{"type": "string"}}}}}}
		params.ToolChoice = sdk.ToolChoiceParamOfTool("get_weather")
		m, err := c.Messages.New(ctxT(t), params)
		if err != nil || m.StopReason != sdk.StopReasonToolUse {
			t.Errorf("%s: stop_reason %q (%v)", dep, m.StopReason, err)
		}
		s := c.Messages.NewStreaming(ctxT(t), params)
		var acc sdk.Message
		for s.Next() {
			if err := acc.Accumulate(s.Current()); err != nil {
				t.Fatal(err)
			}
		}
		if s.Err() != nil || acc.StopReason != sdk.StopReasonToolUse {
			t.Errorf("%s streamed: stop_reason %q (%v)", dep, acc.StopReason, s.Err())
		}
	}
}
