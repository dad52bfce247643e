package e2e

import (
	"errors"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// A Chat Completions client's tool message of two text parts reaches
// Gemini as one function response of the parts one per line, and the
// Responses upstream as a function_call_output of two input_text parts:
// never the two run together ("Paris: 21CLyon: 19C").
func TestChatToolMessageTextPartsKeptApart(t *testing.T) {
	t.Parallel()
	e, tp := respShapeEnv(t)
	for dep, want := range map[string]string{
		"gemini-2.5-flash": `"response":{"content":"Paris: 21C\nLyon: 19C"}`,
		"resp-gpt-4o-mini": `"output":[{"type":"input_text","text":"Paris: 21C"},{"type":"input_text","text":"Lyon: 19C"}]`,
	} {
		t.Run(dep, func(t *testing.T) {
			params := openai.ChatCompletionNewParams{Model: dep,
				Tools: []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(openai.FunctionDefinitionParam{Name: "lookup",
					Parameters: openai.FunctionParameters{"type": "object", "properties": map[string]any{}}})},
				Messages: []openai.ChatCompletionMessageParamUnion{
					openai.UserMessage("How warm is it?"),
					{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{
						{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{ID: "call_w",
							Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "lookup", Arguments: "{}"}}}}}},
					openai.ToolMessage([]openai.ChatCompletionContentPartTextParam{{Text: "Paris: 21C"}, {Text: "Lyon: 19C"}}, "call_w"),
				}}
			c, err := e.Client.Chat.Completions.New(ctxT(t), params)
			if err != nil || len(c.Choices) == 0 {
				t.Fatalf("answer: %v", err)
			}
			reqs := tp.requests()
			sent := string(reqs[len(reqs)-1].body)
			if !strings.Contains(sent, want) || strings.Contains(sent, "21CLyon") {
				t.Errorf("sent %.800s, want %s", sent, want)
			}
		})
	}
}

// A Chat Completions client's tool message holding an input_audio part
// (a type OpenAI names among a tool message's) is taken: the audio
// reaches Chat Completions as a user message's part after the tool
// message and Gemini as inline data after the function response; a
// deployment called on the Responses API, which has no audio input, is
// passed over for it (content_parts).
func TestChatToolMessageInputAudio(t *testing.T) {
	t.Parallel()
	e, tp := respShapeEnv(t)
	audio := map[string]any{"type": "input_audio", "input_audio": map[string]any{"data": "UklGRiQAAABXQVZF", "format": "wav"}}
	for dep, want := range map[string]string{
		"gpt-4o-mini":      `"tool_call_id":"call_a"},{"role":"user","content":[{"input_audio":{"data":"UklGRiQAAABXQVZF","format":"wav"},"type":"input_audio"}]}`,
		"gemini-2.5-flash": `"inlineData":{"mimeType":"audio/wav","data":"UklGRiQAAABXQVZF"}`,
		"resp-gpt-4o-mini": "",
	} {
		t.Run(dep, func(t *testing.T) {
			params := openai.ChatCompletionNewParams{Model: dep,
				Tools: []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(openai.FunctionDefinitionParam{Name: "record",
					Parameters: openai.FunctionParameters{"type": "object", "properties": map[string]any{}}})},
				Messages: []openai.ChatCompletionMessageParamUnion{
					openai.UserMessage("What did the recorder hear?"),
					{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{
						{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{ID: "call_a",
							Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "record", Arguments: "{}"}}}}}},
					openai.ToolMessage("The recording:", "call_a"),
				}}
			_, err := e.Client.Chat.Completions.New(ctxT(t), params,
				option.WithJSONSet("messages.2.content", []any{map[string]any{"type": "text", "text": "The recording:"}, audio}))
			if want == "" {
				var apiErr *openai.Error
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "no audio") {
					t.Errorf("%v, want the router's 400", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			reqs := tp.requests()
			if sent := string(reqs[len(reqs)-1].body); !strings.Contains(sent, want) {
				t.Errorf("sent %.900s, want %s", sent, want)
			}
		})
	}
}

// A Chat Completions client's tool message holding a refusal part (a
// type OpenAI names among a tool message's) is taken as its text and
// reaches every provider kind as the result's text: it used to be the
// router's 400.
func TestChatToolMessageRefusalPart(t *testing.T) {
	t.Parallel()
	e, tp := respShapeEnv(t)
	for _, dep := range shapeDeployments {
		t.Run(dep, func(t *testing.T) {
			params := openai.ChatCompletionNewParams{Model: dep,
				Tools: []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(openai.FunctionDefinitionParam{Name: "ask_agent",
					Parameters: openai.FunctionParameters{"type": "object", "properties": map[string]any{}}})},
				Messages: []openai.ChatCompletionMessageParamUnion{
					openai.UserMessage("Ask the agent."),
					{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{
						{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{ID: "call_q",
							Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "ask_agent", Arguments: "{}"}}}}}},
					openai.ToolMessage("x", "call_q"),
				}}
			_, err := e.Client.Chat.Completions.New(ctxT(t), params,
				option.WithJSONSet("messages.2.content", []any{map[string]any{"type": "refusal", "refusal": "The agent declined."}}))
			if err != nil {
				t.Fatal(err)
			}
			reqs := tp.requests()
			if sent := string(reqs[len(reqs)-1].body); !strings.Contains(sent, "The agent declined.") || strings.Contains(sent, `"refusal"`) {
				t.Errorf("sent %.900s, want the refusal as the result's text", sent)
			}
		})
	}
}
