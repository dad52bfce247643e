package anthropic

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"switchyard/llm"
)

// tinyPDF is testdata/tiny.pdf (one page), base64-encoded.
func tinyPDF(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/tiny.pdf")
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// documentsBody is a request holding a document of every source type.
func documentsBody(pdf string) string {
	return `{"model":"claude","max_tokens":300,"messages":[{"role":"user","content":[
		{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"` + pdf + `"},
		 "title":"Annual report","context":"From the finance team","citations":{"enabled":true},"cache_control":{"type":"ephemeral"}},
		{"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}},
		{"type":"document","source":{"type":"text","media_type":"text/plain","data":"The grass is green."},"title":"Facts"},
		{"type":"document","source":{"type":"content","content":[{"type":"text","text":"Chunk one."},{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]},"citations":{"enabled":false}},
		{"type":"text","text":"Summarize them."}]}]}`
}

// Inbound then outbound: every document an Anthropic client sends reaches
// an Anthropic deployment as sent (source, title, context, citations,
// cache_control).
func TestDocumentRoundTrip(t *testing.T) {
	body := documentsBody(tinyPDF(t))
	in, err := DecodeMessagesRequest([]byte(body), false)
	if err != nil {
		t.Fatal(err)
	}
	out, err := FromLLM(decodeOK(t, body))
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(out); err != nil {
		t.Fatalf("FromLLM wrote an invalid request: %v", err)
	}
	a, _ := json.Marshal(in.Messages)
	b, _ := json.Marshal(out.Messages)
	jsonEqual(t, b, string(a))
}

// The canonical form of each source: what other wire formats read.
func TestDocumentToLLM(t *testing.T) {
	pdf := tinyPDF(t)
	req := decodeOK(t, documentsBody(pdf))
	parts := req.Messages[0].Content
	if len(parts) != 5 {
		t.Fatalf("got %d parts, want 5", len(parts))
	}
	pdfDoc := parts[0].Document()
	if parts[0].Type != llm.PartDocument || pdfDoc == nil || pdfDoc.MediaType != llm.MediaTypePDF || pdfDoc.Data != pdf ||
		pdfDoc.Title != "Annual report" || pdfDoc.Context != "From the finance team" || string(pdfDoc.Citations) != `{"enabled":true}` ||
		parts[0].Cache() != llm.Cache5m {
		t.Errorf("base64 document: %+v (cache %q)", pdfDoc, parts[0].Cache())
	}
	if d := parts[1].Document(); d == nil || d.URL != "https://example.com/a.pdf" || d.Data != "" {
		t.Errorf("url document: %+v", d)
	}
	if d := parts[2].Document(); d == nil || d.Text != "The grass is green." || d.Title != "Facts" {
		t.Errorf("text document: %+v", d)
	}
	d := parts[3].Document()
	if d == nil || len(d.Content) != 2 || d.Content[0].Text != "Chunk one." || d.Content[1].ImageURL() != "https://x/y.png" {
		t.Errorf("content document: %+v", d)
	}
	if parts[4].Text != "Summarize them." {
		t.Errorf("text after the documents: %+v", parts[4])
	}
}

// A content source given as a string reads as one text part.
func TestDocumentContentString(t *testing.T) {
	req := decodeOK(t, `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"content","content":"All of it."}},{"type":"text","text":"?"}]}]}`)
	d := req.Messages[0].Content[0].Document()
	if d == nil || len(d.Content) != 1 || d.Content[0].Text != "All of it." {
		t.Errorf("content string document: %+v", d)
	}
}

// Malformed documents are refused as the API refuses them.
func TestDocumentRejects(t *testing.T) {
	pdf := tinyPDF(t)
	doc := func(block string) string {
		return `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[` + block + `,{"type":"text","text":"x"}]}]}`
	}
	notPDF := base64.StdEncoding.EncodeToString([]byte("hello, not a PDF"))
	tests := []struct{ name, body, want string }{
		{"no source", doc(`{"type":"document"}`), "messages.0.content.0.document.source: Field required"},
		{"image media type", doc(`{"type":"document","source":{"type":"base64","media_type":"image/png","data":"` + pdf + `"}}`),
			"messages.0.content.0.document.source.base64.media_type: Input should be 'application/pdf'"},
		{"bad base64", doc(`{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"!!"}}`),
			"messages.0.content.0.pdf.source.base64.data: The PDF specified was not valid."},
		{"not a PDF", doc(`{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"` + notPDF + `"}}`),
			"messages.0.content.0.pdf.source.base64.data: The PDF specified was not valid."},
		{"ftp url", doc(`{"type":"document","source":{"type":"url","url":"ftp://x/a.pdf"}}`),
			"messages.0.content.0.document.source.url.url: Only HTTP and HTTPS URLs are supported"},
		{"text media type", doc(`{"type":"document","source":{"type":"text","media_type":"text/html","data":"x"}}`),
			"messages.0.content.0.document.source.text.media_type: Input should be 'text/plain'"},
		{"file source without id", doc(`{"type":"document","source":{"type":"file","file_id":" "}}`),
			"messages.0.content.0.document.source.file.file_id: Field required"},
		{"unknown source", doc(`{"type":"document","source":{"type":"blob"}}`),
			"messages.0.content.0.document.source: Input tag 'blob' found using 'type' does not match any of the expected tags: 'base64', 'content', 'file', 'text', 'url'"},
		{"image by file in content", doc(`{"type":"document","source":{"type":"content","content":[{"type":"image","source":{"type":"file","file_id":"f"}}]}}`),
			"messages.0.content.0.document.source.content.0.image.source: Input tag 'file' found using 'type' does not match any of the expected tags: 'base64', 'url'"},
		{"content missing", doc(`{"type":"document","source":{"type":"content"}}`), "messages.0.content.0.document.source.content: Field required"},
		{"content of documents", doc(`{"type":"document","source":{"type":"content","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}}`),
			"messages.0.content.0.document.source.content.0: Input tag 'document' found using 'type' does not match any of the expected tags: 'image', 'text'"},
		{"title too long", doc(`{"type":"document","title":"` + strings.Repeat("t", 501) + `","source":{"type":"text","media_type":"text/plain","data":"x"}}`),
			"messages.0.content.0.document.title: String should have at most 500 characters"},
		{"citations not an object", doc(`{"type":"document","citations":true,"source":{"type":"text","media_type":"text/plain","data":"x"}}`),
			"messages.0.content.0.document.citations: Input should be a valid dictionary"},
		{"in a tool result, not a PDF", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"` + notPDF + `"}}]}]}]}`,
			"messages.2.content.0.tool_result.content.0.pdf.source.base64.data: The PDF specified was not valid."},
		{"in an assistant turn", `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]}`,
			"content blocks of type 'document' are not supported by this router"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeRequest([]byte(tt.body))
			e := llm.AsError(err)
			if err == nil || e.Kind != llm.KindInvalidRequest || !strings.Contains(e.Message, tt.want) {
				t.Errorf("DecodeRequest: %v, want invalid_request containing %q", err, tt.want)
			}
		})
	}
}

// A PDF an OpenAI client sent as a file part reaches an Anthropic
// deployment as a base64 document, its filename as the title.
func TestFromLLMFileDocument(t *testing.T) {
	pdf := tinyPDF(t)
	doc := llm.DocumentPart(&llm.Document{MediaType: llm.MediaTypePDF, Data: pdf, Filename: "report.pdf"})
	req := &llm.Request{Model: "m", Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{doc, {Type: llm.PartText, Text: "Sum up."}}}}}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out.Messages)
	jsonEqual(t, b, `[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"`+pdf+`"},"title":"report.pdf"},{"type":"text","text":"Sum up."}]}]`)
	if err := Validate(out); err != nil {
		t.Errorf("FromLLM wrote an invalid request: %v", err)
	}

	other := llm.DocumentPart(&llm.Document{MediaType: "application/msword", Data: "AAAA"})
	req.Messages[0].Content[0] = other
	if _, err := FromLLM(req); err == nil || !strings.Contains(err.Error(), `media type "application/msword"`) {
		t.Errorf("a Word document: %v, want a refusal naming its media type", err)
	}
}
