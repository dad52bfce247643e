package llm

import (
	"encoding/json"
	"strings"
)

// MediaTypePDF is the media type of a PDF document's Data.
const MediaTypePDF = "application/pdf"

// Document is a document for the model to read: the content of a
// PartDocument. Exactly one source is set: Data (with MediaType), Text,
// URL or Content.
type Document struct {
	// MediaType is the media type of Data: MediaTypePDF.
	MediaType string
	// Data is the document's bytes, base64-encoded (standard, padded).
	Data string
	// Text is a plain-text document's text.
	Text string
	// URL is an http(s) URL of a PDF the upstream fetches itself (only
	// Anthropic's API takes one).
	URL string
	// Content is a document given as content: text and image parts, which
	// the model reads as one document.
	Content []Part
	// Filename is the file's name as the client gave it (OpenAI's
	// filename); "" means none.
	Filename string
	// Title and Context are the document's title and what the client said
	// about it (Anthropic's); "" means none.
	Title, Context string
	// Citations is Anthropic's citations configuration as sent
	// ({"enabled":true}); nil means none. Only Anthropic's API cites.
	Citations json.RawMessage
	// SearchSource, when set, makes the document a search result the
	// client retrieved (Anthropic's search_result block): where it came
	// from (a URL or an identifier), with its Title and its text in
	// Content.
	SearchSource string
}

// DocumentPart returns a PartDocument part holding doc.
func DocumentPart(doc *Document) Part {
	return Part{Type: PartDocument, Extra: &PartExtra{Document: doc}}
}

// Document returns the document of a PartDocument, or nil.
func (p *Part) Document() *Document {
	if p.Extra == nil {
		return nil
	}
	return p.Extra.Document
}

// Heading is the text a wire format without document titles reads before
// the document: its title and context, one line each ("" when it has
// neither); for a search result, its title and source.
func (d *Document) Heading() string {
	if d.SearchSource != "" {
		return "Search result: " + d.Title + "\nSource: " + d.SearchSource
	}
	var b strings.Builder
	if d.Title != "" {
		b.WriteString("Document title: " + d.Title)
	}
	if d.Context != "" {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("Document context: " + d.Context)
	}
	return b.String()
}

// ContentText joins the text of a content document's text parts, one
// paragraph each.
func (d *Document) ContentText() string {
	var texts []string
	for i := range d.Content {
		if d.Content[i].Type == PartText {
			texts = append(texts, d.Content[i].Text)
		}
	}
	return strings.Join(texts, "\n\n")
}
