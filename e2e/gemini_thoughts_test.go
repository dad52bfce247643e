package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"
)

// A Responses client that asks for a reasoning summary on a Gemini
// deployment gets Gemini's thought summary as the reasoning item's
// summary, streamed and complete (Gemini was asked for includeThoughts);
// the answer's text holds none of it.
func TestGeminiThoughtsAsReasoningSummary(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	params := responses.ResponseNewParams{Model: "gemini-2.5-pro",
		Input:     responses.ResponseNewParamsInputUnion{OfString: openai.String("Is 91 prime?")},
		Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow, Summary: shared.ReasoningSummaryAuto}}
	rs, _, streamed := streamedReasoning(t, e, params)
	if len(rs.Summary) != 1 || rs.Summary[0].Text != streamed || !strings.Contains(streamed, "Considering the question") {
		t.Errorf("streamed reasoning %s, summary deltas %q", rs.RawJSON(), streamed)
	}
	var body struct {
		GenerationConfig struct {
			ThinkingConfig struct {
				IncludeThoughts bool `json:"includeThoughts"`
			} `json:"thinkingConfig"`
		} `json:"generationConfig"`
	}
	if err := json.Unmarshal(mustJSON(tp.lastBody(t, "GenerateContent")), &body); err != nil || !body.GenerationConfig.ThinkingConfig.IncludeThoughts {
		t.Errorf("Gemini was not asked for its thoughts (%v)", err)
	}
	got, err := e.Client.Responses.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	if got.Output[0].Type != "reasoning" || len(got.Output[0].AsReasoning().Summary) != 1 || strings.Contains(got.OutputText(), "Considering the question") {
		t.Errorf("complete: %s", got.RawJSON())
	}
}

// An Anthropic client thinking on a Gemini deployment sees the thought
// summary as a thinking block (unsigned: Gemini signs none); sent back in
// the next turn, which goes to Claude, the block is left out (Claude
// would refuse an unsigned block) and Claude thinks afresh.
func TestGeminiThoughtsToAnthropicClient(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	params := userMessage("gemini-2.5-pro", "Is 91 prime?", 4096)
	params.Thinking = sdk.ThinkingConfigParamOfEnabled(2048)
	msg := anthropicAsk(t, c, params, true)
	if len(msg.Content) < 2 || msg.Content[0].Type != "thinking" || !strings.Contains(msg.Content[0].Thinking, "Considering the question") ||
		msg.Content[1].Type != "text" || strings.Contains(msg.Content[1].Text, "Considering") {
		t.Fatalf("answer %+v", msg.Content)
	}
	params.Model = "claude-sonnet-4-5"
	params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewTextBlock("And 97?")))
	next := anthropicAsk(t, c, params, false)
	if len(next.Content) == 0 || next.Content[0].Type != "thinking" || next.Content[0].Signature == "" {
		t.Errorf("Claude's answer %+v", next.Content)
	}
	var sent struct {
		Messages []struct {
			Role    string            `json:"role"`
			Content []json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(mustJSON(tp.lastBody(t, "/v1/messages")), &sent); err != nil || len(sent.Messages) != 3 {
		t.Fatalf("sent to Claude: %+v (%v)", sent, err)
	}
	if blocks := thinkingBlocksOf(t, sent.Messages[1].Content); len(blocks) != 0 {
		t.Errorf("Gemini's unsigned thought reached Claude: %v", blocks)
	}
}
