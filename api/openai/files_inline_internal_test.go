package openai

import (
	"bytes"
	"strings"
	"testing"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// plainRequest is a chat request naming no file: text, an image by URL
// and a PDF by its bytes.
func plainRequest(t testing.TB) *llm.Request {
	req, err := wire.DecodeChatRequest([]byte(`{"model":"auto","messages":[{"role":"system","content":"Be brief."},
		{"role":"user","content":[{"type":"text","text":"What is in these?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}},
		{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]},
		{"role":"assistant","content":"A picture and a PDF."},{"role":"user","content":"Say more."}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// A request naming no file by id is looked at once, allocating nothing.
func TestNamedFilesNoneAllocatesNothing(t *testing.T) {
	req := plainRequest(t)
	if got := namedFiles(req); got != nil {
		t.Fatalf("named %+v", got)
	}
	if n := testing.AllocsPerRun(100, func() { namedFiles(req) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// The cost inlineFiles adds to a request naming no file.
func BenchmarkInlineFilesNone(b *testing.B) {
	req := plainRequest(b)
	h := &Handler{}
	b.ReportAllocs()
	for b.Loop() {
		if err := h.inlineFiles(b.Context(), req, 400); err != nil {
			b.Fatal(err)
		}
	}
}

// fileMediaType sniffs any bytes without panicking: a type without
// parameters, the content's when it has one (a PDF's magic wins over any
// name), and a claim only of a PDF or an image the content is not.
func FuzzFileMediaType(f *testing.F) {
	for _, s := range []struct{ content, name string }{
		{"%PDF-1.4", "a.txt"}, {"\x89PNG\r\n\x1a\n0000", "a.jpg"}, {"plain é", "a.pdf"},
		{"\x00\x01\x02\xff", "a.pdf"}, {"\x00\x01\x02\xff", "a.png"}, {"\x00\x01\xff", "a.docx"}, {"\x00\xff", ""},
		{"<html><body>x</body></html>", "a.html"}, {"PK\x03\x04", "a.pdf"},
	} {
		f.Add([]byte(s.content), s.name)
	}
	f.Fuzz(func(t *testing.T, content []byte, name string) {
		mt, claimed := fileMediaType(content, name)
		if mt == "" || strings.ContainsAny(mt, "; ") {
			t.Fatalf("%q %q: type %q", content, name, mt)
		}
		if bytes.HasPrefix(content, pdfMagic) && (mt != llm.MediaTypePDF || claimed != "") {
			t.Fatalf("%q %q: a PDF typed %q (claimed %q)", content, name, mt, claimed)
		}
		if claimed != "" && (mt != "application/octet-stream" || claimed != llm.MediaTypePDF && !strings.HasPrefix(claimed, "image/")) {
			t.Fatalf("%q %q: %q claimed as %q", content, name, mt, claimed)
		}
	})
}
