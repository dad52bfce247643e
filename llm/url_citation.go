package llm

import "encoding/json"

// URLCitation is a web page an answer's text cites: a Claude or Gemini
// web search's citations made OpenAI's. Start and End are the cited span
// in characters (code points), as OpenAI counts them, of the Responses
// API's output_text part; MessageStart and MessageEnd of the whole
// message's text, which Chat Completions' annotations index (the same
// when the message is one part).
type URLCitation struct {
	Start, End               int
	MessageStart, MessageEnd int
	URL, Title               string
}

// SetURLCitations sets od's annotations to cites in both of OpenAI's
// shapes: Chat Completions' message.annotations ({"type":"url_citation",
// "url_citation":{…}}) and the Responses API's output_text annotations
// (flat); nothing when cites is empty.
func (od *OutputDelta) SetURLCitations(cites []URLCitation) {
	if len(cites) == 0 {
		return
	}
	type span struct {
		End   int    `json:"end_index"`
		Start int    `json:"start_index"`
		Title string `json:"title"`
		URL   string `json:"url"`
	}
	type chatCitation struct {
		Type        string `json:"type"`
		URLCitation span   `json:"url_citation"`
	}
	type textCitation struct {
		Type  string `json:"type"`
		Start int    `json:"start_index"`
		End   int    `json:"end_index"`
		URL   string `json:"url"`
		Title string `json:"title"`
	}
	chat := make([]chatCitation, 0, len(cites))
	text := make([]textCitation, 0, len(cites))
	for _, c := range cites {
		chat = append(chat, chatCitation{"url_citation", span{c.MessageEnd, c.MessageStart, c.Title, c.URL}})
		text = append(text, textCitation{"url_citation", c.Start, c.End, c.URL, c.Title})
	}
	od.Annotations, _ = json.Marshal(chat)
	od.TextAnnotations, _ = json.Marshal(text)
}
