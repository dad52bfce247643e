package gateway

import (
	"context"
	"testing"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/route"
)

// textProvider returns an upstream that streams one fixed answer.
func textProvider(text string) *llmtest.Provider {
	return &llmtest.Provider{Func: func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
		return llmtest.Script{Events: llmtest.Chunks(&llm.Chunk{Model: req.Model, Choices: []llm.ChunkChoice{{
			Delta: llm.Delta{Role: llm.RoleAssistant, Content: text}, FinishReason: llm.FinishStop}}})}
	}}
}

// TestJSONFenceStripped: a complete answer to a JSON request loses a fence
// around one JSON value, and only then. The gateway's own copy used to turn
// an answer with two fenced blocks into broken text.
func TestJSONFenceStripped(t *testing.T) {
	twoBlocks := "```json\n{\"a\":1}\n```\nand\n```json\n{\"b\":2}\n```"
	tests := []struct {
		name   string
		format llm.ResponseFormatType
		text   string
		want   string
	}{
		{"json_object fenced", llm.FormatJSONObject, "```json\n{\"a\":1}\n```", `{"a":1}`},
		{"json_schema fenced", llm.FormatJSONSchema, "```\n[1]\n```", `[1]`},
		{"text untouched", llm.FormatText, "```json\n{\"a\":1}\n```", "```json\n{\"a\":1}\n```"},
		{"two blocks untouched", llm.FormatJSONObject, twoBlocks, twoBlocks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte(gwConfig), nil)
			if err != nil {
				t.Fatal(err)
			}
			g, err := New(cfg, Options{
				Providers: map[string]llm.ChatProvider{"p": textProvider(tt.text)},
				Classify: func(req *llm.Request) route.Features {
					return route.Features{Category: llm.CategoryChat, Confidence: 0.8, Needs: route.NeedsOf(req)}
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			req := hello("a")
			req.ResponseFormat = &llm.ResponseFormat{Type: tt.format}
			resp, err := g.Chat(context.Background(), req, nil, &llm.Served{})
			if err != nil {
				t.Fatal(err)
			}
			if got := resp.Choices[0].Message.Text(); got != tt.want {
				t.Errorf("text %q, want %q", got, tt.want)
			}
		})
	}
}
