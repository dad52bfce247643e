package openai

import (
	"context"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// allowedPrompt names both tools; the choice allows get_time alone.
const allowedPrompt = "Call get_weather and get_time for Paris."

// An allowed_tools choice, as openai-go sends it, is taken; the answer
// calls the allowed tools alone, though the prompt names another.
func TestSDKAllowedTools(t *testing.T) {
	c := sdkClient(t)
	fn := func(name string) sdk.ChatCompletionToolUnionParam {
		return sdk.ChatCompletionFunctionTool(sdk.FunctionDefinitionParam{Name: name, Parameters: sdk.FunctionParameters{"type": "object", "properties": map[string]any{}}})
	}
	chat, err := c.Chat.Completions.New(context.Background(), sdk.ChatCompletionNewParams{Model: "gpt-sim",
		Messages: []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage(allowedPrompt)},
		Tools:    []sdk.ChatCompletionToolUnionParam{fn("get_weather"), fn("get_time")},
		ToolChoice: sdk.ToolChoiceOptionAllowedTools(sdk.ChatCompletionAllowedToolsParam{Mode: "auto",
			Tools: []map[string]any{{"type": "function", "function": map[string]any{"name": "get_time"}}}}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls := chat.Choices[0].Message.ToolCalls; len(calls) != 1 || calls[0].Function.Name != "get_time" {
		t.Errorf("chat calls %+v", calls)
	}
	params := responses.ResponseNewParams{Model: "gpt-sim", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String(allowedPrompt)},
		Tools: []responses.ToolUnionParam{
			{OfFunction: &responses.FunctionToolParam{Name: "get_weather", Parameters: map[string]any{"type": "object", "properties": map[string]any{}}}},
			{OfFunction: &responses.FunctionToolParam{Name: "get_time", Parameters: map[string]any{"type": "object", "properties": map[string]any{}}}}},
		ToolChoice: responses.ResponseNewParamsToolChoiceUnion{OfAllowedTools: &responses.ToolChoiceAllowedParam{Mode: "required",
			Tools: []map[string]any{{"type": "function", "name": "get_time"}}}},
	}
	resp, err := c.Responses.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Output) != 1 || resp.Output[0].Type != "function_call" || resp.Output[0].Name != "get_time" {
		t.Errorf("responses output %s", resp.RawJSON())
	}
	params.ToolChoice.OfAllowedTools.Tools = []map[string]any{{"type": "function", "name": "get_date"}}
	if _, err := c.Responses.New(context.Background(), params); err == nil {
		t.Error("an allowed tool not among the tools was taken")
	}
}

// A choice allowing a hosted tool alone leaves the model no function to
// call, required or not.
func TestAllowedHostedOnly(t *testing.T) {
	c := sdkClient(t)
	resp, err := c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "gpt-sim",
		Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("Call get_time.")},
		Tools: []responses.ToolUnionParam{{OfWebSearch: &responses.WebSearchToolParam{Type: "web_search"}},
			{OfFunction: &responses.FunctionToolParam{Name: "get_time", Parameters: map[string]any{"type": "object", "properties": map[string]any{}}}}},
		ToolChoice: responses.ResponseNewParamsToolChoiceUnion{OfAllowedTools: &responses.ToolChoiceAllowedParam{Mode: "required",
			Tools: []map[string]any{{"type": "web_search"}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range resp.Output {
		if o.Type == "function_call" {
			t.Errorf("called %s", o.Name)
		}
	}
}
