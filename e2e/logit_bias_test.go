package e2e

import (
	"errors"
	"testing"

	"github.com/openai/openai-go/v3"
)

// A logit_bias OpenAI would refuse (a bias past 100) is the router's
// 400 naming the token, through openai-go, on Chat Completions and
// Completions alike, whichever provider the model is on: not an answer
// from a Claude deployment that drops logit_bias, nor an upstream's
// error.
func TestLogitBiasRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	bias := map[string]int64{"50256": 500}
	for _, model := range []string{"gpt-4o-mini", "claude-haiku-4-5"} {
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: model, LogitBias: bias,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hello")}})
		var ae *openai.Error
		if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Param != "logit_bias.50256" || ae.Type != "invalid_request_error" {
			t.Errorf("chat, %s: %v", model, err)
		}
	}
	_, err := e.Client.Completions.New(ctxT(t), openai.CompletionNewParams{Model: "gpt-3.5-turbo-instruct", LogitBias: bias,
		Prompt: openai.CompletionNewParamsPromptUnion{OfString: openai.String("Once")}})
	var ae *openai.Error
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Param != "logit_bias.50256" {
		t.Errorf("completions: %v", err)
	}
}
