package gemini

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// Documents reach Gemini as inline data (a PDF), text, or their content's
// parts, after their title and context; one by URL is refused.
func TestFromLLMDocument(t *testing.T) {
	const pdf = "JVBERi0xLjQK"
	tests := []struct {
		name string
		doc  llm.Document
		want string
	}{
		{"pdf", llm.Document{MediaType: llm.MediaTypePDF, Data: pdf, Filename: "r.pdf"},
			`{"inlineData":{"mimeType":"application/pdf","data":"` + pdf + `"}}`},
		{"pdf with a title", llm.Document{MediaType: llm.MediaTypePDF, Data: pdf, Title: "Report", Context: "Q3"},
			`{"text":"Document title: Report\nDocument context: Q3"},{"inlineData":{"mimeType":"application/pdf","data":"` + pdf + `"}}`},
		{"text", llm.Document{Text: "Green grass."}, `{"text":"Green grass."}`},
		{"content", llm.Document{Content: []llm.Part{{Type: llm.PartText, Text: "One."}, llm.ImagePart("data:image/png;base64,AAAA", "")}},
			`{"text":"One."},{"inlineData":{"mimeType":"image/png","data":"AAAA"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &llm.Request{Model: "gemini-2.5-flash", Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{llm.DocumentPart(&tt.doc), {Type: llm.PartText, Text: "Sum up."}}}}}
			out, err := FromLLM(req)
			if err != nil {
				t.Fatal(err)
			}
			jsonEq(t, out.Contents, `[{"role":"user","parts":[`+tt.want+`,{"text":"Sum up."}]}]`)
		})
	}
	req := &llm.Request{Model: "gemini-2.5-flash", Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{llm.DocumentPart(&llm.Document{URL: "https://x/a.pdf"})}}}}
	_, err := FromLLM(req)
	if e := llm.AsError(err); err == nil || e.Kind != llm.KindInvalidRequest || !strings.Contains(e.Message, "documents by URL") {
		t.Errorf("a document by URL: %v, want an invalid_request refusal", err)
	}
}
