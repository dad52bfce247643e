package openai

import (
	"context"
	"errors"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
)

// The official SDK reads the completions endpoint of a completions-only
// model, complete and streamed, with legacy log probabilities; a chat
// model asked there, and the completions-only one asked for a chat, are
// the API's 404s.
func TestSDKCompletions(t *testing.T) {
	c := sdkClient(t)
	ctx := context.Background()
	params := sdk.CompletionNewParams{Model: "instruct-sim", Prompt: sdk.CompletionNewParamsPromptUnion{OfString: sdk.String("Say hi")},
		MaxTokens: sdk.Int(50), Logprobs: sdk.Int(2), N: sdk.Int(2)}
	resp, err := c.Completions.New(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Object != "text_completion" || len(resp.Choices) != 2 || resp.Choices[1].Index != 1 || resp.Choices[0].Text == "" ||
		resp.Usage.TotalTokens != resp.Usage.PromptTokens+resp.Usage.CompletionTokens || len(resp.Choices[0].Logprobs.TopLogprobs[0]) != 2 {
		t.Fatalf("completion %+v", resp)
	}
	params.N, params.StreamOptions = sdk.Int(1), sdk.ChatCompletionStreamOptionsParam{IncludeUsage: sdk.Bool(true)}
	s := c.Completions.NewStreaming(ctx, params)
	var text strings.Builder
	var finish string
	var usage int64
	for s.Next() {
		ev := s.Current()
		for _, ch := range ev.Choices {
			text.WriteString(ch.Text)
			finish += string(ch.FinishReason)
		}
		usage += ev.Usage.TotalTokens
	}
	if err := s.Err(); err != nil || text.String() != resp.Choices[0].Text || finish != "stop" || usage != resp.Usage.PromptTokens+resp.Usage.CompletionTokens/2 {
		t.Errorf("streamed %q, finish %q, usage %d, %v", text.String(), finish, usage, err)
	}
	var apiErr *sdk.Error
	params.Model = "gpt-sim"
	if _, err := c.Completions.New(ctx, params); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || !strings.Contains(apiErr.Message, "This is a chat model") {
		t.Errorf("a chat model on /v1/completions: %v", err)
	}
	chat := sdk.ChatCompletionNewParams{Model: "instruct-sim", Messages: []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage("hi")}}
	if _, err := c.Chat.Completions.New(ctx, chat); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || !strings.Contains(apiErr.Message, "not a chat model") {
		t.Errorf("a completions model on /v1/chat/completions: %v", err)
	}
}
