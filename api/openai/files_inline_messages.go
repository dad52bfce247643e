package openai

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// This file builds the parts in place of the files a Messages API
// request names by id (api/anthropic, InlineHeldFiles), as the Messages
// API reads them: an image block's file must be an image, a document
// block's a PDF (its base64) or text (its text: any UTF-8 file,
// fileMediaType), as a document block carries them by their bytes, so
// every provider kind reads them.

// part is the part in place of the part naming f as ref does.
func (in *inliner) part(f *heldFile, ref wire.FileRef) (llm.Part, error) {
	if in.messages {
		return f.messagesPart(ref)
	}
	return f.part(ref)
}

// messagesPart is the part in place of a Messages API block naming f.
func (f *heldFile) messagesPart(ref wire.FileRef) (llm.Part, error) {
	image := isImageType(f.mediaType)
	switch {
	case ref.Image && image:
		return llm.ImagePart(f.dataURL, ""), nil
	case ref.Image:
		return llm.Part{}, fileRefused(f.id, "is not an image (it is %s): an image block's file must be a JPEG, PNG, GIF or WebP image.", f.mediaType)
	case f.mediaType == llm.MediaTypePDF:
		_, data, _ := strings.Cut(f.dataURL, ",")
		return llm.DocumentPart(refDocument(ref, &llm.Document{MediaType: llm.MediaTypePDF, Data: data})), nil
	case strings.HasPrefix(f.mediaType, "text/"):
		_, data, _ := strings.Cut(f.dataURL, ",")
		text, err := base64.StdEncoding.DecodeString(data)
		if err == nil && utf8.Valid(text) {
			return llm.DocumentPart(refDocument(ref, &llm.Document{Text: string(text)})), nil
		}
	}
	return llm.Part{}, fileRefused(f.id, "is %s: a document block's file must be a PDF or plain text (an image goes in an image block).", f.mediaType)
}

// refDocument is doc with the title, context and citations configuration
// of the document block that named its file (ref), as a document sent by
// its bytes carries them: Claude gets them back in its document block,
// other wire formats read the title and context before the document
// (llm.Document.Heading) and drop the citations, which only Claude acts on.
func refDocument(ref wire.FileRef, doc *llm.Document) *llm.Document {
	doc.Title, doc.Context = ref.Title, ref.Context
	if ref.Citations != "" {
		doc.Citations = json.RawMessage(ref.Citations)
	}
	return doc
}
