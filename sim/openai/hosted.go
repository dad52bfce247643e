package openai

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file runs two of OpenAI's hosted tools on the sim's
// /v1/responses, as the API reference writes their items: web search (a
// web_search_call whose action searches the prompt, then a message whose
// text links to a simulated example.com page, cited by a url_citation
// annotation) and the code interpreter (a code_interpreter_call that
// printed the prompt's length in a container). Each runs when the
// request declares it; include web_search_call.action.sources adds the
// search's sources, code_interpreter_call.outputs the code's logs.

// hostedRun is what the declared hosted tools add to an answer: items
// before its text, text after it, the annotations of that text.
type hostedRun struct {
	items       []json.RawMessage // the whole items; each starts in_progress
	starts      []json.RawMessage
	link        string
	annotations json.RawMessage
}

// runHosted runs the hosted tools req declares on prompt, whose answer
// is text; nil when it declares none the sim runs.
func runHosted(req *llm.Request, prompt, text string) *hostedRun {
	h := req.OpenAIHosted
	if h == nil {
		return nil
	}
	var run hostedRun
	base := randAlnum(16)
	for _, raw := range h.Tools {
		var t struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(raw, &t)
		switch {
		case strings.HasPrefix(t.Type, "web_search") && run.link == "":
			run.webSearch(base, query(prompt), text, slices.Contains(h.Include, "web_search_call.action.sources"))
		case t.Type == "code_interpreter":
			run.codeInterpreter(base, prompt, slices.Contains(h.Include, "code_interpreter_call.outputs"))
		}
	}
	if len(run.items) == 0 {
		return nil
	}
	return &run
}

// webSearch adds a web_search_call searching q (written as query, which
// the spec deprecates, and queries) and the link its answer text cites.
func (run *hostedRun) webSearch(base, q, text string, sources bool) {
	id := jsonw.String(nil, "ws_"+base)
	url := "https://example.com/search/" + slug(q)
	item := append([]byte(`{"id":`), id...)
	item = append(item, `,"type":"web_search_call","status":"completed","action":{"type":"search","query":`...)
	item = jsonw.String(item, q)
	item = append(jsonw.String(append(item, `,"queries":[`...), q), ']')
	if sources {
		item = jsonw.String(append(item, `,"sources":[{"type":"url","url":`...), url)
		item = append(item, "}]"...)
	}
	item = append(item, "}}"...)
	// The in_progress item already has its action, a search whose query
	// is not known yet: action is required of every web_search_call (the
	// spec's WebSearchToolCall, openai-go's ResponseFunctionWebSearch).
	run.starts = append(run.starts, json.RawMessage(`{"id":`+string(id)+`,"type":"web_search_call","status":"in_progress","action":{"type":"search"}}`))
	run.items = append(run.items, item)
	run.link = " ([example.com](" + url + "))"
	start := utf8.RuneCountInString(text) + 1
	end := start + utf8.RuneCountInString(run.link) - 1
	a := jsonw.String([]byte(`[{"type":"url_citation","url":`), url)
	a = jsonw.String(append(a, `,"title":`...), "Example Domain: "+q)
	a = append(append(a, `,"start_index":`...), strconv.Itoa(start)...)
	a = append(append(a, `,"end_index":`...), strconv.Itoa(end)...)
	run.annotations = append(a, "}]"...)
}

// codeInterpreter adds a code_interpreter_call that printed the length of
// prompt in a new container.
func (run *hostedRun) codeInterpreter(base, prompt string, outputs bool) {
	id, container := jsonw.String(nil, "ci_"+base), jsonw.String(nil, "cntr_"+base)
	code := "print(len(" + strconv.Quote(clip(prompt, 40)) + "))"
	head := `{"id":` + string(id) + `,"type":"code_interpreter_call","status":"%s","container_id":` + string(container) + `,"code":`
	run.starts = append(run.starts, json.RawMessage(strings.Replace(head, "%s", "in_progress", 1)+`"","outputs":null}`))
	item := append([]byte(strings.Replace(head, "%s", "completed", 1)), jsonw.String(nil, code)...)
	if outputs {
		item = jsonw.String(append(item, `,"outputs":[{"type":"logs","logs":`...), strconv.Itoa(utf8.RuneCountInString(clip(prompt, 40)))+"\n")
		item = append(item, "}]}"...)
	} else {
		item = append(item, `,"outputs":null}`...)
	}
	run.items = append(run.items, item)
}

// chunks returns the chunks of the hosted items (each started, then
// whole), to go before the answer's text, the first the answer's hosted
// item from.
func (run *hostedRun) chunks(from int) []*llm.Chunk {
	out := make([]*llm.Chunk, 0, 2*len(run.items))
	for i := range run.items {
		for _, bd := range []*llm.BlockDelta{{Index: from + i, Start: run.starts[i]}, {Index: from + i, Whole: run.items[i]}} {
			out = append(out, &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Output: &llm.OutputDelta{Hosted: bd}}}}})
		}
	}
	return out
}

// tail returns the chunks after the answer's text: the link and its
// annotation; none without a web search.
func (run *hostedRun) tail() []*llm.Chunk {
	if run.link == "" {
		return nil
	}
	return []*llm.Chunk{
		{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: run.link}}}},
		{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Output: &llm.OutputDelta{TextAnnotations: run.annotations}}}}},
	}
}

// query is the search a prompt asks: its first words.
func query(prompt string) string {
	words := strings.Fields(prompt)
	return strings.Join(words[:min(len(words), 8)], " ")
}

// slug is q as a URL path segment.
func slug(q string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(q) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
