package e2e

import (
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// An Anthropic SDK client forcing a tool ({"type":"tool","name":…})
// through an OpenAI deployment, which answers a named tool_choice with
// finish_reason "stop" (vllm-project/vllm#25054 has OpenAI's answers),
// and through Gemini 3 on Google's OpenAI-compatible path, whose stream
// says "stop" for any tool call (googleapis/python-genai#2868): the
// Message says stop_reason tool_use, as Claude does when it calls a
// tool, complete and streamed — Claude Code and the SDKs' tool runners
// run the calls only on tool_use. (Google's stream says "stop" unforced
// too.)
func TestAnthropicForcedToolStopsOnToolUse(t *testing.T) {
	t.Parallel()
	e, _ := googleCompatEnv(t)
	c := anthropicClient(e, "demo-key")
	tool := sdk.ToolUnionParam{OfTool: &sdk.ToolParam{Name: "get_weather", InputSchema: sdk.ToolInputSchemaParam{
		Properties: map[string]any{"city": map[string]any{"type": "string"}}, Required: []string{"city"}}}}
	for _, tc := range []struct {
		model  string
		forced bool
	}{{"gpt-4o-mini", true}, {"azure-gpt-4o-mini", true}, {"gemini-compat", true}, {"gemini-compat", false}} {
		t.Run(tc.model, func(t *testing.T) {
			params := userMessage(tc.model, "What is the weather in Paris? Use get_weather.", 300)
			params.Tools = []sdk.ToolUnionParam{tool}
			if tc.forced {
				params.ToolChoice = sdk.ToolChoiceParamOfTool("get_weather")
			}
			msg, err := c.Messages.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			if msg.StopReason != sdk.StopReasonToolUse || len(msg.Content) == 0 || msg.Content[len(msg.Content)-1].Type != "tool_use" {
				t.Errorf("complete: stop_reason %q, content %s", msg.StopReason, msg.RawJSON())
			}
			acc := accumulateMessage(t, c.Messages.NewStreaming(ctxT(t), params))
			if acc.StopReason != sdk.StopReasonToolUse || len(acc.Content) == 0 || acc.Content[len(acc.Content)-1].Type != "tool_use" {
				t.Errorf("streamed: stop_reason %q, content %+v", acc.StopReason, acc.Content)
			}
		})
	}
}
