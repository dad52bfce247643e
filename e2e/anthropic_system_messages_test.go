package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// Claude Code (2.1.154 and later) puts system messages inside messages
// (the SDK's SystemMessageParam). Through the router, with the official
// SDK, complete and streamed: a Claude deployment gets each where it
// stands, an OpenAI one as a system message in place, a Gemini one in
// its systemInstruction; every one answers.
func TestAnthropicSystemMessagesInConversation(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	note := "Reminder: answer in one sentence."
	for _, c2 := range []struct{ dep, path string }{
		{"claude-sonnet-4-5", "/v1/messages"}, {"gpt-4o-mini", "/chat/completions"}, {"gemini-2.5-flash", ":"},
	} {
		for _, streamed := range []bool{false, true} {
			params := userMessage(c2.dep, "Hello there.", 300)
			params.Messages = append(params.Messages,
				sdk.NewAssistantMessage(sdk.NewTextBlock("Hi! How can I help?")),
				sdk.MessageParam{OfSystem: &sdk.SystemMessageParam{Content: []sdk.TextBlockParam{{Text: note}}}},
				sdk.NewUserMessage(sdk.NewTextBlock("What is the capital of France?")))
			msg := anthropicAsk(t, c, params, streamed)
			if len(msg.Content) == 0 || msg.Content[0].Text == "" {
				t.Fatalf("%s streamed %v: %+v", c2.dep, streamed, msg)
			}
			body := tp.lastBody(t, c2.path)
			switch c2.dep {
			case "claude-sonnet-4-5":
				var msgs []struct {
					Role string `json:"role"`
				}
				if err := json.Unmarshal(body["messages"], &msgs); err != nil || len(msgs) != 4 || msgs[2].Role != "system" || body["system"] != nil {
					t.Errorf("Claude got messages %s, system %s", body["messages"], body["system"])
				}
			case "gpt-4o-mini":
				var msgs []struct {
					Role    string `json:"role"`
					Content any    `json:"content"`
				}
				if err := json.Unmarshal(body["messages"], &msgs); err != nil || len(msgs) != 4 || msgs[2].Role != "system" {
					t.Errorf("OpenAI got %s", body["messages"])
				}
			default:
				if !strings.Contains(string(body["systemInstruction"]), note) {
					t.Errorf("Gemini got systemInstruction %s", body["systemInstruction"])
				}
			}
		}
	}
}
