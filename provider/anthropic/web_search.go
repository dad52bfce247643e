package anthropic

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"

	"switchyard/llm"
	wire "switchyard/wire/anthropic"
)

// lowerWebSearch returns req with an OpenAI client's web search — the
// Responses API's web_search tools (llm.OpenAIHosted), Chat Completions'
// web_search_options — declared as Claude's web search server tool, and
// the WebSearchAnswer that turns the answer's search back into the
// client's shapes (a tool_choice naming the web search as
// wire.WebSearchChoice writes it); req itself and nil when it asks for none, without
// allocating. Any other hosted tool or OpenAI-only member is an
// invalid_request error: the route sends Claude deployments OpenAI's web
// search alone (route.Deployment.hosted).
func lowerWebSearch(req *llm.Request) (*llm.Request, *wire.WebSearchAnswer, error) {
	opts, chat := req.Extra["web_search_options"]
	h := req.OpenAIHosted
	if h == nil && !chat {
		return req, nil, nil
	}
	r := *req
	if chat && wire.SearchLeftOut(req) { // named dropped (gateway)
		r.Extra = maps.Clone(req.Extra)
		delete(r.Extra, "web_search_options")
		req, chat = &r, false
		if h == nil {
			return &r, nil, nil
		}
	}
	a := &wire.WebSearchAnswer{}
	var decls []json.RawMessage
	if h != nil {
		if len(h.Params) > 0 {
			return nil, nil, llm.Errorf(llm.KindInvalidRequest, "%s is served by OpenAI's Responses API alone, not by a Claude deployment", h.Params[0].Name)
		}
		for i, raw := range h.Tools {
			param := "tools[" + strconv.Itoa(i) + "]"
			if llm.HostedKindOf(typeOf(raw)) != llm.HostedWebSearch {
				e := llm.Errorf(llm.KindInvalidRequest, "a Claude deployment serves OpenAI's web_search among the hosted tools, not %s", typeOf(raw))
				e.Param = param + ".type"
				return nil, nil, e
			}
			decl, err := wire.WebSearchFromResponses(raw, param)
			if err != nil {
				return nil, nil, err
			}
			decls = append(decls, decl)
		}
		a.Sources = slices.Contains(h.Include, "web_search_call.action.sources")
		r.ToolChoice = wire.WebSearchChoice(req)
		r.OpenAIHosted = nil
	}
	if chat {
		decl, err := wire.WebSearchFromChat(opts)
		if err != nil {
			return nil, nil, err
		}
		decls = append(decls, decl)
		r.Extra = maps.Clone(req.Extra)
		delete(r.Extra, "web_search_options")
	}
	if len(decls) > 0 { // Claude takes one web search tool
		r.Tools = append(slices.Clip(req.Tools), llm.Tool{Name: wire.WebSearchName, Anthropic: &llm.AnthropicToolOptions{Server: decls[0]}})
	}
	return &r, a, nil
}

// typeOf is the "type" member of a JSON object; "" when it has none.
func typeOf(raw json.RawMessage) string {
	var h struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &h)
	return h.Type
}

// webSearchStream is a stream whose chunks pass through a WebSearchAnswer.
// Not safe for concurrent use.
type webSearchStream struct {
	s     llm.Stream
	a     *wire.WebSearchAnswer
	queue []*llm.Chunk
}

// raiseWebSearch returns s with its chunks passed through a (see
// lowerWebSearch); s itself when a is nil.
func raiseWebSearch(s llm.Stream, a *wire.WebSearchAnswer) llm.Stream {
	if a == nil {
		return s
	}
	return &webSearchStream{s: s, a: a}
}

// Next implements llm.Stream.
func (w *webSearchStream) Next() (*llm.Chunk, error) {
	if len(w.queue) == 0 {
		c, err := w.s.Next()
		if err != nil {
			return nil, err
		}
		w.queue = w.a.Chunk(c)
	}
	c := w.queue[0]
	w.queue = w.queue[1:]
	return c, nil
}

// Close closes the wrapped stream.
func (w *webSearchStream) Close() error { return w.s.Close() }

// Ready reports whether Next would return at once: a chunk is queued or
// the wrapped stream says so.
func (w *webSearchStream) Ready() bool { return len(w.queue) > 0 || llm.Ready(w.s) }
