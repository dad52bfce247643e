package e2e

import (
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
)

// A deployment whose host is reached on /v1/responses (vLLM serves it;
// without a reasoning parser its output_text holds the <think> block)
// has the block split as on Chat Completions: a Responses client asking
// for a summary gets it as the reasoning item, a Chat client as
// reasoning_content, an Anthropic client as a thinking block, streamed
// and not; none sees the tags in the text.
func TestThinkTagsResponsesUpstream(t *testing.T) {
	t.Parallel()
	e := thinkTagsEnv(t)
	checkThinkTagsSummary(t, e, "r1-responses")
	for _, stream := range []bool{false, true} {
		chat, rc := askDeepSeek(t, e, openai.ChatCompletionNewParams{Model: "r1-responses",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")}}, stream)
		if text := chat.Choices[0].Message.Content; rc != thinkTagsReasoning || text == "" || strings.Contains(text, "think>") {
			t.Errorf("Chat stream %v: reasoning_content %q, content %q", stream, rc, text)
		}
		params := userMessage("r1-responses", "Is 91 prime?", 4096)
		params.Thinking = sdk.ThinkingConfigParamOfEnabled(2048)
		msg := anthropicAsk(t, anthropicClient(e, "demo-key"), params, stream)
		if len(msg.Content) != 2 || msg.Content[0].Type != "thinking" || msg.Content[0].Thinking != thinkTagsReasoning ||
			strings.Contains(msg.Content[1].Text, "think>") {
			t.Errorf("Anthropic streamed %v: %+v", stream, msg.Content)
		}
	}
}
