package anthropic

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/sim"
)

// The official Go SDK must talk to the simulator as to the real API: its
// decoders are strict about types, event names and the error shape.

func sdkClient(t *testing.T) (sdk.Client, *sim.Faults) {
	t.Helper()
	srv, faults := newServer(t)
	hc := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(hc.CloseIdleConnections)
	return sdk.NewClient(option.WithBaseURL(srv.URL), option.WithAPIKey("sk-ant-sim"),
		option.WithMaxRetries(0), option.WithHTTPClient(hc)), faults
}

func TestSDKMessage(t *testing.T) {
	c, _ := sdkClient(t)
	msg, err := c.Messages.New(context.Background(), sdk.MessageNewParams{
		Model:     sdk.Model(model),
		MaxTokens: 256,
		System:    []sdk.TextBlockParam{{Text: "You are terse."}},
		Messages:  []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("What is a quaternion?"))},
	})
	if err != nil {
		t.Fatal(err)
	}
	if msg.Role != "assistant" || msg.StopReason != sdk.StopReasonEndTurn || len(msg.Content) != 1 || msg.Content[0].Type != "text" || msg.Content[0].Text == "" {
		t.Errorf("message %+v", msg)
	}
	if msg.Usage.InputTokens == 0 || msg.Usage.OutputTokens == 0 {
		t.Errorf("usage %+v", msg.Usage)
	}
}

