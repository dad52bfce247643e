package inbound

import (
	"bytes"
	"mime"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"

	"switchyard/llm"
)

// SniffMediaType is the media type of a file (without parameters), by
// its content first: a PDF by its magic (%PDF-), an image as net/http
// sniffs it, text when its bytes are valid UTF-8 (the text type net/http
// sniffs, else text/plain), another type net/http knows. Only when the
// content says nothing (application/octet-stream) does its name's
// extension count; claimed is then the extension's type when it names a
// PDF or an image, which a provider would refuse as not one ("" when
// the type is the content's).
func SniffMediaType(content []byte, filename string) (mt, claimed string) {
	if bytes.HasPrefix(content, pdfMagic) {
		return llm.MediaTypePDF, ""
	}
	sniffed := baseType(http.DetectContentType(content))
	switch {
	case strings.HasPrefix(sniffed, "image/"):
		return sniffed, ""
	case utf8.Valid(content) && bytes.IndexByte(content, 0) < 0:
		if strings.HasPrefix(sniffed, "text/") {
			return sniffed, ""
		}
		return "text/plain", ""
	case sniffed != "application/octet-stream":
		return sniffed, ""
	}
	byExt := baseType(mime.TypeByExtension(strings.ToLower(path.Ext(filename))))
	switch {
	case byExt == llm.MediaTypePDF || strings.HasPrefix(byExt, "image/"):
		return sniffed, byExt
	case byExt != "":
		return byExt, ""
	}
	return sniffed, ""
}

// pdfMagic starts every PDF file.
var pdfMagic = []byte("%PDF-")

// baseType is a media type without its parameters.
func baseType(mt string) string {
	base, _, _ := strings.Cut(mt, ";")
	return strings.TrimSpace(base)
}
