package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
)

// A Chat Completions client's tool message of two text parts reaches
// Gemini as one function response of the parts one per line, and the
// Responses upstream as a function_call_output of two input_text parts:
// never the two run together ("Paris: 21CLyon: 19C").
func TestChatToolMessageTextPartsKeptApart(t *testing.T) {
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
