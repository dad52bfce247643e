package anthropic

import (
	"net/http"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/store"
)

// A document block by file_id keeps its title, context and citations
// on the inlined document (PDF and text alike), as on a document sent by
// its bytes; one without them gets none.
func TestMessagesInlineFileKeepsDocumentFields(t *testing.T) {
	files := &memFiles{}
	b := &capturing{fakeBackend: fakeBackend{resp: &llm.Response{ID: "x", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "ok"), FinishReason: llm.FinishStop}}}}}
	h := filesServer(files, b)
	pdf := upload(t, h, "r.pdf", []byte("%PDF-1.4 hello"))
	txt := upload(t, h, "notes.txt", []byte("plain notes"))
	for _, id := range []string{pdf.ID, txt.ID} {
		b.got = nil
		block := `{"type":"document","source":{"type":"file","file_id":"` + id + `"},"title":"Q3 report","context":"From finance.","citations":{"enabled":true}}`
		w := do(t, h, http.MethodPost, "/v1/messages", "application/json", messagesWith(block))
		if w.Code != 200 || b.got == nil {
			t.Fatalf("%s: %d %s", id, w.Code, w.Body)
		}
		d := b.got.Messages[0].Content[0].Document()
		if d == nil || d.Title != "Q3 report" || d.Context != "From finance." || string(d.Citations) != `{"enabled":true}` {
			t.Errorf("%s: document %+v", id, d)
		}
	}
	b.got = nil
	w := do(t, h, http.MethodPost, "/v1/messages", "application/json", messagesWith(`{"type":"document","source":{"type":"file","file_id":"`+pdf.ID+`"}}`))
	if d := b.got.Messages[0].Content[0].Document(); w.Code != 200 || d == nil || d.Title != "" || d.Context != "" || d.Citations != nil {
		t.Errorf("without fields: %d %+v", w.Code, d)
	}
}

// A held file's type is its content's, sniffed: a PDF named .txt is a
// PDF document, UTF-8 text (HTML too) a text document, a PNG named .jpg
// a PNG; its name's extension counts only when the content says nothing
// (bytes of no known type), and when it then names a PDF or an image —
// which the provider would refuse as not one — the block is refused with
// a 400 saying so, before any routing.
func TestMessagesInlineFileTypeIsSniffed(t *testing.T) {
	files := &memFiles{}
	b := &capturing{fakeBackend: fakeBackend{resp: &llm.Response{ID: "x", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "ok"), FinishReason: llm.FinishStop}}}}}
	h := filesServer(files, b)
	pdfAsText := upload(t, h, "report.txt", []byte("%PDF-1.4 hello"))
	page := upload(t, h, "page.html", []byte("<html><body>Notes, é</body></html>"))
	pngAsJPEG := upload(t, h, "p.jpg", []byte("\x89PNG\r\n\x1a\n0000"))
	for _, c := range []struct {
		block string
		check func(p *llm.Part) bool
	}{
		{`{"type":"document","source":{"type":"file","file_id":"` + pdfAsText.ID + `"}}`, func(p *llm.Part) bool {
			d := p.Document()
			return d != nil && d.MediaType == llm.MediaTypePDF && d.Text == ""
		}},
		{`{"type":"document","source":{"type":"file","file_id":"` + page.ID + `"}}`, func(p *llm.Part) bool {
			d := p.Document()
			return d != nil && d.Text == "<html><body>Notes, é</body></html>"
		}},
		{`{"type":"image","source":{"type":"file","file_id":"` + pngAsJPEG.ID + `"}}`, func(p *llm.Part) bool {
			return p.Type == llm.PartImage && strings.HasPrefix(p.ImageURL(), "data:image/png;base64,")
		}},
	} {
		b.got = nil
		w := do(t, h, http.MethodPost, "/v1/messages", "application/json", messagesWith(c.block))
		if w.Code != 200 || b.got == nil || !c.check(&b.got.Messages[0].Content[0]) {
			t.Errorf("%s: %d %s; sent %+v", c.block, w.Code, w.Body, b.got)
		}
	}
	fakePDF := upload(t, h, "fake.pdf", []byte{0, 1, 2, 3, 0xff})
	fakePNG := upload(t, h, "fake.png", []byte{0, 1, 2, 3, 0xff})
	b.got = nil
	for _, c := range []struct{ block, want string }{
		{`{"type":"document","source":{"type":"file","file_id":"` + fakePDF.ID + `"}}`, "is named fake.pdf but its content is not a PDF"},
		{`{"type":"image","source":{"type":"file","file_id":"` + fakePNG.ID + `"}}`, "is named fake.png but its content is not a PNG image"},
	} {
		w := do(t, h, http.MethodPost, "/v1/messages", "application/json", messagesWith(c.block))
		if w.Code != 400 || !strings.Contains(w.Body.String(), c.want) || b.got != nil {
			t.Errorf("%s: %d %s, want 400 %q", c.block, w.Code, w.Body, c.want)
		}
	}
}

// A file's mime_type is its content's, sniffed when it was uploaded (a
// PDF named .txt shows application/pdf; UTF-8 named .bin text/plain;
// bytes of no known type named .pdf application/octet-stream, not the
// PDF the name claims), in the upload's answer, its metadata and the
// list; a file kept without one (written by the router, or stored
// before) shows its name's extension's.
func TestFilesMimeTypeIsSniffed(t *testing.T) {
	files := &memFiles{}
	h := filesServer(files, &fakeBackend{})
	for _, c := range []struct {
		name, content, want string
	}{
		{"report.txt", "%PDF-1.4 x", "application/pdf"},
		{"notes.bin", "plain notes", "text/plain"},
		{"fake.pdf", "\x00\x01\x02\xff", "application/octet-stream"},
		{"dot.jpg", "\x89PNG\r\n\x1a\n0000", "image/png"},
	} {
		m := upload(t, h, c.name, []byte(c.content))
		if m.MimeType != c.want {
			t.Errorf("upload of %s: mime_type %q, want %q", c.name, m.MimeType, c.want)
		}
		w := do(t, h, http.MethodGet, "/v1/files/"+m.ID, "", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"mime_type":"`+c.want+`"`) {
			t.Errorf("metadata of %s: %d %s, want %s", c.name, w.Code, w.Body, c.want)
		}
	}
	w := do(t, h, http.MethodGet, "/v1/files?limit=10", "", nil)
	for _, want := range []string{"application/pdf", "text/plain", "application/octet-stream", "image/png"} {
		if !strings.Contains(w.Body.String(), `"mime_type":"`+want+`"`) {
			t.Errorf("list: %s lacks %s", w.Body, want)
		}
	}
	if m := metadataOf(&store.File{ID: "file-out", Filename: "out.jsonl"}); m.MimeType != "application/jsonl" && m.MimeType != "application/octet-stream" {
		t.Errorf("a file without a sniffed type: %q, want its extension's", m.MimeType)
	}
	if m := metadataOf(&store.File{ID: "file-old", Filename: "old.pdf"}); m.MimeType != "application/pdf" {
		t.Errorf("a file stored before: %q, want its extension's", m.MimeType)
	}
}
