package main

import (
	"context"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

// The documents' anthropic-sdk-go snippets, verbatim (see
// docs_sdk_openai_test.go).

func _(ctx context.Context) (any, error) { // README.md: the Messages API
	client := anthropic.NewClient(option.WithBaseURL("http://localhost:8080"), option.WithAPIKey("demo-key"))
	msg, err := client.Messages.New(ctx, anthropic.MessageNewParams{Model: "auto", MaxTokens: 256,
		Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Hello"))}})
	return msg, err
}

func _(ctx context.Context) (any, error) { // docs/anthropic-api.md
	client := anthropic.NewClient(
		option.WithBaseURL("http://localhost:8080"), // no /v1: the SDK adds it
		option.WithAPIKey("sk-your-switchyard-key"), // sent as x-api-key
	)
	msg, err := client.Messages.New(ctx, anthropic.MessageNewParams{
		Model:     "auto",
		MaxTokens: 1024,
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Hello"))},
	})
	return msg, err
}
