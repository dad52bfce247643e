package openai

import (
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

const pdfB64 = "JVBERi0xLjQK" // "%PDF-1.4\n"

// A file part holding a PDF's bytes is a canonical document; it goes back
// to an OpenAI-format upstream byte for byte. A file by id, or of another
// type, stays a part the router passes through.
func TestDecodeFileDocument(t *testing.T) {
	pdfPart := `{"type":"file","file":{"filename":"r.pdf","file_data":"data:application/pdf;base64,` + pdfB64 + `"}}`
	tests := []struct {
		name, part string
		want       llm.PartType
	}{
		{"pdf bytes", pdfPart, llm.PartDocument},
		{"pdf, media type in capitals", `{"type":"file","file":{"file_data":"data:Application/PDF;base64,` + pdfB64 + `"}}`, llm.PartDocument},
		{"file_id", `{"type":"file","file":{"file_id":"file-abc"}}`, llm.PartOther},
		{"text file", `{"type":"file","file":{"filename":"a.txt","file_data":"data:text/plain;base64,aGk="}}`, llm.PartOther},
		{"bare base64", `{"type":"file","file":{"filename":"a.pdf","file_data":"` + pdfB64 + `"}}`, llm.PartOther},
		{"audio", `{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}`, llm.PartOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Sum up."},` + tt.part + `]}]}`
			req, err := DecodeChatRequest([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			p := req.Messages[0].Content[1]
			if p.Type != tt.want {
				t.Fatalf("part type %q, want %q", p.Type, tt.want)
			}
			if string(p.Raw()) != tt.part {
				t.Errorf("raw = %s, want the part as sent", p.Raw())
			}
			if tt.want == llm.PartDocument {
				if d := p.Document(); d.MediaType != llm.MediaTypePDF || d.Data != pdfB64 {
					t.Errorf("document = %+v", d)
				}
			}
			out, err := EncodeChatRequest(req)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != body {
				t.Errorf("encoded\n %s\nwant\n %s", out, body)
			}
		})
	}
	req, _ := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":[` + pdfPart + `]}]}`))
	if d := req.Messages[0].Content[0].Document(); d.Filename != "r.pdf" {
		t.Errorf("filename = %q", d.Filename)
	}
}

// A document from another wire format (an Anthropic client's) is written
// as the parts OpenAI's chat format has.
func TestEncodeDocument(t *testing.T) {
	tests := []struct {
		name string
		doc  llm.Document
		want string
	}{
		{"pdf with title and context", llm.Document{MediaType: llm.MediaTypePDF, Data: pdfB64, Title: "Report", Context: "Q3", Citations: []byte(`{"enabled":true}`)},
			`{"type":"text","text":"Document title: Report\nDocument context: Q3"},{"type":"file","file":{"filename":"Report.pdf","file_data":"data:application/pdf;base64,` + pdfB64 + `"}}`},
		{"pdf without a title", llm.Document{MediaType: llm.MediaTypePDF, Data: pdfB64},
			`{"type":"file","file":{"filename":"document.pdf","file_data":"data:application/pdf;base64,` + pdfB64 + `"}}`},
		{"text", llm.Document{Text: "Green grass.", Title: "Facts"},
			`{"type":"text","text":"Document title: Facts\n\nGreen grass."}`},
		{"content", llm.Document{Content: []llm.Part{{Type: llm.PartText, Text: "One."}, llm.ImagePart("https://x/y.png", "")}},
			`{"type":"text","text":"One."},{"type":"image_url","image_url":{"url":"https://x/y.png"}}`},
		{"search result", llm.Document{SearchSource: "https://kb.example/lawn", Title: "Lawn care", Content: []llm.Part{{Type: llm.PartText, Text: "Green."}}},
			`{"type":"text","text":"Search result: Lawn care\nSource: https://kb.example/lawn"},{"type":"text","text":"Green."}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &llm.Request{Model: "m", Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{llm.DocumentPart(&tt.doc), {Type: llm.PartText, Text: "Sum up."}}}}}
			out, err := EncodeChatRequest(req)
			if err != nil {
				t.Fatal(err)
			}
			want := `{"model":"m","messages":[{"role":"user","content":[` + tt.want + `,{"type":"text","text":"Sum up."}]}]}`
			if string(out) != want {
				t.Errorf("encoded\n %s\nwant\n %s", out, want)
			}
		})
	}
	req := &llm.Request{Model: "m", Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{llm.DocumentPart(&llm.Document{URL: "https://x/a.pdf"})}}}}
	_, err := EncodeChatRequest(req)
	if e := llm.AsError(err); err == nil || e.Kind != llm.KindInvalidRequest || !strings.Contains(e.Message, "documents by URL") {
		t.Errorf("a document by URL: %v, want an invalid_request refusal", err)
	}
}

// FilePart is what decoding chat's file part of the same fields makes,
// the part written with only the fields given.
func TestFilePartIsChatsFilePart(t *testing.T) {
	for _, tc := range []struct{ filename, data, id, part string }{
		{"r.pdf", "data:application/pdf;base64," + pdfB64, "", `{"type":"file","file":{"filename":"r.pdf","file_data":"data:application/pdf;base64,` + pdfB64 + `"}}`},
		{"é \"b\".pdf", "data:Application/PDF;base64," + pdfB64, "", `{"type":"file","file":{"filename":"é \"b\".pdf","file_data":"data:Application/PDF;base64,` + pdfB64 + `"}}`},
		{"", "data:text/plain;base64,aGk=", "", `{"type":"file","file":{"file_data":"data:text/plain;base64,aGk="}}`},
		{"", "", "file-abc", `{"type":"file","file":{"file_id":"file-abc"}}`},
		{"a \"b\".pdf", "", "file-abc", `{"type":"file","file":{"filename":"a \"b\".pdf","file_id":"file-abc"}}`},
	} {
		got := FilePart(tc.filename, tc.data, tc.id)
		req, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":[` + tc.part + `]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		want := req.Messages[0].Content[0]
		if got.Type != want.Type || string(got.Raw()) != tc.part || (want.Document() != nil) != (got.Document() != nil) ||
			want.Document() != nil && !reflect.DeepEqual(got.Document(), want.Document()) {
			t.Errorf("FilePart(%q, %q, %q) = %s %s %+v, want %s %+v", tc.filename, tc.data, tc.id, got.Type, got.Raw(), got.Document(), want.Type, want.Document())
		}
	}
}
