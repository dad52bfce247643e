package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	wire "switchyard/wire/anthropic"
)

// An OpenAI client's tool may name its properties as Claude refuses
// ("file path", "名前"): Claude gets them renamed, and the client gets
// Claude's calls with its own names, complete and streamed.
func TestClaudeToolPropertyNames(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	tool := openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
		Name: "save_row",
		Parameters: shared.FunctionParameters{
			"type": "object",
			"properties": map[string]any{
				"file path": map[string]any{"type": "string"},
				"名前":        map[string]any{"type": "string"},
				"row":       map[string]any{"type": "object", "properties": map[string]any{"Total ($M)": map[string]any{"type": "number"}}, "required": []string{"Total ($M)"}},
			},
			"required": []string{"file path", "名前", "row"},
		},
	})
	params := openai.ChatCompletionNewParams{Model: "claude-haiku-4-5",
		Messages:   []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Save the row for Ana in /tmp/a.csv")},
		Tools:      []openai.ChatCompletionToolUnionParam{tool},
		ToolChoice: openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String("required")}}
	resp, err := e.Client.Chat.Completions.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	if calls := resp.Choices[0].Message.ToolCalls; len(calls) != 1 {
		t.Fatalf("tool calls %+v", calls)
	} else {
		wantOwnPropertyNames(t, "complete", calls[0].Function.Arguments)
	}
	sent := string(tp.lastBody(t, "/v1/messages")["tools"])
	if strings.Contains(sent, `"file path"`+":") || !strings.Contains(sent, wire.PropertyKey("file path")) || !strings.Contains(sent, `"title":"名前"`) {
		t.Errorf("tools sent to Claude: %s", sent)
	}

	s := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
	var acc openai.ChatCompletionAccumulator
	for s.Next() {
		acc.AddChunk(s.Current())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if calls := acc.Choices[0].Message.ToolCalls; len(calls) != 1 {
		t.Fatalf("streamed tool calls %+v", calls)
	} else {
		wantOwnPropertyNames(t, "streamed", calls[0].Function.Arguments)
	}
}
