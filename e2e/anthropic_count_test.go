package e2e

import (
	"errors"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// Messages.CountTokens takes what a Messages request would carry except
// max_tokens, which its parameters do not have: a request that asks for
// thinking, with tools and a system prompt marked for caching, counts as
// the API counts it instead of failing on the budget check that needs
// max_tokens.
func TestAnthropicCountTokensWithThinkingAndTools(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	msgs := []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("What is the weather in Lima?"))}
	plain, err := c.Messages.CountTokens(ctxT(t), sdk.MessageCountTokensParams{Model: "claude-sonnet-4-5", Messages: msgs})
	if err != nil {
		t.Fatal(err)
	}
	tool := anthropicWeatherTool()
	full, err := c.Messages.CountTokens(ctxT(t), sdk.MessageCountTokensParams{Model: "claude-sonnet-4-5", Messages: msgs,
		System:     sdk.MessageCountTokensParamsSystemUnion{OfTextBlockArray: []sdk.TextBlockParam{{Text: "You are a weather assistant.", CacheControl: sdk.NewCacheControlEphemeralParam()}}},
		Tools:      []sdk.MessageCountTokensToolUnionParam{{OfTool: tool.OfTool}},
		ToolChoice: sdk.ToolChoiceUnionParam{OfAuto: &sdk.ToolChoiceAutoParam{}},
		Thinking:   sdk.ThinkingConfigParamOfEnabled(2048),
	})
	if err != nil {
		t.Fatalf("count_tokens with thinking, tools and a system prompt: %v", err)
	}
	if full.InputTokens <= plain.InputTokens {
		t.Errorf("count_tokens: %d with system and tools, %d without", full.InputTokens, plain.InputTokens)
	}
}

// count_tokens names a model as the Messages API does: one the caller
// cannot ask for is a 404 not_found_error, as Anthropic answers it, not a
// count for a model that does not exist.
func TestAnthropicCountTokensUnknownModel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	msgs := []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Hi"))}
	_, err := c.Messages.CountTokens(ctxT(t), sdk.MessageCountTokensParams{Model: "claude-nope", Messages: msgs})
	var ae *sdk.Error
	if !errors.As(err, &ae) || ae.StatusCode != 404 || ae.Type() != "not_found_error" || !strings.Contains(ae.RawJSON(), "claude-nope") {
		t.Fatalf("want a 404 not_found_error naming the model, got %v", err)
	}
	for _, model := range []string{"auto", "claude-haiku-4-5", "gemini-2.5-flash"} {
		if _, err := c.Messages.CountTokens(ctxT(t), sdk.MessageCountTokensParams{Model: sdk.Model(model), Messages: msgs}); err != nil {
			t.Errorf("%s: %v", model, err)
		}
	}
}
