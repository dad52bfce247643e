package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// An OpenAI client's web search declaration becomes Claude's web search
// tool: allowed domains without a scheme (an empty list left out: the API
// refuses one), the location's members carried over (Chat's nested under
// approximate), search_context_size as max_uses (low 1, medium 5, high
// 10, as LiteLLM maps it; another value left out).
func TestWebSearchFromOpenAI(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"type":"web_search"}`, `{"type":"web_search_20250305","name":"web_search"}`},
		{`{"type":"web_search","filters":{"allowed_domains":["https://go.dev/","pkg.go.dev"]},"search_context_size":"high","user_location":{"type":"approximate","city":"Paris","country":"FR","region":"IDF","timezone":"Europe/Paris"}}`,
			`{"type":"web_search_20250305","name":"web_search","max_uses":10,"allowed_domains":["go.dev","pkg.go.dev"],"user_location":{"type":"approximate","city":"Paris","region":"IDF","country":"FR","timezone":"Europe/Paris"}}`},
		{`{"type":"web_search","search_context_size":"medium"}`, `{"type":"web_search_20250305","name":"web_search","max_uses":5}`},
		{`{"type":"web_search","search_context_size":"huge"}`, `{"type":"web_search_20250305","name":"web_search"}`},
		{`{"type":"web_search_preview","filters":{"allowed_domains":[]},"user_location":{"type":"approximate"}}`, `{"type":"web_search_20250305","name":"web_search"}`},
	} {
		got, err := WebSearchFromResponses(json.RawMessage(tt.in), "tools[0]")
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: %s %v, want %s", tt.in, got, err, tt.want)
		}
	}
	got, err := WebSearchFromChat(json.RawMessage(`{"search_context_size":"low","user_location":{"type":"approximate","approximate":{"city":"Lyon"}}}`))
	if want := `{"type":"web_search_20250305","name":"web_search","max_uses":1,"user_location":{"type":"approximate","city":"Lyon"}}`; err != nil || string(got) != want {
		t.Errorf("chat: %s %v, want %s", got, err, want)
	}
	if _, err := WebSearchFromResponses(json.RawMessage(`{"type":"web_search","filters":"go.dev"}`), "tools[2]"); err == nil || err.(*llm.Error).Param != "tools[2]" {
		t.Errorf("a malformed tool: %v", err)
	}
	if _, err := WebSearchFromChat(json.RawMessage(`{"user_location":7}`)); err == nil || err.(*llm.Error).Param != "web_search_options" {
		t.Errorf("malformed options: %v", err)
	}
}

// FuzzWebSearchFromOpenAI: any declaration yields a valid JSON tool or an
// error, never a panic.
func FuzzWebSearchFromOpenAI(f *testing.F) {
	for _, s := range []string{`{"type":"web_search"}`, `{"filters":{"allowed_domains":["http://a/"]},"user_location":{"city":"x"}}`, `{"user_location":{"approximate":{"city":"y"}}}`, `null`, `[]`, `{"filters":null}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, decl := range []func() (json.RawMessage, error){
			func() (json.RawMessage, error) { return WebSearchFromResponses(json.RawMessage(in), "tools[0]") },
			func() (json.RawMessage, error) { return WebSearchFromChat(json.RawMessage(in)) },
		} {
			if out, err := decl(); err == nil && !json.Valid(out) {
				t.Fatalf("%q: invalid %s", in, out)
			}
		}
	})
}

// chunkOf is a chunk of one choice with delta d.
func chunkOf(d llm.Delta, finish llm.FinishReason) *llm.Chunk {
	return &llm.Chunk{ID: "msg_1", Choices: []llm.ChunkChoice{{Delta: d, FinishReason: finish}}}
}

func block(bd llm.BlockDelta) llm.Delta { return llm.Delta{Output: &llm.OutputDelta{Block: &bd}} }

