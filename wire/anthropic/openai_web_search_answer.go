package anthropic

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"switchyard/llm"
)

// WebSearchAnswer turns the chunks of a Claude answer to an OpenAI
// client's web search (StreamTranslator's, Citations set) into OpenAI's
// shapes: each web search (a server_tool_use block named web_search and
// its web_search_tool_result) becomes a web_search_call item
// (llm.OutputDelta.Hosted: added in_progress at the search's start,
// whole — completed, or failed on an error result — with its query at
// the result), and each text block's web_search_result_location
// citations url_citation annotations spanning the block's text, sent when
// the block ends: in the Responses API's shape (TextAnnotations, indices
// in the text after the last search, where the Responses stream's message
// item starts) and in Chat Completions' (Annotations, indices in the whole
// text). Indices count characters (code points), as OpenAI's do. The
// server blocks and text block marks are dropped: an OpenAI client reads
// none. Not safe for concurrent use.
type WebSearchAnswer struct {
	// Sources adds the results' URLs to each call's action.sources (the
	// client's include asked for web_search_call.action.sources).
	Sources bool

	servers []serverBlock   // by the translator's server block index
	calls   []searchCall    // the web_search_call items, by Hosted index
	byID    map[string]int  // a server_tool_use id's call
	whole   int             // characters of text so far
	segment int             // characters of text since the last search
	block   *citedTextBlock // the open text block; nil before the first
}

// serverBlock is what WebSearchAnswer keeps of a server block: its call,
// -1 for a block of another tool.
type serverBlock struct {
	call   int
	result bool
}

type searchCall struct {
	id, query string
	done      bool
}

type citedTextBlock struct {
	whole, segment int // where the block starts
	cites          []webCite
}

type webCite struct{ url, title string }

// Chunk returns the chunks that stand for c: c itself, changed, after a
// chunk of the annotations of a text block that ended.
func (a *WebSearchAnswer) Chunk(c *llm.Chunk) []*llm.Chunk {
	var out []*llm.Chunk
	for i := range c.Choices {
		ch := &c.Choices[i]
		d := &ch.Delta
		if tb := d.TextBlock; tb != nil {
			d.TextBlock = nil
			if tb.Citation == nil { // a new text block
				out = a.flush(out, c)
				a.block = &citedTextBlock{whole: a.whole, segment: a.segment}
			} else {
				a.cite(tb.Citation)
			}
		}
		if o := d.Output; o != nil && o.Block != nil {
			o.Hosted, o.Block = a.server(o.Block), nil
			if o.Hosted != nil && len(o.Hosted.Start) > 0 {
				out = a.flush(out, c)
				a.segment = 0
			}
			if o.Hosted == nil && len(o.Audio) == 0 && len(o.Annotations) == 0 && len(o.TextAnnotations) == 0 {
				d.Output = nil
			}
		}
		n := utf8.RuneCountInString(d.Content)
		a.whole += n
		a.segment += n
		if ch.FinishReason != "" {
			out = a.flush(out, c)
			a.block = nil
		}
	}
	return append(out, c)
}

// cite adds a web search citation to the open text block.
func (a *WebSearchAnswer) cite(raw json.RawMessage) {
	var v struct {
		Type  string `json:"type"`
		URL   string `json:"url"`
		Title string `json:"title"`
	}
	if a.block == nil || json.Unmarshal(raw, &v) != nil || v.Type != "web_search_result_location" || v.URL == "" {
		return
	}
	for _, c := range a.block.cites {
		if c.url == v.URL {
			return
		}
	}
	a.block.cites = append(a.block.cites, webCite{v.URL, v.Title})
}

// flush appends to out a chunk of the open text block's annotations, if
// it has any and text; the block is then closed.
func (a *WebSearchAnswer) flush(out []*llm.Chunk, like *llm.Chunk) []*llm.Chunk {
	b := a.block
	a.block = nil
	if b == nil || len(b.cites) == 0 || b.whole == a.whole {
		return out
	}
	cites := make([]llm.URLCitation, 0, len(b.cites))
	for _, c := range b.cites {
		cites = append(cites, llm.URLCitation{Start: b.segment, End: a.segment, MessageStart: b.whole, MessageEnd: a.whole, URL: c.url, Title: c.title})
	}
	od := &llm.OutputDelta{}
	od.SetURLCitations(cites)
	return append(out, &llm.Chunk{ID: like.ID, Model: like.Model, Created: like.Created,
		Choices: []llm.ChunkChoice{{Delta: llm.Delta{Output: od}}}})
}

