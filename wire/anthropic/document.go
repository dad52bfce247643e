package anthropic

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"switchyard/llm"
	openai "switchyard/wire/openai"
)

// This file holds the document block (PDF support): its validation as the
// API words it, and its translation to and from the canonical
// llm.Document.

// The document source types.
const (
	SourceBase64  = "base64"
	SourceURL     = "url"
	SourceText    = "text"
	SourceContent = "content"
	// SourceFile names a file uploaded with the Files API by its id.
	SourceFile = "file"
)

// MediaTypeText is the media type of a text document source.
const MediaTypeText = "text/plain"

// maxTitle is the longest document title the API takes, in characters.
const maxTitle = 500

// checkDocument checks a document block as the API does.
func checkDocument(b *ContentBlock, block string) *llm.Error {
	at := block + ".document"
	if n := utf8.RuneCountInString(b.Title); n > maxTitle {
		return rejectf("%s.title: String should have at most %d characters", at, maxTitle)
	}
	if c := bytes.TrimSpace(b.Citations); len(c) > 0 && c[0] != '{' {
		return rejectf("%s.citations: Input should be a valid dictionary or object to extract fields from", at)
	}
	src := b.Source
	if src == nil {
		return rejectf("%s.source: Field required", at)
	}
	switch src.Type {
	case SourceBase64:
		if src.MediaType != llm.MediaTypePDF {
			return rejectf("%s.source.base64.media_type: Input should be 'application/pdf'", at)
		}
		if !validPDF(src.Data) {
			return rejectf("%s.pdf.source.base64.data: The PDF specified was not valid.", block)
		}
	case SourceURL:
		if u := src.URL; !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			return rejectf("%s.source.url.url: Only HTTP and HTTPS URLs are supported", at)
		}
	case SourceText:
		if src.MediaType != MediaTypeText {
			return rejectf("%s.source.text.media_type: Input should be 'text/plain'", at)
		}
	case SourceContent:
		return checkContentSource(src.Content, at+".source.content")
	case SourceFile:
		return checkFileID(src, at+".source.file")
	default:
		return rejectf("%s.source: Input tag '%s' found using 'type' does not match any of the expected tags: 'base64', 'content', 'file', 'text', 'url'", at, llm.Clip(src.Type))
	}
	return nil
}

// checkFileID checks a file source: it names a file by a non-empty id.
func checkFileID(src *ImageSource, at string) *llm.Error {
	if strings.TrimSpace(src.FileID) == "" {
		return rejectf("%s.file_id: Field required", at)
	}
	return nil
}

// validPDF reports whether data is standard base64 of bytes that start as
// a PDF file does.
func validPDF(data string) bool {
	b, err := base64.StdEncoding.DecodeString(data)
	return err == nil && bytes.HasPrefix(b, []byte("%PDF-"))
}

// checkContentSource checks a content source: a string, or text and image
// blocks.
func checkContentSource(raw json.RawMessage, at string) *llm.Error {
	blocks, problem := contentSource(raw)
	if problem != "" {
		return rejectf("%s: %s", at, problem)
	}
	for k := range blocks {
		switch c := &blocks[k]; c.Type {
		case BlockText:
			if c.Text == "" {
				return rejectf("messages: text content blocks must be non-empty")
			}
		case BlockImage:
			if c.Source != nil && c.Source.Type == SourceFile {
				return rejectf("%s.%d.image.source: Input tag 'file' found using 'type' does not match any of the expected tags: 'base64', 'url'", at, k)
			}
			if err := checkImage(c.Source, fmt.Sprintf("%s.%d.image.source", at, k)); err != nil {
				return err
			}
		default:
			return rejectf("%s.%d: Input tag '%s' found using 'type' does not match any of the expected tags: 'image', 'text'", at, k, llm.Clip(c.Type))
		}
	}
	return nil
}

// contentSource decodes a content source's blocks (a string is one text
// block), or says what is wrong with it, as the API words it.
func contentSource(raw json.RawMessage) (Blocks, string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, "Field required"
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, "Input should be a valid string"
		}
		return Blocks{{Type: BlockText, Text: s}}, ""
	}
	var blocks Blocks
	if raw[0] != '[' || json.Unmarshal(raw, &blocks) != nil {
		return nil, "Input should be a valid list"
	}
	return blocks, ""
}

