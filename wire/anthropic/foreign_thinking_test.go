package anthropic

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// claudeSig is in the shape of Claude's signatures (long base64);
// deepSeekSig in that of DeepSeek's /anthropic endpoint (the message's
// UUID, NousResearch/hermes-agent#21048).
const (
	claudeSig   = "EqQBCkgIARABGAIiQOs2Gu7bRw8q6VtZ3k0FJ0jW1m5cYx2rZl3b9TqvH4oA0sdY1lBnR2sAq+/w=="
	deepSeekSig = "91cfbb94-554b-4136-8e21-fa02280d56ed"
)

// foreignHistory is a conversation an Anthropic-compatible host answered
// first, its thinking signed with sig: a finished turn, then, when loop
// is set, a tool call whose result ends the messages.
func foreignHistory(model, sig string, loop bool) *llm.Request {
	done := llm.TextMessage(llm.RoleAssistant, "Hello.")
	done.SetThinking([]llm.Thinking{{Text: "greet", Signature: sig}})
	msgs := []llm.Message{llm.TextMessage(llm.RoleUser, "hi"), done, llm.TextMessage(llm.RoleUser, "weather?")}
	if loop {
		call := llm.Message{Role: llm.RoleAssistant}
		call.SetToolCalls([]llm.ToolCall{{ID: "toolu_1", Type: "function", Name: "get_weather", Arguments: "{}"}})
		call.SetThinking([]llm.Thinking{{Text: "call it", Signature: sig}})
		res := llm.TextMessage(llm.RoleTool, "21C")
		res.SetToolCallID("toolu_1")
		msgs = append(msgs, call, res)
	}
	max := 4096
	return &llm.Request{Model: model, MaxTokens: &max, Messages: msgs,
		Reasoning: &llm.Reasoning{Effort: llm.EffortMedium},
		Tools:     []llm.Tool{{Type: "function", Name: "get_weather", Parameters: []byte(`{"type":"object"}`)}}}
}

// A Claude model is sent no thinking another host signed (Claude refuses
// it: "Invalid `signature` in `thinking` block"), and a tool loop left
// without its thinking so goes without thinking; Claude's own signatures
// go back, and a host that is not Claude gets its own signatures back.
func TestForeignThinkingSignatures(t *testing.T) {
	for _, tc := range []struct {
		name, model, sig string
		loop             bool
		kept             int  // thinking blocks sent
		thinks           bool // the request thinks
	}{
		{"DeepSeek's signature to Claude", "claude-sonnet-4-5", deepSeekSig, false, 0, true},
		{"DeepSeek's signature to Claude in a tool loop", "claude-sonnet-4-5", deepSeekSig, true, 0, false},
		{"Claude's signature to Claude", "claude-sonnet-4-5", claudeSig, true, 2, true},
		{"DeepSeek's signature to DeepSeek", "deepseek-v4-pro", deepSeekSig, true, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := FromLLM(foreignHistory(tc.model, tc.sig, tc.loop))
			if err != nil {
				t.Fatal(err)
			}
			kept := 0
			for _, m := range out.Messages {
				for _, b := range m.Content {
					if b.Type == BlockThinking {
						kept++
					}
				}
			}
			if kept != tc.kept || (out.Thinking != nil) != tc.thinks {
				t.Errorf("%d thinking blocks sent, thinking %+v; want %d, thinking %v", kept, out.Thinking, tc.kept, tc.thinks)
			}
		})
	}
}

func TestClaudeSignature(t *testing.T) {
	for sig, want := range map[string]bool{
		claudeSig: true, deepSeekSig: false, "": false, "s1": true, "sig-1": false, strings.Repeat("A", 60) + ":x": false,
	} {
		if got := ClaudeSignature(sig); got != want {
			t.Errorf("ClaudeSignature(%q) = %v, want %v", sig, got, want)
		}
	}
}