func TestSDKStream(t *testing.T) {
	c, _ := sdkClient(t)
	stream := c.Messages.NewStreaming(context.Background(), sdk.MessageNewParams{
		Model:     sdk.Model(model),
		MaxTokens: 256,
		Messages:  []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Tell me about streams."))},
	})
	defer stream.Close()
	var acc sdk.Message
	var text string
	events := 0
	for stream.Next() {
		ev := stream.Current()
		events++
		if err := acc.Accumulate(ev); err != nil {
			t.Fatal(err)
		}
		if ev.Type == "content_block_delta" && ev.Delta.Type == "text_delta" {
			text += ev.Delta.Text
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if events < 6 || text == "" || acc.StopReason != sdk.StopReasonEndTurn || len(acc.Content) != 1 || acc.Content[0].Text != text {
		t.Errorf("%d events, text %q, accumulated %+v", events, text, acc)
	}
	if acc.Usage.OutputTokens < 2 || acc.Usage.InputTokens == 0 {
		t.Errorf("accumulated usage %+v", acc.Usage)
	}
}

func TestSDKToolUse(t *testing.T) {
	c, _ := sdkClient(t)
	tool := sdk.ToolUnionParamOfTool(sdk.ToolInputSchemaParam{Properties: map[string]any{
		"location": map[string]any{"type": "string"},
	}, Required: []string{"location"}}, "get_weather")
	params := sdk.MessageNewParams{
		Model:      sdk.Model(model),
		MaxTokens:  256,
		Tools:      []sdk.ToolUnionParam{tool},
		ToolChoice: sdk.ToolChoiceUnionParam{OfAny: &sdk.ToolChoiceAnyParam{}},
		Messages:   []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Weather in Paris?"))},
	}
	msg, err := c.Messages.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if msg.StopReason != sdk.StopReasonToolUse || len(msg.Content) != 1 || msg.Content[0].Type != "tool_use" || string(msg.Content[0].Input) != `{"location":"example"}` {
		t.Fatalf("tool message %+v", msg)
	}
	// Send the result back, as the SDK's own helpers build it.
	params.ToolChoice = sdk.ToolChoiceUnionParam{}
	params.Messages = append(params.Messages, msg.ToParam(),
		sdk.NewUserMessage(sdk.NewToolResultBlock(msg.Content[0].ID, "18 degrees and sunny", false)))
	msg, err = c.Messages.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if msg.StopReason != sdk.StopReasonEndTurn || msg.Content[0].Text != "Based on the tool result: 18 degrees and sunny" {
		t.Errorf("answer %+v", msg)
	}
}

func TestSDKErrors(t *testing.T) {
	c, faults := sdkClient(t)
	tests := []struct {
		fault  sim.FaultKind
		status int
		typ    string
	}{
		{sim.FaultUnavailable, 529, "overloaded_error"},
		{sim.FaultRateLimit, 429, "rate_limit_error"},
		{sim.FaultServerError, 500, "api_error"},
	}
	for _, tt := range tests {
		faults.Add(sim.Fault{Kind: tt.fault, Count: 1})
		_, err := c.Messages.New(context.Background(), sdk.MessageNewParams{
			Model: sdk.Model(model), MaxTokens: 10,
			Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Hi"))},
		})
		var apiErr *sdk.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status || string(apiErr.Type()) != tt.typ || apiErr.RequestID == "" {
			t.Errorf("%s: err %v", tt.fault, err)
		}
	}
	// The SDK's stream surfaces a mid-stream cut as an error, never as a
	// clean end.
	stream := c.Messages.NewStreaming(context.Background(), sdk.MessageNewParams{
		Model: sdk.Model(model), MaxTokens: 100,
		Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Hi [[sim:cut]]"))},
	})
	defer stream.Close()
	for stream.Next() {
	}
	if stream.Err() == nil {
		t.Error("cut stream ended without an error")
	}
}

// Prompt caching through the SDK: a one-hour breakpoint on the system
// prompt is written, then read, and the SDK decodes every usage field,
// complete and streamed (where message_start carries the input counts).
func TestSDKPromptCaching(t *testing.T) {
	c, _ := sdkClient(t)
	cc := sdk.NewCacheControlEphemeralParam()
	cc.TTL = sdk.CacheControlEphemeralTTLTTL1h
	params := sdk.MessageNewParams{
		Model: sdk.Model(model), MaxTokens: 64,
		System:   []sdk.TextBlockParam{{Text: strings.Repeat("Answer in the voice of a ship's log. ", 150), CacheControl: cc}},
		Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Where are we?"))},
	}
	first, err := c.Messages.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	u := first.Usage
	if u.CacheCreationInputTokens < 1024 || u.CacheCreation.Ephemeral1hInputTokens != u.CacheCreationInputTokens ||
		u.CacheCreation.Ephemeral5mInputTokens != 0 || u.CacheReadInputTokens != 0 || u.InputTokens == 0 {
		t.Fatalf("first usage %+v", u)
	}
	stream := c.Messages.NewStreaming(context.Background(), params)
	defer stream.Close()
	var acc sdk.Message
	for stream.Next() {
		if err := acc.Accumulate(stream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if v := acc.Usage; v.CacheReadInputTokens != u.CacheCreationInputTokens || v.CacheCreationInputTokens != 0 ||
		v.CacheCreation.Ephemeral1hInputTokens != 0 || v.InputTokens != u.InputTokens {
		t.Errorf("streamed second usage %+v, want %d read", v, u.CacheCreationInputTokens)
	}
}

// A document with citations enabled gets a text block quoting it with a
// char_location citation, complete and streamed (the SDK accumulating
// citations_delta events into the block).
func TestSDKCitations(t *testing.T) {
	c, _ := sdkClient(t)
	params := sdk.MessageNewParams{Model: sdk.Model(model), MaxTokens: 256,
		Messages: []sdk.MessageParam{sdk.NewUserMessage(
			sdk.ContentBlockParamUnion{OfDocument: &sdk.DocumentBlockParam{Citations: sdk.CitationsConfigParam{Enabled: sdk.Bool(true)},
				Source: sdk.DocumentBlockParamSourceUnion{OfText: &sdk.PlainTextSourceParam{Data: "Ünïcode counts runes. Second."}}}},
			sdk.NewTextBlock("What does it count?"))}}
	check := func(how string, msg *sdk.Message) {
		t.Helper()
		if len(msg.Content) != 2 || len(msg.Content[1].Citations) != 1 {
			t.Fatalf("%s: %+v", how, msg.Content)
		}
		ct := msg.Content[1].Citations[0]
		if ct.Type != "char_location" || ct.CitedText != "Ünïcode counts runes." || ct.EndCharIndex != 21 || ct.DocumentTitle != "" || msg.Content[1].Text != " Ünïcode counts runes." {
			t.Errorf("%s: %+v in %+v", how, ct, msg.Content[1])
		}
	}
	msg, err := c.Messages.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	check("complete", msg)
	stream := c.Messages.NewStreaming(context.Background(), params)
	defer stream.Close()
	var acc sdk.Message
	for stream.Next() {
		if err := acc.Accumulate(stream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	check("streamed", &acc)
}
