package anthropic

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// This file is the simulated model's citations: for each document or
// search result of the last user turn that enables them ("citations":
// {"enabled": true}), the answer gains a text block quoting it, with one
// citation in the shape its source calls for (char_location for text,
// page_location for a PDF, content_block_location for content,
// search_result_location for a search result), as the API writes them.

// maxCited bounds the characters a citation quotes.
const maxCited = 200

// citedBlocks returns the text blocks citing the last user turn's
// documents, in order, and the output tokens their text costs.
func citedBlocks(req *wire.MessagesRequest) ([]wire.ContentBlock, int) {
	var out []wire.ContentBlock
	tokens, docs, results := 0, 0, 0
	turns := wire.MergeTurns(req.Messages)
	last := len(turns) - 1
	for last >= 0 && turns[last].Role != "user" {
		last--
	}
	for i := range turns {
		for _, b := range documentsOf(turns[i].Content) {
			var cite json.RawMessage
			var quoted string
			if sr, ok := searchResultOf(b); ok { // search_result_index counts the request's results
				if i == last && sr.citations() {
					cite, quoted = searchCitation(sr, results)
				}
				results++
			} else {
				if i == last && citationsOn(b.Citations) {
					cite, quoted = citation(b, docs)
				}
				docs++ // document_index counts every document of the request
			}
			if cite != nil {
				text := " " + quoted
				out = append(out, wire.ContentBlock{Type: wire.BlockText, Text: text, Citations: cite})
				tokens += len(sim.Split(text))
			}
		}
	}
	return out, tokens
}

// searchResult is a search_result block's fields the model reads.
type searchResult struct {
	Source, Title string
	Content       []struct{ Type, Text string }
	Citations     json.RawMessage
}

func (sr *searchResult) citations() bool { return citationsOn(sr.Citations) }

// searchResultOf reads b when it is a search_result block.
func searchResultOf(b *wire.ContentBlock) (*searchResult, bool) {
	if b.Type != wire.BlockSearchResult {
		return nil, false
	}
	var sr searchResult
	return &sr, json.Unmarshal(b.Raw, &sr) == nil
}

// searchCitation returns the citations array (one
// search_result_location) of search result sr, the index-th of the
// request, and the text it quotes: its first block's first sentence.
func searchCitation(sr *searchResult, index int) (json.RawMessage, string) {
	var text string
	if len(sr.Content) > 0 {
		text = sr.Content[0].Text
	}
	quoted := firstSentence(text)
	raw, _ := json.Marshal([]any{map[string]any{"type": "search_result_location", "cited_text": quoted, "search_result_index": index,
		"source": sr.Source, "title": sr.Title, "start_block_index": 0, "end_block_index": 1}})
	return raw, quoted
}

// documentsOf returns the documents among blocks and inside their
// tool_result blocks, in order.
func documentsOf(blocks wire.Blocks) []*wire.ContentBlock {
	var out []*wire.ContentBlock
	for j := range blocks {
		switch b := &blocks[j]; b.Type {
		case wire.BlockDocument:
			if b.Source != nil {
				out = append(out, b)
			}
		case wire.BlockSearchResult:
			out = append(out, b)
		case wire.BlockToolResult:
			out = append(out, documentsOf(b.Content)...)
		}
	}
	return out
}

func citationsOn(raw json.RawMessage) bool {
	var c struct {
		Enabled bool `json:"enabled"`
	}
	return len(raw) > 0 && json.Unmarshal(raw, &c) == nil && c.Enabled
}

// citation returns the citations array (one citation) of document b, the
// index-th of the request, and the text it quotes.
func citation(b *wire.ContentBlock, index int) (json.RawMessage, string) {
	var title *string
	if b.Title != "" {
		title = &b.Title
	}
	c := map[string]any{"document_index": index, "document_title": title, "file_id": nil}
	switch b.Source.Type {
	case wire.SourceText:
		quoted := firstSentence(b.Source.Data)
		c["type"], c["cited_text"] = "char_location", quoted
		c["start_char_index"], c["end_char_index"] = 0, utf8.RuneCountInString(quoted)
	case wire.SourceContent:
		quoted := firstSentence(contentText(b.Source.Content))
		c["type"], c["cited_text"] = "content_block_location", quoted
		c["start_block_index"], c["end_block_index"] = 0, 1
	default: // a PDF, by data or URL
		c["type"], c["cited_text"] = "page_location", "Page 1 of the document."
		c["start_page_number"], c["end_page_number"] = 1, 2
	}
	raw, _ := json.Marshal([]any{c})
	return raw, c["cited_text"].(string)
}

// firstSentence is s up to its first sentence's end, at most maxCited
// characters.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".!?"); i >= 0 {
		s = s[:i+1]
	}
	if utf8.RuneCountInString(s) > maxCited {
		s = string([]rune(s)[:maxCited])
	}
	return s
}

// contentText is the text of a content source: the string, or its first
// text block's.
func contentText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var blocks []struct {
		Type, Text string
	}
	json.Unmarshal(raw, &blocks)
	for _, b := range blocks {
		if b.Type == wire.BlockText {
			return b.Text
		}
	}
	return ""
}
