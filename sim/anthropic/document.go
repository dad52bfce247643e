package anthropic

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// This file is the simulated model's reading of document blocks (PDF
// support): it says which documents it read, and how many pages a PDF
// has, before its answer. Validation is wire.Validate's, as for every
// block.

// pageObject matches a PDF page object (/Type /Page, not /Pages).
var pageObject = regexp.MustCompile(`/Type\s*/Page([^s]|$)`)

// pdfPages counts the page objects of a base64 PDF; at least 1.
func pdfPages(data string) int {
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return 1
	}
	return max(1, len(pageObject.FindAll(b, -1)))
}

// documentNote is what the model says of the documents of the last user
// turn ("" when it has none): "I read the document "Title" (1 page)."
func documentNote(req *wire.MessagesRequest) string {
	turns := wire.MergeTurns(req.Messages)
	for i := len(turns) - 1; i >= 0; i-- {
		if turns[i].Role != "user" {
			continue
		}
		var notes []string
		for _, b := range documentsOf(turns[i].Content) {
			if sr, ok := searchResultOf(b); ok {
				notes = append(notes, fmt.Sprintf("the search result %q (%s)", sr.Title, sr.Source))
				continue
			}
			notes = append(notes, describeDocument(b))
		}
		if len(notes) == 0 {
			return ""
		}
		return "I read " + strings.Join(notes, ", ") + "."
	}
	return ""
}

func describeDocument(b *wire.ContentBlock) string {
	name := "the document"
	if b.Title != "" {
		name = fmt.Sprintf("the document %q", b.Title)
	}
	switch b.Source.Type {
	case wire.SourceBase64:
		n := pdfPages(b.Source.Data)
		unit := "pages"
		if n == 1 {
			unit = "page"
		}
		return fmt.Sprintf("%s (PDF, %d %s)", name, n, unit)
	case wire.SourceURL:
		return fmt.Sprintf("%s (PDF at %s)", name, b.Source.URL)
	}
	return name + " (text)"
}

// addDocumentNote puts the note before a plain answer (not JSON, no tool
// calls) and returns the answer's tokens.
func addDocumentNote(g *generation, tokens int) int {
	note := documentNote(g.req)
	if note == "" || g.ask.JSON || len(g.tools) > 0 {
		return tokens
	}
	g.text = note + " " + g.text
	g.pieces = sim.Split(g.text)
	return tokens + len(sim.Split(note))
}

// documentText is the text a document block contributes to the prompt's
// size: a PDF's bytes (as its base64 text), a text, a content's blocks, or
// for a URL about a page's worth.
func documentText(b *wire.ContentBlock) string {
	s := b.Source
	switch {
	case s == nil:
		return ""
	case s.Type == wire.SourceURL:
		return strings.Repeat("[page]", 300)
	case len(s.Content) > 0:
		return b.Title + b.Context + string(s.Content)
	}
	return b.Title + b.Context + s.Data
}
