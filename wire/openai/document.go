package openai

import (
	"encoding/json"
	"strings"

	"switchyard/llm"
)

// This file maps PDF documents between OpenAI's file content part
// ({"type":"file","file":{"filename","file_data":"data:application/pdf;base64,…"}})
// and the canonical llm.Document.

// pdfDataPrefix starts the file_data of a base64 PDF.
const pdfDataPrefix = "data:application/pdf;base64,"

// fileDocument returns the document of a file part that carries a PDF's
// bytes in file_data, or nil for any other part (a file by file_id, a file
// of another type, a malformed part): those stay llm.PartOther.
func fileDocument(raw json.RawMessage) *llm.Document {
	f, ok := fileFieldsOf(raw)
	if !ok {
		return nil
	}
	return pdfDocument(f.Filename, f.FileData, f.FileID)
}

// fileFields are the fields of chat's file part.
type fileFields struct {
	Filename string `json:"filename"`
	FileData string `json:"file_data"`
	FileID   string `json:"file_id"`
}

// fileFieldsOf returns the fields of a chat file part raw; ok is false
// for any other part or a malformed one.
func fileFieldsOf(raw json.RawMessage) (fileFields, bool) {
	var p struct {
		Type string      `json:"type"`
		File *fileFields `json:"file"`
	}
	if json.Unmarshal(raw, &p) != nil || p.Type != "file" || p.File == nil {
		return fileFields{}, false
	}
	return *p.File, true
}

// FileDataOf returns the name and the data: URL of a file p carries by
// its bytes: a chat file part with file_data of a type other than PDF
// (which is a llm.PartDocument), kept as a llm.PartOther. ok is false for
// any other part, a file by id included.
func FileDataOf(p *llm.Part) (filename, fileData string, ok bool) {
	if p.Type != llm.PartOther {
		return "", "", false
	}
	f, ok := fileFieldsOf(p.Raw())
	if !ok || f.FileData == "" || f.FileID != "" {
		return "", "", false
	}
	return f.Filename, f.FileData, true
}

// pdfDocument returns the document of a file part's fields when they
// carry a PDF's bytes, else nil.
func pdfDocument(filename, fileData, fileID string) *llm.Document {
	if fileID != "" || len(fileData) <= len(pdfDataPrefix) || !strings.EqualFold(fileData[:len(pdfDataPrefix)], pdfDataPrefix) {
		return nil
	}
	return &llm.Document{MediaType: llm.MediaTypePDF, Data: fileData[len(pdfDataPrefix):], Filename: filename}
}

// documentPart is a file part that carries a PDF as a PartDocument, or the
// part as sent (llm.PartOther). The document keeps the part as sent, which
// an OpenAI-format upstream gets back unchanged.
func documentPart(raw json.RawMessage) llm.Part {
	return fileDocumentPart(raw, fileDocument(raw))
}

// fileDocumentPart is the part of a file part raw whose document (nil
// for none) is doc.
func fileDocumentPart(raw json.RawMessage, doc *llm.Document) llm.Part {
	if doc == nil {
		return llm.OtherPart(raw)
	}
	return llm.Part{Type: llm.PartDocument, Extra: &llm.PartExtra{Raw: raw, Document: doc}}
}

// FilePart returns the part that chat's file part of these fields
// ({"type":"file","file":{"filename","file_data","file_id"}}, each left
// out when "") decodes to: a PDF's bytes a PartDocument, any other file
// (by file_id, of another media type) a PartOther, both keeping that
// part. Another wire format's file input (the Responses API's
// input_file) goes through it to be routed and sent as chat's file is.
func FilePart(filename, fileData, fileID string) llm.Part {
	raw := make([]byte, 0, len(`{"type":"file","file":{"filename":,"file_data":,"file_id":}}`)+len(filename)+len(fileData)+len(fileID)+8)
	raw = append(raw, `{"type":"file","file":{`...)
	raw, _ = appendStringFields(raw, false, [2]string{"filename", filename}, [2]string{"file_data", fileData}, [2]string{"file_id", fileID})
	return fileDocumentPart(append(raw, '}', '}'), pdfDocument(filename, fileData, fileID))
}

// errDocumentURL refuses a document by URL: the chat API has no file
// input by URL.
var errDocumentURL = &llm.Error{Kind: llm.KindInvalidRequest,
	Message: "documents by URL are not supported by OpenAI-format models; send the PDF's bytes (base64) instead"}

// appendDocument writes a document that did not come as an OpenAI file
// part: its title and context as a text part, then a PDF as a file part
// (named by its filename, else its title, else document.pdf), a text
// document as a text part, a content document as its parts. A document by
// URL is refused (errDocumentURL). It writes at least one part.
func appendDocument(dst []byte, doc *llm.Document) ([]byte, error) {
	heading := doc.Heading()
	switch {
	case doc.URL != "":
		return dst, errDocumentURL
	case doc.Text != "" || doc.Data == "" && len(doc.Content) == 0:
		text := doc.Text
		if heading != "" {
			text = heading + "\n\n" + text
		}
		return appendTextPart(dst, text), nil
	}
	if heading != "" {
		dst = append(appendTextPart(dst, heading), ',')
	}
	if doc.Data == "" {
		for i := range doc.Content {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendSimplePart(dst, &doc.Content[i])
		}
		return dst, nil
	}
	dst = append(dst, `{"type":"file","file":{"filename":`...)
	dst = appendString(dst, documentFilename(doc))
	dst = append(dst, `,"file_data":`...)
	dst = appendString(dst, "data:"+doc.MediaType+";base64,"+doc.Data)
	return append(dst, '}', '}'), nil
}

// documentFilename names a PDF for the file part, which requires a name.
func documentFilename(doc *llm.Document) string {
	switch {
	case doc.Filename != "":
		return doc.Filename
	case doc.Title == "":
		return "document.pdf"
	case strings.HasSuffix(strings.ToLower(doc.Title), ".pdf"):
		return doc.Title
	}
	return doc.Title + ".pdf"
}

func appendTextPart(dst []byte, text string) []byte {
	dst = append(dst, `{"type":"text","text":`...)
	dst = appendString(dst, text)
	return append(dst, '}')
}

// appendSimplePart writes a text or image part.
func appendSimplePart(dst []byte, p *llm.Part) []byte {
	if p.Type != llm.PartImage {
		return appendTextPart(dst, p.Text)
	}
	dst = append(dst, `{"type":"image_url","image_url":{"url":`...)
	dst = appendString(dst, p.ImageURL())
	if p.ImageDetail() != "" {
		dst = append(dst, `,"detail":`...)
		dst = appendString(dst, p.ImageDetail())
	}
	return append(dst, '}', '}')
}

// appendStringFields appends each field {key, value} whose value is not
// empty as "key":"value", comma-separated, after a comma when sep says raw
// already holds a field; it reports whether raw holds one now.
func appendStringFields(raw []byte, sep bool, fields ...[2]string) ([]byte, bool) {
	for _, f := range fields {
		if f[1] == "" {
			continue
		}
		if sep {
			raw = append(raw, ',')
		}
		raw = append(appendString(raw, f[0]), ':')
		raw = appendString(raw, f[1])
		sep = true
	}
	return raw, sep
}
