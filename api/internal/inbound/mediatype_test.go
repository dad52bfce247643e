package inbound

import (
	"bytes"
	"strings"
	"testing"

	"switchyard/llm"
)

// SniffMediaType sniffs any bytes without panicking: a type without
// parameters, the content's when it has one (a PDF's magic wins over any
// name), and a claim only of a PDF or an image the content is not.
func FuzzSniffMediaType(f *testing.F) {
	for _, s := range []struct{ content, name string }{
		{"%PDF-1.4", "a.txt"}, {"\x89PNG\r\n\x1a\n0000", "a.jpg"}, {"plain é", "a.pdf"},
		{"\x00\x01\x02\xff", "a.pdf"}, {"\x00\x01\x02\xff", "a.png"}, {"\x00\x01\xff", "a.docx"}, {"\x00\xff", ""},
		{"<html><body>x</body></html>", "a.html"}, {"PK\x03\x04", "a.pdf"},
	} {
		f.Add([]byte(s.content), s.name)
	}
	f.Fuzz(func(t *testing.T, content []byte, name string) {
		mt, claimed := SniffMediaType(content, name)
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