// server reads a server block's delta: the web_search_call item delta it
// makes, or nil.
func (a *WebSearchAnswer) server(bd *llm.BlockDelta) *llm.BlockDelta {
	if len(bd.Start) > 0 && bd.Index == len(a.servers) {
		a.servers = append(a.servers, a.started(bd.Start))
	}
	if bd.Index < 0 || bd.Index >= len(a.servers) {
		return nil
	}
	s := a.servers[bd.Index]
	if s.call < 0 {
		return nil
	}
	call := &a.calls[s.call]
	if len(bd.Start) > 0 && !s.result {
		return &llm.BlockDelta{Index: s.call, Start: searchItem(call, "in_progress", nil, false)}
	}
	whole := bd.Whole
	if len(whole) == 0 && s.result {
		whole = bd.Start // a result block starts whole
	}
	if len(whole) == 0 || call.done {
		return nil
	}
	var v struct {
		Input   struct{ Query string } `json:"input"`
		Content json.RawMessage        `json:"content"`
	}
	_ = json.Unmarshal(whole, &v)
	if !s.result {
		call.query = v.Input.Query
		return nil
	}
	call.done = true
	var results []struct {
		URL string `json:"url"`
	}
	status := "completed"
	if json.Unmarshal(v.Content, &results) != nil {
		status, results = "failed", nil // web_search_tool_result_error
	}
	var urls []string
	for _, r := range results {
		urls = append(urls, r.URL)
	}
	return &llm.BlockDelta{Index: s.call, Whole: searchItem(call, status, urls, a.Sources)}
}

// started reads a server block's start: a web search's call or result.
func (a *WebSearchAnswer) started(start json.RawMessage) serverBlock {
	var v struct {
		Type      string `json:"type"`
		ID        string `json:"id"`
		Name      string `json:"name"`
		ToolUseID string `json:"tool_use_id"`
	}
	_ = json.Unmarshal(start, &v)
	switch {
	case v.Type == "server_tool_use" && v.Name == WebSearchName:
		if a.byID == nil {
			a.byID = map[string]int{}
		}
		a.byID[v.ID] = len(a.calls)
		a.calls = append(a.calls, searchCall{id: v.ID})
		return serverBlock{call: len(a.calls) - 1}
	case v.Type == "web_search_tool_result":
		if n, ok := a.byID[v.ToolUseID]; ok {
			return serverBlock{call: n, result: true}
		}
	}
	return serverBlock{call: -1}
}

// searchItem is a web_search_call item as the Responses API writes it:
// in progress, its id, type, status and an action without its query;
// done, its action with the query (as query, which the spec deprecates, and queries).
func searchItem(c *searchCall, status string, urls []string, sources bool) json.RawMessage {
	type source struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	}
	type action struct {
		Type    string   `json:"type"`
		Query   string   `json:"query"`
		Queries []string `json:"queries"`
		Sources []source `json:"sources,omitempty"`
	}
	// In progress, the action is a search whose query is not known yet:
	// every web_search_call has an action (the spec's WebSearchToolCall,
	// openai-go's ResponseFunctionWebSearch).
	type pending struct {
		Type string `json:"type"`
	}
	item := struct {
		ID     string `json:"id"`
		Type   string `json:"type"`
		Status string `json:"status"`
		Action any    `json:"action"`
	}{"ws_" + strings.TrimPrefix(c.id, "srvtoolu_"), "web_search_call", status, pending{"search"}}
	if status != "in_progress" {
		act := &action{Type: "search", Query: c.query, Queries: []string{c.query}}
		if sources {
			for _, u := range urls {
				act.Sources = append(act.Sources, source{"url", u})
			}
		}
		item.Action = act
	}
	out, _ := json.Marshal(item)
	return out
}
