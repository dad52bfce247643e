package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
)

// A model's tool call cut by max_tokens ({"city": "Par) stays in the
// client's history; OpenAI takes it back as it is, and so must every
// deployment the conversation is routed to, or each later turn fails.
func TestMalformedToolArgumentsInHistory(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	history := []openai.ChatCompletionMessageParamUnion{
		openai.UserMessage("Weather in Paris?"),
		{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{{
			OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{ID: "call_1",
				Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "get_weather", Arguments: `{"city": "Par`}}}}}},
		openai.ToolMessage("error: the arguments were not valid JSON", "call_1"),
		openai.UserMessage("Try again, please."),
	}
	for dep, path := range map[string]string{"claude-haiku-4-5": "/v1/messages", "gemini-2.5-flash": ":generateContent"} {
		t.Run(dep, func(t *testing.T) {
			_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: openai.ChatModel(dep), Messages: history,
				Tools: []openai.ChatCompletionToolUnionParam{weatherTool}})
			if err != nil {
				t.Fatal(err)
			}
			var sent string
			for _, r := range tp.requests() {
				if strings.Contains(r.path, path) || strings.Contains(r.path, "streamGenerateContent") && path == ":generateContent" {
					sent = string(r.body)
				}
			}
			if !strings.Contains(sent, `"_raw_arguments":"{\"city\": \"Par"`) {
				t.Errorf("%s was sent %s", dep, sent)
			}
		})
	}
}
