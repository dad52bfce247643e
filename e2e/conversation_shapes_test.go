package e2e

import (
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/sim/convgen"
)

// shapeDeployments are one deployment per upstream wire format: OpenAI's
// Chat Completions, Azure's, OpenAI's Responses API (shapeEnv's
// resp-gpt-4o-mini), Anthropic's Messages, Gemini's generateContent. The
// simulators refuse every conversation the real APIs refuse.
var shapeDeployments = []string{"gpt-4o-mini", "azure-gpt-4o-mini", "resp-gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"}

// shapeEnv is newEnv with resp-gpt-4o-mini: gpt-4o-mini called on OpenAI's
// Responses API (the demo's own deployment there, gpt-5.3-codex, takes no
// images).
func shapeEnv(t *testing.T) *env {
	return newEnv(t, withRespDeployment)
}

// withRespDeployment adds resp-gpt-4o-mini to c.
func withRespDeployment(c *config.Config) {
	d := *c.Deployments["gpt-4o-mini"]
	d.Name, d.API = "resp-gpt-4o-mini", config.APIResponses
	c.Deployments[d.Name] = &d
}

// toolCall is a Chat Completions function call param.
func toolCall(id, name string) openai.ChatCompletionMessageToolCallUnionParam {
	return openai.ChatCompletionMessageToolCallUnionParam{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
		ID: id, Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: name, Arguments: `{"city":"Lima"}`}}}
}