// documentToLLM returns a valid document block's part (checkDocument),
// with its breakpoint.
func documentToLLM(b *ContentBlock) llm.Part {
	src := b.Source
	if src.Type == SourceFile {
		p := openai.DocumentFilePart(src.FileID, b.Title, b.Context, b.Citations)
		p.SetCache(CacheToLLM(b.CacheControl))
		return p
	}
	doc := &llm.Document{Title: b.Title, Context: b.Context, Citations: b.Citations}
	switch src.Type {
	case SourceBase64:
		doc.MediaType, doc.Data = src.MediaType, src.Data
	case SourceURL:
		doc.URL = src.URL
	case SourceText:
		doc.Text = src.Data
	case SourceContent:
		blocks, _ := contentSource(src.Content)
		for k := range blocks {
			if blocks[k].Type == BlockImage {
				doc.Content = append(doc.Content, imageToLLM(&blocks[k]))
			} else {
				doc.Content = append(doc.Content, textPart(&blocks[k]))
			}
		}
	}
	p := llm.DocumentPart(doc)
	p.SetCache(CacheToLLM(b.CacheControl))
	return p
}

// documentBlock returns the document block of a canonical document: its
// source (a PDF's bytes or URL, a text, or content), title, context and
// citations configuration. A document with a filename but no title takes
// the filename as its title.
func documentBlock(doc *llm.Document, cache llm.CacheTTL) (ContentBlock, error) {
	if doc.SearchSource != "" {
		return searchResultBlock(doc, cache)
	}
	b := ContentBlock{Type: BlockDocument, Title: doc.Title, Context: doc.Context, Citations: doc.Citations,
		CacheControl: CacheFromLLM(cache)}
	if b.Title == "" && doc.Filename != "" {
		b.Title = truncateRunes(doc.Filename, maxTitle)
	}
	switch {
	case doc.Data != "":
		if doc.MediaType != llm.MediaTypePDF {
			return b, fmt.Errorf("documents of media type %q are not supported by Anthropic models; send a PDF (application/pdf) or text", doc.MediaType)
		}
		b.Source = &ImageSource{Type: SourceBase64, MediaType: doc.MediaType, Data: doc.Data}
	case doc.URL != "":
		b.Source = &ImageSource{Type: SourceURL, URL: doc.URL}
	case len(doc.Content) > 0:
		content, err := contentBlocks(doc.Content)
		if err != nil {
			return b, err
		}
		b.Source = &ImageSource{Type: SourceContent, Content: content}
	default:
		b.Source = &ImageSource{Type: SourceText, MediaType: MediaTypeText, Data: doc.Text}
	}
	return b, nil
}

// contentBlocks encodes a content document's parts as a content source.
func contentBlocks(parts []llm.Part) (json.RawMessage, error) {
	blocks := make(Blocks, 0, len(parts))
	for i := range parts {
		p := &parts[i]
		switch p.Type {
		case llm.PartText:
			blocks = append(blocks, ContentBlock{Type: BlockText, Text: p.Text, CacheControl: CacheFromLLM(p.Cache())})
		case llm.PartImage:
			src, err := imageSource(p.ImageURL())
			if err != nil {
				return nil, err
			}
			blocks = append(blocks, ContentBlock{Type: BlockImage, Source: src, CacheControl: CacheFromLLM(p.Cache())})
		}
	}
	return json.Marshal(blocks)
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// CitationsEnabled reports whether req holds a document that enables
// citations ({"enabled": true}): only then does a Claude answer cite, in
// text blocks of its own (StreamTranslator.Citations).
func CitationsEnabled(req *llm.Request) bool {
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			if d := req.Messages[i].Content[j].Document(); d != nil && citationsOn(d.Citations) {
				return true
			}
		}
	}
	return false
}

// citationsOn reads a document's citations configuration.
func citationsOn(raw json.RawMessage) bool {
	if len(raw) == 0 {
		return false
	}
	var c struct {
		Enabled bool `json:"enabled"`
	}
	return json.Unmarshal(raw, &c) == nil && c.Enabled
}
