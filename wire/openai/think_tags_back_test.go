package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
)

func TestSendsThinkTags(t *testing.T) {
	for _, tc := range []struct {
		model   string
		setting llm.ReasoningContent
		want    bool
	}{
		{"MiniMaxAI/MiniMax-M2", "", true},
		{"minimax-m2.1", "", true},
		{"MiniMax-M2", llm.ReasoningContentOmit, false},
		{"MiniMax-M2", llm.ReasoningContentSend, false},
		{"Qwen/Qwen3-32B", "", false},
		{"Qwen/Qwen3-32B", llm.ReasoningContentTags, true},
		{"deepseek-reasoner", "", false},
	} {
		req := &llm.Request{Model: tc.model, ReasoningContent: tc.setting}
		if got := SendsThinkTags(req); got != tc.want {
			t.Errorf("%s %q: %v, want %v", tc.model, tc.setting, got, tc.want)
		}
		if tc.want && SendsReasoningContent(req) {
			t.Errorf("%s %q: sent as tags and as reasoning_content", tc.model, tc.setting)
		}
	}
}

// Each assistant message with reasoning gets it back in its content, in
// the form MiniMax-M2's template renders; the others, and the caller's
// slice, are left as they were.
func TestThinkTagsBack(t *testing.T) {
	withReasoning := func(text, r string) llm.Message {
		m := llm.TextMessage(llm.RoleAssistant, text)
		m.SetThinking([]llm.Thinking{{Text: r}})
		return m
	}
	call := llm.Message{Role: llm.RoleAssistant}
	call.SetToolCalls([]llm.ToolCall{{ID: "call_1", Name: "get_weather", Arguments: "{}"}})
	call.SetThinking([]llm.Thinking{{Text: "I need the weather.\n"}})
	tagged := llm.TextMessage(llm.RoleAssistant, "<think>\nold\n</think>\n\nhi")
	tagged.SetThinking([]llm.Thinking{{Text: "old"}})
	msgs := []llm.Message{
		llm.TextMessage(llm.RoleUser, "Is 91 prime?"),
		withReasoning("No: 91 = 7 × 13.", "91 is 7 times 13.\n"),
		llm.TextMessage(llm.RoleUser, "Weather in Paris?"),
		call,
		llm.TextMessage(llm.RoleAssistant, "plain"),
		tagged,
	}
	out := ThinkTagsBack(msgs)
	if got := out[1].Text(); got != "<think>\n91 is 7 times 13.\n</think>\n\nNo: 91 = 7 × 13." {
		t.Errorf("text turn: %q", got)
	}
	if got := out[3].Text(); got != "<think>\nI need the weather.\n</think>" || len(out[3].ToolCalls()) != 1 {
		t.Errorf("tool call turn: %q, calls %v", got, out[3].ToolCalls())
	}
	if out[4].Text() != "plain" || out[5].Text() != tagged.Text() || out[0].Text() != "Is 91 prime?" {
		t.Errorf("others changed: %q %q %q", out[4].Text(), out[5].Text(), out[0].Text())
	}
	if strings.Contains(msgs[1].Text(), "<think>") || msgs[3].Content != nil {
		t.Error("the caller's messages were changed")
	}
	if plain := msgs[:1]; &ThinkTagsBack(plain)[0] != &plain[0] {
		t.Error("copied messages with nothing to add")
	}
}
