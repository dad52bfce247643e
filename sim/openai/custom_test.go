package openai

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
)

// patchTool is Codex's apply_patch as a Chat Completions custom tool, its
// Lark grammar cut short.
func patchTool() sdk.ChatCompletionToolUnionParam {
	return sdk.ChatCompletionCustomTool(sdk.ChatCompletionCustomToolCustomParam{
		Name: "apply_patch", Description: sdk.String("Edit files."),
		Format: sdk.ChatCompletionCustomToolCustomFormatUnionParam{OfGrammar: &sdk.ChatCompletionCustomToolCustomFormatGrammarParam{
			Grammar: sdk.ChatCompletionCustomToolCustomFormatGrammarGrammarParam{Syntax: "lark", Definition: `start: begin_patch hunk+ end_patch
begin_patch: "*** Begin Patch" LF`},
		}},
	})
}

// A prompt naming a custom tool gets a custom call, complete and
// streamed, that the official SDK reads.
func TestSDKCustomTool(t *testing.T) {
	c := sdkClient(t)
	params := sdk.ChatCompletionNewParams{
		Model:    "gpt-sim",
		Messages: []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage("Use apply_patch to add hello.txt")},
		Tools:    []sdk.ChatCompletionToolUnionParam{patchTool()},
	}
	resp, err := c.Chat.Completions.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	calls := resp.Choices[0].Message.ToolCalls
	if len(calls) != 1 || calls[0].Type != "custom" || resp.Choices[0].FinishReason != "tool_calls" {
		t.Fatalf("calls %+v", calls)
	}
	call := calls[0].AsCustom()
	if call.Custom.Name != "apply_patch" || !strings.HasPrefix(call.Custom.Input, "*** Begin Patch\n") || !strings.HasPrefix(call.ID, "call_") {
		t.Errorf("custom call %+v", call)
	}

	stream := c.Chat.Completions.NewStreaming(context.Background(), params)
	defer stream.Close()
	var input strings.Builder
	name := ""
	for stream.Next() {
		for _, ch := range stream.Current().Choices {
			for _, tc := range ch.Delta.ToolCalls {
				var custom struct{ Name, Input string }
				if err := json.Unmarshal([]byte(tc.JSON.ExtraFields["custom"].Raw()), &custom); err != nil || tc.Type != "custom" {
					t.Fatalf("fragment %s: %v", tc.RawJSON(), err)
				}
				name += custom.Name
				input.WriteString(custom.Input)
			}
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if name != "apply_patch" || input.String() != call.Custom.Input {
		t.Errorf("streamed %q %q, want %q", name, input.String(), call.Custom.Input)
	}

	// The call sent back, answered, gets a text answer.
	params.Messages = append(params.Messages, resp.Choices[0].Message.ToParam(), sdk.ToolMessage("applied", call.ID))
	resp, err = c.Chat.Completions.New(context.Background(), params)
	if err != nil || !strings.Contains(resp.Choices[0].Message.Content, "applied") {
		t.Fatalf("answer %+v: %v", resp, err)
	}
}