// A Claude web search's chunks come out in OpenAI's shapes: a preamble,
// the search as a web_search_call item (added in progress, whole
// completed with its query and, asked for, its sources), the cited text
// blocks' annotations after each block (the Responses API's indices from
// the search on, Chat's in the whole text, in characters), the server
// blocks and text marks gone; an error result makes a failed call.
func TestWebSearchAnswer(t *testing.T) {
	use := `{"type":"server_tool_use","id":"srvtoolu_01A","name":"web_search","input":{}}`
	result := `{"type":"web_search_tool_result","tool_use_id":"srvtoolu_01A","content":[{"type":"web_search_result","title":"Go","url":"https://go.dev/a","encrypted_content":"E"}]}`
	cite := `{"type":"web_search_result_location","cited_text":"x","url":"https://go.dev/a","title":"Go","encrypted_index":"I"}`
	in := []*llm.Chunk{
		chunkOf(llm.Delta{TextBlock: &llm.TextBlockDelta{Index: 0}}, ""),
		chunkOf(llm.Delta{Content: "Je cherche."}, ""),
		chunkOf(block(llm.BlockDelta{Index: 0, Start: json.RawMessage(use)}), ""),
		chunkOf(block(llm.BlockDelta{Index: 0, Input: `{"query":"go"}`}), ""),
		chunkOf(block(llm.BlockDelta{Index: 0, Whole: json.RawMessage(strings.Replace(use, `{}`, `{"query":"go"}`, 1))}), ""),
		chunkOf(block(llm.BlockDelta{Index: 1, Start: json.RawMessage(result)}), ""),
		chunkOf(block(llm.BlockDelta{Index: 1, Whole: json.RawMessage(result)}), ""),
		chunkOf(llm.Delta{TextBlock: &llm.TextBlockDelta{Index: 1}}, ""),
		chunkOf(llm.Delta{TextBlock: &llm.TextBlockDelta{Index: 1, Citation: json.RawMessage(cite)}}, ""),
		chunkOf(llm.Delta{Content: "Go est né en 2009."}, ""),
		chunkOf(llm.Delta{TextBlock: &llm.TextBlockDelta{Index: 2}}, ""),
		chunkOf(llm.Delta{Content: " Fin."}, ""),
		chunkOf(llm.Delta{}, llm.FinishStop),
	}
	a := &WebSearchAnswer{Sources: true}
	var hosted, text, chat []string
	for _, c := range in {
		for _, out := range a.Chunk(c) {
			d := out.Choices[0].Delta
			if d.TextBlock != nil || d.Output != nil && d.Output.Block != nil {
				t.Errorf("a mark or server block passed: %+v", d)
			}
			if o := d.Output; o != nil && o.Hosted != nil {
				hosted = append(hosted, string(o.Hosted.Start)+string(o.Hosted.Whole))
			}
			if o := d.Output; o != nil && o.TextAnnotations != nil {
				text, chat = append(text, string(o.TextAnnotations)), append(chat, string(o.Annotations))
			}
		}
	}
	wantHosted := []string{`{"id":"ws_01A","type":"web_search_call","status":"in_progress","action":{"type":"search"}}`,
		`{"id":"ws_01A","type":"web_search_call","status":"completed","action":{"type":"search","query":"go","queries":["go"],"sources":[{"type":"url","url":"https://go.dev/a"}]}}`}
	if strings.Join(hosted, "\n") != strings.Join(wantHosted, "\n") {
		t.Errorf("hosted\n%s\nwant\n%s", strings.Join(hosted, "\n"), strings.Join(wantHosted, "\n"))
	}
	if want := `[{"type":"url_citation","start_index":0,"end_index":18,"url":"https://go.dev/a","title":"Go"}]`; len(text) != 1 || text[0] != want {
		t.Errorf("text annotations %v, want %s", text, want)
	}
	if want := `[{"type":"url_citation","url_citation":{"end_index":29,"start_index":11,"title":"Go","url":"https://go.dev/a"}}]`; len(chat) != 1 || chat[0] != want {
		t.Errorf("chat annotations %v, want %s", chat, want)
	}

	failed := &WebSearchAnswer{}
	failed.Chunk(chunkOf(block(llm.BlockDelta{Index: 0, Start: json.RawMessage(use)}), ""))
	out := failed.Chunk(chunkOf(block(llm.BlockDelta{Index: 1, Start: json.RawMessage(`{"type":"web_search_tool_result","tool_use_id":"srvtoolu_01A","content":{"type":"web_search_tool_result_error","error_code":"max_uses_exceeded"}}`)}), ""))
	if h := out[0].Choices[0].Delta.Output.Hosted; h == nil || !strings.Contains(string(h.Whole), `"status":"failed"`) {
		t.Errorf("an error result: %+v", out[0].Choices[0].Delta.Output)
	}
}

// A Responses tool_choice forcing the web search on a Claude model that
// refuses forced tool use is named dropped (relaxToolChoice asks for the
// search instead), as a forced function is; on one that forces, nothing.
func TestWebSearchChoiceDrops(t *testing.T) {
	hosted := &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search"}`)}, ToolChoice: json.RawMessage(`{"type":"web_search"}`)}
	for model, want := range map[string]string{"claude-opus-5-5": "tool_choice", "claude-sonnet-4-5": ""} {
		req := &llm.Request{Model: model, OpenAIHosted: hosted}
		if got := strings.Join(ReasoningDrops(req), ","); got != want {
			t.Errorf("%s: drops %q, want %q", model, got, want)
		}
	}
}