// A Chat Completions conversation valid for OpenAI but shaped as the
// other APIs refuse — an assistant turn of tool calls with empty text,
// results out of call order, a blank user message, an assistant's text
// before its call, call ids numbered from 0 again in a later turn (Claude
// refuses a repeated tool_use id), a developer message in the middle — is
// answered by every upstream kind, complete and streamed.
func TestTrickyChatConversationReachesEveryUpstream(t *testing.T) {
	t.Parallel()
	e := shapeEnv(t)
	for _, dep := range shapeDeployments {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := openai.ChatCompletionNewParams{
					Model: dep,
					Tools: []openai.ChatCompletionToolUnionParam{weatherTool, timeTool},
					Messages: []openai.ChatCompletionMessageParamUnion{
						openai.SystemMessage("Be brief."),
						openai.UserMessage("What are the weather and the time in Lima?"),
						{OfAssistant: &openai.ChatCompletionAssistantMessageParam{
							Content:   openai.ChatCompletionAssistantMessageParamContentUnion{OfString: openai.String("")},
							ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{toolCall("call_0", "get_weather"), toolCall("call_1", "get_time")}}},
						openai.ToolMessage(`{"time":"09:30"}`, "call_1"),
						openai.ToolMessage(`{"temperature_c":18}`, "call_0"),
						openai.UserMessage(" "),
						openai.AssistantMessage("It is 18°C and 09:30 in Lima."),
						openai.DeveloperMessage("Use the tools again for fresh data."),
						openai.UserMessage("And now?"),
						{OfAssistant: &openai.ChatCompletionAssistantMessageParam{
							Content:   openai.ChatCompletionAssistantMessageParamContentUnion{OfString: openai.String("Checking again.")},
							ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{toolCall("call_0", "get_weather")}}},
						openai.ToolMessage(`{"temperature_c":19}`, "call_0"),
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

// An Anthropic Messages conversation valid for Claude but shaped as the
// other APIs refuse — one turn's tool results split across two user
// messages, the first result holding an image (in its tool_result on
// Claude, after the tool messages on Chat), text after the results,
// a result without content, an assistant turn of text then tool calls —
// is answered by every upstream kind, complete and streamed.
func TestTrickyMessagesConversationReachesEveryUpstream(t *testing.T) {
	t.Parallel()
	e := shapeEnv(t)
	c := anthropicClient(e, "demo-key")
	tool := func(name string) sdk.ToolUnionParam {
		return sdk.ToolUnionParam{OfTool: &sdk.ToolParam{Name: name, InputSchema: sdk.ToolInputSchemaParam{
			Properties: map[string]any{"city": map[string]any{"type": "string"}}}}}
	}
	chart := sdk.NewToolResultBlock("toolu_a", "", false)
	chart.OfToolResult.Content = []sdk.ToolResultBlockParamContentUnion{
		{OfText: &sdk.TextBlockParam{Text: "Here is the chart."}},
		{OfImage: &sdk.ImageBlockParam{Source: sdk.ImageBlockParamSourceUnion{OfBase64: &sdk.Base64ImageSourceParam{
			Data: convgen.PNG, MediaType: sdk.Base64ImageSourceMediaTypeImagePNG}}}},
	}
	empty := sdk.NewToolResultBlock("toolu_c", "", false)
	empty.OfToolResult.Content = nil
	city := map[string]any{"city": "Lima"}
	for _, dep := range shapeDeployments {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := sdk.MessageNewParams{
					Model: sdk.Model(dep), MaxTokens: 300,
					System: []sdk.TextBlockParam{{Text: "Be brief."}},
					Tools:  []sdk.ToolUnionParam{tool("get_weather"), tool("get_time")},
					Messages: []sdk.MessageParam{
						sdk.NewUserMessage(sdk.NewTextBlock("What are the weather and the time in Lima?")),
						sdk.NewAssistantMessage(sdk.NewTextBlock("Let me check."),
							sdk.NewToolUseBlock("toolu_a", city, "get_weather"), sdk.NewToolUseBlock("toolu_b", city, "get_time")),
						sdk.NewUserMessage(chart),
						sdk.NewUserMessage(sdk.NewToolResultBlock("toolu_b", "09:30", false), sdk.NewTextBlock("Thanks.")),
						sdk.NewAssistantMessage(sdk.NewTextBlock("It is sunny and 09:30.")),
						sdk.NewUserMessage(sdk.NewTextBlock("Check the weather once more.")),
						sdk.NewAssistantMessage(sdk.NewTextBlock("Sure.")),
						sdk.NewAssistantMessage(sdk.NewToolUseBlock("toolu_c", city, "get_weather")),
						sdk.NewUserMessage(empty),
					},
				}
				text := anthropicAnswer(t, c, params, streamed)
				if text == "" {
					t.Error("no text in the answer")
				}
			})
		}
	}
}

// anthropicAnswer sends params with the Anthropic SDK, complete or
// streamed (accumulated), and returns the answer's text.
func anthropicAnswer(t *testing.T, c sdk.Client, params sdk.MessageNewParams, streamed bool) string {
	t.Helper()
	var msg sdk.Message
	if streamed {
		s := c.Messages.NewStreaming(ctxT(t), params)
		for s.Next() {
			if err := msg.Accumulate(s.Current()); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Err(); err != nil {
			t.Fatal(err)
		}
	} else {
		out, err := c.Messages.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		msg = *out
	}
	text := ""
	for _, b := range msg.Content {
		text += b.Text
	}
	return text
}

// functionOutput is a function_call_output item answering callID.
func functionOutput(callID, output string) responses.ResponseInputItemUnionParam {
	item := responses.ResponseInputItemParamOfFunctionCallOutput(output)
	item.OfFunctionCallOutput.CallID = openai.String(callID)
	return item
}

// A Responses API conversation valid for OpenAI but shaped as the other
// APIs refuse — a reasoning item (its summary alone: no encrypted
// content to carry), parallel function calls with no assistant message,
// outputs out of call order, a developer message and a user message
// between turns, an assistant message then a call — is answered by every
// upstream kind, complete and streamed.
func TestTrickyResponsesConversationReachesEveryUpstream(t *testing.T) {
	t.Parallel()
	e := shapeEnv(t)
	fn := func(name string) responses.ToolUnionParam {
		return responses.ToolUnionParam{OfFunction: &responses.FunctionToolParam{Name: name,
			Parameters: map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}}}}
	}
	input := []responses.ResponseInputItemUnionParam{
		responses.ResponseInputItemParamOfMessage("Be brief.", responses.EasyInputMessageRoleDeveloper),
		responses.ResponseInputItemParamOfMessage("What are the weather and the time in Lima?", responses.EasyInputMessageRoleUser),
		responses.ResponseInputItemParamOfReasoning("rs_1", []responses.ResponseReasoningItemSummaryParam{{Text: "Two lookups."}}),
		responses.ResponseInputItemParamOfFunctionCall(`{"city":"Lima"}`, "call_a", "get_weather"),
		responses.ResponseInputItemParamOfFunctionCall(`{"city":"Lima"}`, "call_b", "get_time"),
		functionOutput("call_b", `{"time":"09:30"}`),
		functionOutput("call_a", ""),
		responses.ResponseInputItemParamOfMessage("It is 09:30; the weather service said nothing.", responses.EasyInputMessageRoleAssistant),
		responses.ResponseInputItemParamOfMessage("Try the weather again.", responses.EasyInputMessageRoleUser),
		responses.ResponseInputItemParamOfMessage("Retrying.", responses.EasyInputMessageRoleAssistant),
		responses.ResponseInputItemParamOfFunctionCall(`{"city":"Lima"}`, "call_c", "get_weather"),
		functionOutput("call_c", `{"temperature_c":18}`),
	}
	for _, dep := range shapeDeployments {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := responses.ResponseNewParams{
					Model: dep, Tools: []responses.ToolUnionParam{fn("get_weather"), fn("get_time")},
					Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input},
				}
				var text string
				if streamed {
					s := e.Client.Responses.NewStreaming(ctxT(t), params)
					for s.Next() {
						if ev := s.Current(); ev.Type == "response.completed" {
							text = ev.Response.OutputText()
						}
					}
					if err := s.Err(); err != nil {
						t.Fatal(err)
					}
				} else {
					out, err := e.Client.Responses.New(ctxT(t), params)
					if err != nil {
						t.Fatal(err)
					}
					text = out.OutputText()
				}
				if text == "" {
					t.Error("no text in the answer")
				}
			})
		}
	}
}
