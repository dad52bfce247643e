package anthropic

import (
	"encoding/json"
	"fmt"

	"switchyard/llm"
)

// This file holds the search_result block (search results with
// citations, for retrieval-augmented answers): its validation as the API
// words it, and its translation to and from the canonical document.

// BlockSearchResult is a search result the client retrieved: a source, a
// title and text blocks, which a Claude model cites with
// search_result_location citations.
const BlockSearchResult = "search_result"

// searchResultJSON is a search_result block's fields, in the order the
// API writes them. The package keeps such blocks as Raw (their source is
// a string, where other blocks' is an object).
type searchResultJSON struct {
	Type         string          `json:"type"`
	Source       string          `json:"source"`
	Title        string          `json:"title"`
	Content      Blocks          `json:"content"`
	Citations    json.RawMessage `json:"citations,omitempty"`
	CacheControl *CacheControl   `json:"cache_control,omitempty"`
}

// decodeSearchResult reads a search_result block's Raw, or says what is
// wrong with it (after block + ".search_result"), as the API words it.
func decodeSearchResult(b *ContentBlock, block string) (*searchResultJSON, *llm.Error) {
	at := block + ".search_result"
	var fields map[string]json.RawMessage
	if json.Unmarshal(b.Raw, &fields) != nil {
		return nil, rejectf("%s: Input should be a valid dictionary", at)
	}
	for _, name := range []string{"source", "title", "content"} {
		if _, ok := fields[name]; !ok {
			return nil, rejectf("%s.%s: Field required", at, name)
		}
	}
	var sr searchResultJSON
	if err := json.Unmarshal(b.Raw, &sr); err != nil {
		return nil, rejectf("%s: %s", at, searchResultError(fields))
	}
	if len(sr.Content) == 0 {
		return nil, rejectf("%s.content: List should have at least 1 item after validation, not 0", at)
	}
	for k := range sr.Content {
		if c := &sr.Content[k]; c.Type != BlockText {
			return nil, rejectf("%s.content.%d: Input tag '%s' found using 'type' does not match any of the expected tags: 'text'", at, k, llm.Clip(c.Type))
		} else if c.Text == "" {
			return nil, rejectf("%s.content.%d.text: text content blocks must be non-empty", at, k)
		}
	}
	if len(sr.Citations) > 0 && string(sr.Citations) != "null" && sr.Citations[0] != '{' {
		return nil, rejectf("%s.citations: Input should be a valid dictionary or object to extract fields from", at)
	}
	return &sr, nil
}

// searchResultError names the first field of a search_result block that
// does not have its type.
func searchResultError(fields map[string]json.RawMessage) string {
	for _, name := range []string{"source", "title"} {
		var s string
		if json.Unmarshal(fields[name], &s) != nil {
			return fmt.Sprintf("%s: Input should be a valid string", name)
		}
	}
	return "content: Input should be a valid list"
}

// checkSearchResult validates a search_result block at path block
// ("messages.0.content.1").
func checkSearchResult(b *ContentBlock, block string) *llm.Error {
	_, err := decodeSearchResult(b, block)
	return err
}

// searchResultToLLM returns a valid search_result block's part: a
// document with the result's source, title, text and citations
// configuration, with the block's breakpoint.
func searchResultToLLM(b *ContentBlock) llm.Part {
	sr, _ := decodeSearchResult(b, "")
	doc := &llm.Document{SearchSource: sr.Source, Title: sr.Title}
	if len(sr.Citations) > 0 && string(sr.Citations) != "null" {
		doc.Citations = sr.Citations
	}
	for k := range sr.Content {
		doc.Content = append(doc.Content, textPart(&sr.Content[k]))
	}
	p := llm.DocumentPart(doc)
	p.SetCache(CacheToLLM(sr.CacheControl))
	return p
}

// searchResultBlock returns the search_result block of a canonical
// search result (Document.SearchSource set).
func searchResultBlock(doc *llm.Document, cache llm.CacheTTL) (ContentBlock, error) {
	sr := searchResultJSON{Type: BlockSearchResult, Source: doc.SearchSource, Title: doc.Title, Citations: doc.Citations,
		CacheControl: CacheFromLLM(cache)}
	for i := range doc.Content {
		if p := &doc.Content[i]; p.Type == llm.PartText {
			sr.Content = append(sr.Content, ContentBlock{Type: BlockText, Text: p.Text, CacheControl: CacheFromLLM(p.Cache())})
		}
	}
	raw, err := json.Marshal(sr)
	return ContentBlock{Type: BlockSearchResult, Raw: raw}, err
}
