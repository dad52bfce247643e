package route

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// TestDocumentNeeds checks what documents require: a PDF's bytes or a text
// nothing beyond what every deployment takes; a document by URL a
// deployment that fetches it; a content document's images vision. A file
// by id needs a deployment that resolves it, one by its bytes that the
// Responses API reads file_data, any other file other parts.
func TestDocumentNeeds(t *testing.T) {
	doc := func(d llm.Document) *llm.Request {
		return &llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{llm.DocumentPart(&d)}}}}
	}
	tests := []struct {
		name string
		req  *llm.Request
		want string
	}{
		{"pdf bytes", doc(llm.Document{MediaType: llm.MediaTypePDF, Data: "JVBERi0x"}), "vision"},
		{"text", doc(llm.Document{Text: "x"}), ""},
		{"url", doc(llm.Document{URL: "https://x/a.pdf"}), "vision,document_url"},
		{"content with an image", doc(llm.Document{Content: []llm.Part{llm.ImagePart("https://x/y.png", "")}}), "vision"},
		{"file by id", &llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{
			llm.OtherPart(json.RawMessage(`{"type":"file","file":{"file_id":"file-1"}}`))}}}}, "file_id"},
		{"file by bytes, not a PDF", &llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{
			llm.OtherPart(json.RawMessage(`{"type":"file","file":{"file_data":"data:text/csv;base64,YSxi","filename":"a.csv"}}`))}}}}, "file_data"},
		{"file by bytes, audio", &llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{
			llm.OtherPart(json.RawMessage(`{"type":"file","file":{"file_data":"data:audio/mpeg;base64,SUQz","filename":"a.mp3"}}`))}}}}, "other_parts"},
	}
	for _, tt := range tests {
		if got := NeedsOf(tt.req).String(); got != tt.want {
			t.Errorf("%s: needs %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestDocumentRoutes checks which deployments a route keeps for documents:
// every one for a PDF's bytes (Claude included, which content_parts used
// to skip), Anthropic's alone for a document by URL, with an honest
// reason for the others; pinned elsewhere, a URL is a 400.
func TestDocumentRoutes(t *testing.T) {
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	pdf := &llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{
		llm.DocumentPart(&llm.Document{MediaType: llm.MediaTypePDF, Data: "JVBERi0x"})}}}}
	plan := mustPlan(t, p, req("mixed", llm.CategoryChat, func(in *Input) { in.Features.Needs = NeedsOf(pdf) }))
	if got := order(plan); !strings.Contains(got, "claude") || len(plan.Explanation.Rejected) != 0 {
		t.Errorf("a PDF: plan %s, rejected %+v; want every deployment", got, plan.Explanation.Rejected)
	}

	// A PDF needs a model that sees: deployments that declare their
	// capabilities without vision (o3-mini refuses PDF input) are passed
	// over, here all of route reasoners'.
	_, err = p.Plan(req("reasoners", llm.CategoryChat, func(in *Input) { in.Features.Needs = NeedsOf(pdf) }))
	wantErr(t, err, llm.KindInvalidRequest, "does not accept images or PDFs")

	byURL := func(in *Input) { in.Features.Needs = NeedDocumentURL }
	plan = mustPlan(t, p, req("mixed", llm.CategoryChat, byURL))
	if got := order(plan); got != "claude" {
		t.Errorf("a document by URL: plan %s, want claude", got)
	}
	for _, name := range []string{"gpt", "flash"} {
		r := findRejection(plan, name)
		if r == nil || r.Reason != ReasonDocumentURL || r.Detail() != "takes no document by URL (only Anthropic deployments, and OpenAI ones called on the Responses API, fetch one); send the PDF's bytes" {
			t.Errorf("%s rejection %+v", name, r)
		}
	}
	_, err = p.Plan(req("gpt", llm.CategoryChat, byURL))
	wantErr(t, err, llm.KindInvalidRequest, "takes no document by URL")
}
