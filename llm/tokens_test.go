package llm

import (
	"encoding/json"
	"testing"
)

// PromptTokens walks every part of a request the same way for every
// text counter: here one token per byte, so each term can be checked.
func TestPromptTokens(t *testing.T) {
	perByte := func(s string) int { return len(s) }
	call := Message{Role: RoleAssistant}
	call.SetToolCalls([]ToolCall{{ID: "c1", Name: "get", Arguments: `{"a":1}`}})
	req := &Request{
		Messages: []Message{
			TextMessage(RoleSystem, "sys"),
			{Role: RoleUser, Content: []Part{
				{Type: PartText, Text: "look"},
				ImagePart("https://x/a.png", "low"),
				ImagePart("https://x/b.png", "high"),
				ImagePart("https://x/c.png", ""),
				DocumentPart(&Document{Title: "t", Text: "body", Data: "QUJDRA==", URL: ""}),
				DocumentPart(&Document{URL: "https://x/d.pdf"}),
			}},
			call,
		},
		Tools: []Tool{{Type: "function", Name: "get", Description: "gets", Parameters: json.RawMessage(`{"type":"object"}`)}},
	}
	want := TokensReplyPriming +
		3*TokensPerMessage + len("sys") +
		len("look") + TokensImageLow + 2*TokensImage + len("t") + len("body") + 2 + TokensURLDocument +
		TokensPerToolCall + len("get") + len(`{"a":1}`) +
		TokensPerTool + len("get") + len("gets") + (len(`{"type":"object"}`)+3)/4
	if got := PromptTokens(req, perByte); got != want {
		t.Errorf("PromptTokens = %d, want %d", got, want)
	}
	if got := PromptTokens(&Request{}, perByte); got != TokensReplyPriming {
		t.Errorf("empty request: %d", got)
	}
}
