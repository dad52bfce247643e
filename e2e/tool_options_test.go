package e2e

import (
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// Tool options without tools: agent frameworks set parallel_tool_calls
// and tool_choice on every call, tools or not, and a Responses API
// request carries parallel_tool_calls whatever its tools (Codex CLI sends
// it always); OpenAI's Chat Completions refuse either without tools
// ("'parallel_tool_calls' is only allowed when 'tools' are specified.",
// as the sim does). They mean nothing there, so every deployment answers.
func TestToolOptionsWithoutTools(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: dep, ParallelToolCalls: openai.Bool(false),
				ToolChoice: openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String("none")},
				Messages:   []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Say hello")}})
			if err != nil || resp.Choices[0].Message.Content == "" {
				t.Fatalf("chat: %v", err)
			}
			r, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: dep, ParallelToolCalls: openai.Bool(true),
				ToolChoice: responses.ResponseNewParamsToolChoiceUnion{OfToolChoiceMode: openai.Opt(responses.ToolChoiceOptionsAuto)},
				Input:      inputText("Say hello")})
			if err != nil || r.OutputText() == "" {
				t.Fatalf("responses: %v", err)
			}
		})
	}
}
