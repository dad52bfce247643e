package classify

import (
	"strings"
	"testing"

	"switchyard/llm"
)

func userMsg(s string) llm.Message   { return llm.TextMessage(llm.RoleUser, s) }
func systemMsg(s string) llm.Message { return llm.TextMessage(llm.RoleSystem, s) }
func assistantMsg(s string) llm.Message {
	return llm.TextMessage(llm.RoleAssistant, s)
}

func TestRequestFeatures(t *testing.T) {
	c := Default()
	img := llm.Message{Role: llm.RoleUser, Content: []llm.Part{
		{Type: llm.PartText, Text: "What is in this picture?"},
		llm.ImagePart("https://example.com/cat.png", "low"),
	}}
	tests := []struct {
		name string
		req  llm.Request
		want Features // only the non-model fields are compared
	}{
		{
			name: "single turn",
			req:  llm.Request{Messages: []llm.Message{userMsg("Hello there, how are you?")}},
			want: Features{PromptTokens: 14, Language: "en"},
		},
		{
			name: "third turn with system prompt",
			req: llm.Request{Messages: []llm.Message{
				systemMsg("You are terse."), userMsg("hi"), assistantMsg("Hello!"),
				userMsg("what is 2+2"), assistantMsg("4"), userMsg("Wie spät ist es in Berlin?"),
			}},
			want: Features{Turn: 2, PromptTokens: 46, Language: "de"},
		},
		{
			name: "tool result after the last user message",
			req: llm.Request{
				Messages: []llm.Message{userMsg("¿Qué tiempo hace hoy en Madrid?"), assistantMsg(""),
					{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: `{"temp": 21}`}}, StringContent: true, Extra: &llm.MessageExtra{ToolCallID: "1"}}},
				Tools: []llm.Tool{{Type: "function", Name: "weather", Description: "Current weather", Parameters: []byte(`{"type":"object"}`)}},
			},
			want: Features{HasTools: true, PromptTokens: 46, Language: "es"},
		},
		{
			name: "json schema",
			req: llm.Request{
				Messages:       []llm.Message{userMsg("Extrais le nom et la date de ce texte : Jean est né le 3 mai 1990.")},
				ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "p", Schema: []byte(`{}`)},
			},
			want: Features{WantsJSON: true, PromptTokens: 25, Language: "fr"},
		},
		{
			name: "json object and code fence",
			req: llm.Request{
				Messages:       []llm.Message{userMsg("Fix this:\n```go\nfunc f() int { return \"x\" }\n```")},
				ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONObject},
			},
			want: Features{WantsJSON: true, HasCode: true, PromptTokens: 19, Language: "en"},
		},
		{
			name: "image",
			req:  llm.Request{Messages: []llm.Message{img}},
			want: Features{HasImages: true, PromptTokens: 98, Language: "en"},
		},
		{
			name: "documents: a text, a PDF's bytes, one by URL",
			req: llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{
				{Type: llm.PartText, Text: "Summarize these."},
				llm.DocumentPart(&llm.Document{Title: "Notes", Text: strings.Repeat("word ", 80)}),
				llm.DocumentPart(&llm.Document{MediaType: llm.MediaTypePDF, Data: strings.Repeat("QUJD", 1000)}),
				llm.DocumentPart(&llm.Document{URL: "https://example.com/a.pdf"}),
			}}}},
			want: Features{PromptTokens: 3 + 4 + 4 + 2 + 100 + 1000 + 1500, Language: "en"},
		},
		{
			name: "system only",
			req:  llm.Request{Messages: []llm.Message{systemMsg("请把下面的文章总结成三句话。")}},
			want: Features{PromptTokens: 21, Language: "zh"},
		},
		{
			name: "empty",
			req:  llm.Request{},
			want: Features{PromptTokens: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(&tt.req)
			if !got.Category.Valid() {
				t.Errorf("Category = %q, not a category", got.Category)
			}
			got.Category, got.Confidence, got.Scores = "", 0, [numClasses]float32{}
			if got != tt.want {
				t.Errorf("Classify features:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestTextTokens(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"abcd", 1},
		{"hello world!", 3},
		{strings.Repeat("a", 400), 100},
		{"日本語", 3},    // one token per CJK rune
		{"привет", 3}, // two Cyrillic runes per token
		{"😀😀", 4},     // two tokens per emoji
		{"café au lait", 4},
	}
	for _, tt := range tests {
		if got := textTokens(tt.text); got != tt.want {
			t.Errorf("textTokens(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestMessageTextDoesNotAllocateForOnePart(t *testing.T) {
	m := userMsg("hello")
	if n := testing.AllocsPerRun(100, func() { _ = messageText(&m) }); n != 0 {
		t.Errorf("messageText allocates %v times", n)
	}
	multi := llm.Message{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "a"}, {Type: llm.PartText, Text: "b"}}}
	if got := messageText(&multi); got != "ab" {
		t.Errorf("messageText(two parts) = %q", got)
	}
}
