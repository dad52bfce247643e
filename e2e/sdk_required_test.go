package e2e

import (
	"reflect"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// TestChatRequiredFields checks that a chat completion has every field
// openai-go's ChatCompletion and its choice mark required (read from the
// SDK's struct tags, so a field a new SDK requires is checked too), on
// each wire format behind the router.
func TestChatRequiredFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, model := range []string{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"} {
		cc, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: model,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the capital of Peru?")}})
		if err != nil {
			t.Fatal(err)
		}
		checkRequired(t, "chat completion via "+model, cc.RawJSON(), reflect.TypeOf(openai.ChatCompletion{}))
		checkRequired(t, "chat choice via "+model, cc.Choices[0].RawJSON(), reflect.TypeOf(openai.ChatCompletionChoice{}))
		checkRequired(t, "chat message via "+model, cc.Choices[0].Message.RawJSON(), reflect.TypeOf(openai.ChatCompletionMessage{}))
	}
}

// TestStreamRequiredFields checks that every streamed Responses event
// and chat chunk has each field its openai-go type (the union's variant
// for the event's type) marks required.
func TestStreamRequiredFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, model := range []string{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"} {
		stream := e.Client.Responses.NewStreaming(ctxT(t), responses.ResponseNewParams{Model: model,
			Input: inputText("Write a few sentences about rivers."), Store: openai.Bool(false)})
		for stream.Next() {
			ev := stream.Current()
			checkRequired(t, ev.Type+" via "+model, ev.RawJSON(), reflect.TypeOf(ev.AsAny()))
		}
		if err := stream.Err(); err != nil {
			t.Fatal(err)
		}
		chunks := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{Model: model,
			Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write a few sentences about rivers.")},
			StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}})
		for chunks.Next() {
			c := chunks.Current()
			checkRequired(t, "chunk via "+model, c.RawJSON(), reflect.TypeOf(c))
			for _, ch := range c.Choices {
				checkRequired(t, "chunk choice via "+model, ch.RawJSON(), reflect.TypeOf(ch))
			}
		}
		if err := chunks.Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAnthropicMessageRequiredFields checks that a Message an Anthropic
// client gets has every member anthropic-sdk-go's Message and Usage mark
// required (container, diagnostics; usage's inference_geo,
// output_tokens_details, server_tool_use, speed …), complete and in
// message_start, whichever wire format answered.
func TestAnthropicMessageRequiredFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, model := range []string{"claude-haiku-4-5", "gpt-4o-mini", "gemini-2.5-flash"} {
		msg, err := c.Messages.New(ctxT(t), userMessage(model, "What is the capital of Peru?", 100))
		if err != nil {
			t.Fatal(err)
		}
		checkRequired(t, "message via "+model, msg.RawJSON(), reflect.TypeOf(sdk.Message{}))
		checkRequired(t, "usage via "+model, msg.Usage.RawJSON(), reflect.TypeOf(sdk.Usage{}))
		geo := map[bool]string{true: "global", false: "not_available"}[strings.HasPrefix(model, "claude")]
		if msg.Usage.InferenceGeo != geo || msg.Usage.Speed != "standard" {
			t.Errorf("via %s: inference_geo %q, speed %q; want %q (Claude's as it said, else not_available) and standard", model, msg.Usage.InferenceGeo, msg.Usage.Speed, geo)
		}
		stream := c.Messages.NewStreaming(ctxT(t), userMessage(model, "What is the capital of Peru?", 100))
		for stream.Next() {
			switch ev := stream.Current(); ev.Type {
			case "message_start":
				start := ev.AsMessageStart()
				checkRequired(t, "message_start via "+model, start.Message.RawJSON(), reflect.TypeOf(sdk.Message{}))
				checkRequired(t, "message_start usage via "+model, start.Message.Usage.RawJSON(), reflect.TypeOf(sdk.Usage{}))
			case "message_delta":
				checkRequired(t, "message_delta's delta via "+model, ev.AsMessageDelta().Delta.RawJSON(), reflect.TypeOf(sdk.MessageDeltaEventDelta{}))
			}
		}
		if err := stream.Err(); err != nil {
			t.Fatal(err)
		}
		stream.Close()
	}
}
