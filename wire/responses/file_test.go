package responses

import (
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// userPart decodes a request whose one user message holds part (JSON)
// and returns that message's content part.
func userPart(t *testing.T, part string) llm.Part {
	t.Helper()
	r := decodeOK(t, `{"model":"m","input":[{"role":"user","content":[`+part+`,{"type":"input_text","text":"Summarize."}]}]}`)
	if c := r.Chat.Messages[0].Content; len(c) == 2 {
		return c[0]
	}
	t.Fatalf("content %+v", r.Chat.Messages[0].Content)
	return llm.Part{}
}

// An input_file holding a PDF's bytes is the document chat's file part
// is, keeping that part (which an OpenAI-format upstream gets as sent).
func TestInputFilePDF(t *testing.T) {
	p := userPart(t, `{"type":"input_file","filename":"tiny.pdf","file_data":"data:application/pdf;base64,JVBERi0=","detail":"high"}`)
	doc := p.Document()
	if p.Type != llm.PartDocument || doc == nil || doc.MediaType != llm.MediaTypePDF || doc.Data != "JVBERi0=" || doc.Filename != "tiny.pdf" {
		t.Fatalf("part %+v, document %+v", p, doc)
	}
	if want := `{"type":"file","file":{"filename":"tiny.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}`; string(p.Raw()) != want {
		t.Errorf("raw %s, want chat's file part %s", p.Raw(), want)
	}
}

// A file other than a PDF, or by file_id, is what chat makes of the same
// file part: a part passed through as sent (routed as chat routes it).
func TestInputFileOthers(t *testing.T) {
	for part, want := range map[string]string{
		`{"type":"input_file","filename":"a.csv","file_data":"data:text/csv;base64,YSxi"}`: `{"type":"file","file":{"filename":"a.csv","file_data":"data:text/csv;base64,YSxi"}}`,
		`{"type":"input_file","file_id":"file-abc","file_data":null}`:                      `{"type":"file","file":{"file_id":"file-abc"}}`,
		`{"type":"input_file","file_id":"file-abc","filename":"r.pdf"}`:                    `{"type":"file","file":{"filename":"r.pdf","file_id":"file-abc"}}`,
	} {
		p := userPart(t, part)
		if p.Type != llm.PartOther || string(p.Raw()) != want {
			t.Errorf("%s: part %s %s, want other %s", part, p.Type, p.Raw(), want)
		}
	}
}

// A file by URL is a document by URL (only Anthropic's API fetches one),
// named by its filename.
func TestInputFileURL(t *testing.T) {
	p := userPart(t, `{"type":"input_file","file_url":"https://example.com/report.pdf","filename":"report.pdf"}`)
	doc := p.Document()
	if p.Type != llm.PartDocument || doc == nil || doc.URL != "https://example.com/report.pdf" || doc.Filename != "report.pdf" || doc.Data != "" || p.Raw() != nil {
		t.Fatalf("part %+v, document %+v", p, doc)
	}
}

func TestInputFileErrors(t *testing.T) {
	const at = "input[0].content[1]"
	for _, tc := range []struct{ part, param, says string }{
		{`{"type":"input_file"}`, at, "one of 'file_data', 'file_id' or 'file_url'"},
		{`{"type":"input_file","filename":"a.pdf","file_data":null}`, at, "one of 'file_data', 'file_id' or 'file_url'"},
		{`{"type":"input_file","file_id":"f","file_url":"https://x/a.pdf"}`, at, "only one of"},
		{`{"type":"input_file","file_id":""}`, at + ".file_id", "empty string"},
		{`{"type":"input_file","file_data":"JVBERi0="}`, at + ".file_data", "data URL"},
		{`{"type":"input_file","file_data":"data:application/pdf,JVBERi0="}`, at + ".file_data", "data URL"},
		{`{"type":"input_file","file_data":"data:;base64,JVBERi0="}`, at + ".file_data", "data URL"},
		{`{"type":"input_file","file_data":"data:application/pdf;base64,"}`, at + ".file_data", "data URL"},
		{`{"type":"input_file","file_data":"data:application/pdf;base64,JVB*Ri0="}`, at + ".file_data", "base64"},
		{`{"type":"input_file","file_data":"data:application/pdf;base64,JVBERi0"}`, at + ".file_data", "base64"},
		{`{"type":"input_file","file_data":"data:application/pdf;base64,JV=ERi0="}`, at + ".file_data", "base64"},
		{`{"type":"input_file","file_url":"ftp://x/a.pdf"}`, at + ".file_url", "http(s) URL"},
		{`{"type":"input_file","file_url":"https://"}`, at + ".file_url", "http(s) URL"},
		{`{"type":"input_file","file_id":"f","detail":"max"}`, at + ".detail", "'auto', 'low'"},
		{`{"type":"input_file","file_id":"f","image_url":"u"}`, at + ".image_url", "Unknown parameter"},
		{`{"type":"input_text","text":"a","file_data":"data:text/plain;base64,YQ=="}`, at + ".file_data", "Unknown parameter"},
	} {
		body := `{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"a"},` + tc.part + `]}]}`
		wantDecodeError(t, body, tc.param, tc.says)
	}
	wantDecodeError(t, `{"model":"m","input":[{"role":"assistant","content":[{"type":"input_file","file_id":"f"}]}]}`,
		"input[0].content[0].type", "do not belong in assistant messages")
	wantDecodeError(t, `{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_file","file_data":"JVBERi0="}]}]}`,
		"input[1].output[0].file_data", "data URL")
}

func wantDecodeError(t *testing.T, body, param, says string) {
	t.Helper()
	_, err := DecodeRequest([]byte(body))
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.HTTPStatus() != 400 {
		t.Errorf("%s: error %v, want invalid_request", body, err)
		return
	}
	if e.Param != param || !strings.Contains(e.Message, says) {
		t.Errorf("%s:\n got param %q message %q\nwant param %q message containing %q", body, e.Param, e.Message, param, says)
	}
}

// An image by file_id is the part the router resolves to the image's
// bytes (wire.FileRefOf finds it, with its detail); never an image by URL
// an upstream would be sent as is.
func TestInputImageFileID(t *testing.T) {
	p := userPart(t, `{"type":"input_image","file_id":"file-img","detail":"low"}`)
	if p.Type != llm.PartOther || string(p.Raw()) != `{"type":"image_file","image_file":{"file_id":"file-img","detail":"low"}}` {
		t.Fatalf("part %s %s", p.Type, p.Raw())
	}
	ref, ok := wire.FileRefOf(&p)
	if !ok || ref != (wire.FileRef{ID: "file-img", Detail: "low", Image: true}) {
		t.Errorf("ref %+v %v", ref, ok)
	}
}
