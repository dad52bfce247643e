package gemini

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// groundedStream is a streamed answer to a googleSearch request, as
// Gemini sends it: the text over two fragments, groundingMetadata on the
// last, its segments' indices UTF-8 byte offsets ("é" is two bytes before
// the first cited segment, so the byte and character offsets differ).
var groundedStream = []string{
	`{"candidates":[{"content":{"parts":[{"text":"Café news: the Louvre"}],"role":"model"},"index":0}],"responseId":"r1"}`,
	`{"candidates":[{"content":{"parts":[{"text":" opens late on Fridays. Métro line 14 now reaches Orly."}],"role":"model"},"finishReason":"STOP","index":0,` +
		`"groundingMetadata":{"webSearchQueries":["paris news"],"searchEntryPoint":{"renderedContent":"<div></div>"},` +
		`"groundingChunks":[{"web":{"uri":"https://a.example/1","title":"louvre.fr"}},{"web":{"uri":"https://a.example/2","title":"ratp.fr"}}],` +
		`"groundingSupports":[{"segment":{"startIndex":12,"endIndex":45,"text":"the Louvre opens late on Fridays."},"groundingChunkIndices":[0]},` +
		`{"segment":{"startIndex":46,"endIndex":78,"text":"Métro line 14 now reaches Orly."},"groundingChunkIndices":[0,1]},` +
		`{"segment":{"startIndex":46,"endIndex":78},"groundingChunkIndices":[7]}]}}],"responseId":"r1"}`,
}

// A web search answer starts a web_search_call item on the first chunk,
// completes it with Gemini's queries at the finish, and turns each
// support × chunk into a url_citation whose indices count characters.
func TestWebSearchAnswer(t *testing.T) {
	tr := NewStreamTranslator("gemini-2.5-flash")
	tr.WebSearch = true
	var chunks []*llm.Chunk
	for _, ev := range groundedStream {
		out, err := tr.Translate([]byte(ev))
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, out...)
	}
	if len(chunks) != 3 || chunks[0].Choices[0].Delta.Content != "" || chunks[0].Choices[0].Delta.Role != llm.RoleAssistant || chunks[1].Choices[0].Delta.Output != nil {
		t.Fatalf("chunks %+v, want the search's start alone before the text", chunks)
	}
	first := chunks[0].Choices[0].Delta.Output
	if first == nil || first.Hosted == nil || string(first.Hosted.Start) != `{"id":"ws_r1","type":"web_search_call","status":"in_progress","action":{"type":"search"}}` {
		t.Fatalf("first chunk's output %+v", first)
	}
	last := chunks[len(chunks)-1].Choices[0].Delta.Output
	if last == nil || last.Hosted == nil {
		t.Fatal("no completed item")
	}
	if got, want := string(last.Hosted.Whole), `{"id":"ws_r1","type":"web_search_call","status":"completed","action":{"type":"search","query":"paris news","queries":["paris news"]}}`; got != want {
		t.Errorf("item %s, want %s", got, want)
	}
	var text []struct {
		Start int    `json:"start_index"`
		End   int    `json:"end_index"`
		URL   string `json:"url"`
	}
	if err := json.Unmarshal(last.TextAnnotations, &text); err != nil || len(text) != 3 {
		t.Fatalf("annotations %s (%v)", last.TextAnnotations, err)
	}
	whole := "Café news: the Louvre opens late on Fridays. Métro line 14 now reaches Orly."
	runes := []rune(whole)
	for i, want := range []string{"the Louvre opens late on Fridays.", "Métro line 14 now reaches Orly.", "Métro line 14 now reaches Orly."} {
		if got := string(runes[text[i].Start:text[i].End]); got != want {
			t.Errorf("annotation %d spans %q, want %q", i, got, want)
		}
	}
	if text[2].URL != "https://a.example/2" {
		t.Errorf("third annotation's url %s", text[2].URL)
	}
	if !strings.Contains(string(last.Annotations), `"url_citation":{"end_index":44,"start_index":11,"title":"louvre.fr","url":"https://a.example/1"}`) {
		t.Errorf("chat annotations %s", last.Annotations)
	}
}

// Without WebSearch, groundingMetadata changes nothing.
func TestGroundingIgnoredWithoutWebSearch(t *testing.T) {
	tr := NewStreamTranslator("gemini-2.5-flash")
	for _, ev := range groundedStream {
		out, err := tr.Translate([]byte(ev))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range out {
			if c.Choices[0].Delta.Output != nil {
				t.Errorf("output %+v", c.Choices[0].Delta.Output)
			}
		}
	}
}

// An answer Gemini wrote without searching completes its item with no
// query and no annotation; a support past the text is clamped.
func TestWebSearchAnswerNoGrounding(t *testing.T) {
	tr := NewStreamTranslator("gemini-2.5-flash")
	tr.WebSearch = true
	out, err := tr.Translate([]byte(`{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP","index":0}],"responseId":"r2"}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Choices[0].Delta.Output == nil || len(out[0].Choices[0].Delta.Output.Hosted.Start) == 0 {
		t.Fatalf("chunks %+v, want the search's start first", out)
	}
	od := out[1].Choices[0].Delta.Output
	if od == nil || !strings.Contains(string(od.Hosted.Whole), `"queries":[]`) || od.Annotations != nil {
		t.Errorf("output %+v", od)
	}
}

func FuzzWebSearchAnswer(f *testing.F) {
	for _, ev := range groundedStream {
		f.Add([]byte(ev))
	}
	f.Add([]byte(`{"candidates":[{"content":{"parts":[{"text":"é"}]},"finishReason":"STOP","groundingMetadata":{"groundingChunks":[{}],"groundingSupports":[{"segment":{"startIndex":1,"endIndex":-3},"groundingChunkIndices":[0,-1]}]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr := NewStreamTranslator("m")
		tr.WebSearch = true
		_, _ = tr.Translate(data)
	})
}

// DroppedWebSearch names a tool_choice forcing the web search (Gemini
// cannot force googleSearch), and one of allowed_tools mode required
// that allows the web search alone.
func TestDroppedWebSearchChoice(t *testing.T) {
	decl := []json.RawMessage{json.RawMessage(`{"type":"web_search"}`)}
	for choice, want := range map[string]string{
		`{"type":"web_search_preview"}`:                                                                             "tool_choice",
		`{"type":"allowed_tools","mode":"required","tools":[{"type":"web_search"}]}`:                                "tool_choice",
		`{"type":"allowed_tools","mode":"auto","tools":[{"type":"web_search"}]}`:                                    "",
		`{"type":"allowed_tools","mode":"required","tools":[{"type":"web_search"},{"type":"function","name":"f"}]}`: "",
	} {
		req := &llm.Request{Model: "gemini-3-flash", Tools: []llm.Tool{{Name: "f"}}, OpenAIHosted: &llm.OpenAIHosted{Tools: decl, ToolChoice: json.RawMessage(choice)}}
		if strings.Contains(choice, "allowed_tools") {
			req.ToolChoice = &llm.ToolChoice{Mode: llm.ToolChoiceRequired, Allowed: []string{}}
			if strings.Contains(choice, `"auto"`) {
				req.ToolChoice.Mode = llm.ToolChoiceAuto
			}
			if strings.Contains(choice, `"f"`) {
				req.ToolChoice.Allowed = []string{"f"}
			}
		}
		if got := strings.Join(DroppedWebSearch(req), ","); got != want {
			t.Errorf("%s: dropped %q, want %q", choice, got, want)
		}
	}
}
