package openai

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// TestStringContent: with ChatOptions.StringContent, every message of
// text alone is written as one string (an array's parts joined by a
// blank line), whatever its role; one with an image keeps its parts.
// Without it, each keeps the client's form.
func TestStringContent(t *testing.T) {
	text := func(role llm.Role, texts ...string) llm.Message {
		m := llm.Message{Role: role}
		for _, s := range texts {
			m.Content = append(m.Content, llm.Part{Type: llm.PartText, Text: s})
		}
		return m
	}
	tool := text(llm.RoleTool, `{"temp_c": 4}`)
	tool.SetToolCallID("call_1")
	img := text(llm.RoleUser, "What is this?")
	img.Content = append(img.Content, llm.ImagePart("https://example.com/a.png", ""))
	req := &llm.Request{Model: "deepseek-chat", Messages: []llm.Message{
		text(llm.RoleSystem, "You are terse.", "Answer in French."),
		text(llm.RoleUser, "Hi"),
		llm.TextMessage(llm.RoleAssistant, "Bonjour"),
		text(llm.RoleAssistant, "Un", "deux"),
		tool,
		img,
	}}
	for _, tc := range []struct {
		asString bool
		want     []string
	}{
		{true, []string{`"You are terse.\n\nAnswer in French."`, `"Hi"`, `"Bonjour"`, `"Un\n\ndeux"`, `"{\"temp_c\": 4}"`, `[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]`}},
		{false, []string{`[{"type":"text","text":"You are terse."},{"type":"text","text":"Answer in French."}]`, `[{"type":"text","text":"Hi"}]`, `"Bonjour"`, `[{"type":"text","text":"Un"},{"type":"text","text":"deux"}]`, `[{"type":"text","text":"{\"temp_c\": 4}"}]`, `[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]`}},
	} {
		body, err := EncodeChatRequestWith(req, ChatOptions{StringContent: tc.asString})
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Messages []struct {
				Content json.RawMessage `json:"content"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		for i, m := range got.Messages {
			if string(m.Content) != tc.want[i] {
				t.Errorf("string %v: messages[%d].content %s, want %s", tc.asString, i, m.Content, tc.want[i])
			}
		}
	}
}
