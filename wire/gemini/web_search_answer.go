package gemini

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"switchyard/llm"
)

// webSearchAnswer is what the StreamTranslator keeps of a candidate's
// answer to a web search (StreamTranslator.WebSearch): its text so far
// (groundingSupports' segments index it) and its latest
// groundingMetadata, which Gemini sends on the last fragment(s).
type webSearchAnswer struct {
	text      []byte
	grounding json.RawMessage
}

// groundingMetadata is what the router reads of a candidate's
// groundingMetadata
// (https://ai.google.dev/api/generate-content#GroundingMetadata).
type groundingMetadata struct {
	WebSearchQueries []string `json:"webSearchQueries"`
	GroundingChunks  []struct {
		Web *struct {
			URI   string `json:"uri"`
			Title string `json:"title"`
		} `json:"web"`
	} `json:"groundingChunks"`
	GroundingSupports []struct {
		Segment struct {
			StartIndex int `json:"startIndex"`
			EndIndex   int `json:"endIndex"`
		} `json:"segment"`
		GroundingChunkIndices []int `json:"groundingChunkIndices"`
	} `json:"groundingSupports"`
}

// searchID is the web_search_call item's id: the response's, per
// candidate.
func (t *StreamTranslator) searchID(cand int) string {
	id := "ws_" + t.id
	if cand > 0 {
		id += "_" + strconv.Itoa(cand)
	}
	return id
}

// searchStart is the in_progress web_search_call item the candidate's
// first chunk carries, before its text: Gemini says what it searched for
// only at the end, and the Responses API writes the search before the
// message.
func (t *StreamTranslator) searchStart(cand int) *llm.OutputDelta {
	// Its action is a search of a query not known yet: every
	// web_search_call has an action (the spec's WebSearchToolCall).
	item, _ := json.Marshal(searchItem{ID: t.searchID(cand), Type: "web_search_call", Status: "in_progress", Action: pendingSearch{Type: "search"}})
	return &llm.OutputDelta{Hosted: &llm.BlockDelta{Index: 0, Start: item}}
}

// searchItem is a web_search_call item as the Responses API writes it.
type searchItem struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Status string `json:"status"`
	// Action is a *searchAction, or a pendingSearch in progress.
	Action any `json:"action,omitempty"`
}

// pendingSearch is the action of a search in progress: its query is not
// known yet.
type pendingSearch struct {
	Type string `json:"type"`
}

type searchAction struct {
	Type    string   `json:"type"`
	Query   string   `json:"query"`
	Queries []string `json:"queries"`
}

// searchDone sets on od, at the candidate's finish, the completed
// web_search_call item with Gemini's webSearchQueries (none when Gemini
// answered without searching) and the url_citation annotations of its
// groundingSupports, one per support and chunk, in Chat's shape
// (Annotations) and the Responses API's (TextAnnotations), both indexing
// the whole text, which follows the search item.
func (t *StreamTranslator) searchDone(od *llm.OutputDelta, cand int, a *webSearchAnswer) {
	var g groundingMetadata
	if len(a.grounding) > 0 {
		_ = json.Unmarshal(a.grounding, &g)
	}
	t.queries += len(g.WebSearchQueries)
	act := &searchAction{Type: "search", Queries: g.WebSearchQueries}
	if len(act.Queries) == 0 {
		act.Queries = []string{}
	} else {
		act.Query = act.Queries[0]
	}
	od.Hosted.Whole, _ = json.Marshal(searchItem{ID: t.searchID(cand), Type: "web_search_call", Status: "completed", Action: act})
	var cites []llm.URLCitation
	for _, s := range g.GroundingSupports {
		start, end := a.chars(s.Segment.StartIndex), a.chars(s.Segment.EndIndex)
		if end <= start {
			continue
		}
		for _, i := range s.GroundingChunkIndices {
			if i < 0 || i >= len(g.GroundingChunks) || g.GroundingChunks[i].Web == nil || g.GroundingChunks[i].Web.URI == "" {
				continue
			}
			w := g.GroundingChunks[i].Web
			cites = append(cites, llm.URLCitation{Start: start, End: end, MessageStart: start, MessageEnd: end, URL: w.URI, Title: w.Title})
		}
	}
	od.SetURLCitations(cites)
}

// chars is the character (code point) offset, as OpenAI's annotations
// count, of the UTF-8 byte offset b in the candidate's text, as Gemini's
// segments count (google-gemini/gemini-cli#29039): b clamped to the text,
// and moved back to the start of a character it falls within.
func (a *webSearchAnswer) chars(b int) int {
	b = max(0, min(b, len(a.text)))
	for b > 0 && b < len(a.text) && !utf8.RuneStart(a.text[b]) {
		b--
	}
	return utf8.RuneCount(a.text[:b])
}

// searched keeps what candidate fragment c adds to its answer to a web
// search (its text, its groundingMetadata) and, at its finish, completes
// the web_search_call item on ch.
func (t *StreamTranslator) searched(st *candState, c *Candidate, ch *llm.ChunkChoice) {
	if st.search == nil {
		st.search = &webSearchAnswer{}
	}
	a := st.search
	a.text = append(a.text, ch.Delta.Content...)
	if len(c.Grounding) > 0 {
		a.grounding = c.Grounding
	}
	if c.FinishReason == "" {
		return
	}
	od := ch.Delta.Output
	if od == nil {
		od = &llm.OutputDelta{Hosted: &llm.BlockDelta{}}
		ch.Delta.Output = od
	}
	t.searchDone(od, c.Index, a)
}

// startSearch queues the in_progress web_search_call item of a
// candidate's first answer (its first text, call or finish) on a chunk of
// its own, sent before ch (with the role, when ch has it), so that a
// stream writes the search before the message's text and after the
// thought summary, as OpenAI's reasoning models write a reasoning item,
// then the web_search_call, then the message: thoughts that came in ch
// with that first answer are moved to a chunk ahead of the search's.
func (t *StreamTranslator) startSearch(cand int, ch *llm.ChunkChoice) {
	if ch.Delta.Thinking != nil {
		t.thoughts = append(t.thoughts, llm.ChunkChoice{Index: cand, Delta: llm.Delta{Role: ch.Delta.Role, Thinking: ch.Delta.Thinking}})
		ch.Delta.Role, ch.Delta.Thinking = "", nil
	}
	t.starts = append(t.starts, llm.ChunkChoice{Index: cand, Delta: llm.Delta{Role: ch.Delta.Role, Output: t.searchStart(cand)}})
	ch.Delta.Role = ""
}

// usageOf is um as llm.Usage, with the web searches Google bills of the
// answer to a web search (billedSearches; GroundingUSD prices each).
func (t *StreamTranslator) usageOf(um *UsageMetadata) llm.Usage {
	u := UsageToLLM(um)
	if t.WebSearch {
		u.WebSearchRequests = billedSearches(t.model, t.queries)
	}
	return u
}
