package anthropic

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// This file serves Anthropic's server tools as Claude would, enough for
// tests, deterministically: a turn that asks afresh (its user turn holds
// no tool results) of a request declaring a tool search tool searches the
// deferred tools and calls the first it finds; one declaring web search
// searches the web (fake results) and answers citing them. The blocks
// are the API's: server_tool_use, tool_search_tool_result (tool_reference
// blocks), web_search_tool_result (web_search_result blocks), text with
// web_search_result_location citations. A later turn may send them back;
// checkServerHistory checks them as the API would.

// serverTool is the server tool a request declares that the simulator
// runs (tool search first, then web search), "" for none.
func serverTool(req *wire.MessagesRequest) (typ, name string) {
	var web string
	for _, t := range req.Tools {
		switch {
		case strings.HasPrefix(t.Type, "tool_search_tool_"):
			return t.Type, t.Name
		case isAdvisor(t.Type):
			return "advisor", t.Name
		case strings.HasPrefix(t.Type, "web_search_") && web == "":
			web = t.Name
		}
	}
	if web != "" {
		return "web_search", web
	}
	return "", ""
}

// serverTurn answers g with its request's server tool, when it has one
// and its last user turn asks afresh; it reports whether it did.
func serverTurn(g *generation) bool {
	typ, name := serverTool(g.req)
	if typ == "" || g.ask.HasToolResult || g.refused || g.ask.Prompt == "" {
		return false
	}
	id := sim.ID("srvtoolu_01", g.id+name)
	if typ == "web_search" {
		webSearch(g, id, name)
		return true
	}
	if typ == "advisor" {
		advise(g, id, name)
		return true
	}
	query := searchQuery(g.ask.Prompt)
	found := deferredMatches(g.req, query)
	g.server = []wire.ContentBlock{
		serverToolUse(id, name, map[string]string{"query": query}),
		rawBlock(map[string]any{"type": "tool_search_tool_result", "tool_use_id": id, "content": toolSearchResult{
			"tool_search_tool_search_result", toolReferences(found)}}),
	}
	g.text, g.pieces, g.cited, g.tools, g.stopReason = "", nil, nil, nil, wire.StopToolUse
	if len(found) == 0 {
		g.text, g.stopReason = "I found no tool for that.", wire.StopEndTurn
		g.pieces = sim.Split(g.text)
		return true
	}
	t := found[0]
	g.tools = []sim.ToolCall{{ID: sim.ID("toolu_01", g.id+t.Name), Name: t.Name, Arguments: string(sim.ExampleJSON(t.InputSchema))}}
	return true
}

// searchQuery is the regular expression Claude would search with: the
// prompt's longer words, any of them.
func searchQuery(prompt string) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(prompt), func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }) {
		if len(w) >= 4 && len(words) < 8 {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return ".*"
	}
	return "(?i)(" + strings.Join(words, "|") + ")"
}

// deferredMatches are the deferred tools (defer_loading) whose name or
// description matches query, in declaration order.
func deferredMatches(req *wire.MessagesRequest, query string) []wire.Tool {
	re, err := regexp.Compile(query)
	if err != nil {
		return nil
	}
	var out []wire.Tool
	for _, t := range req.Tools {
		if t.DeferLoading != nil && *t.DeferLoading && (re.MatchString(t.Name) || re.MatchString(t.Description)) {
			out = append(out, t)
		}
	}
	return out
}

// The result blocks' shapes, fields in the API's order.
type (
	toolSearchResult struct {
		Type           string          `json:"type"`
		ToolReferences []toolReference `json:"tool_references"`
	}
	toolReference struct {
		Type     string `json:"type"`
		ToolName string `json:"tool_name"`
	}
	webSearchResult struct {
		Type             string  `json:"type"`
		Title            string  `json:"title"`
		URL              string  `json:"url"`
		EncryptedContent string  `json:"encrypted_content"`
		PageAge          *string `json:"page_age"`
	}
	webCitation struct {
		Type           string `json:"type"`
		CitedText      string `json:"cited_text"`
		URL            string `json:"url"`
		Title          string `json:"title"`
		EncryptedIndex string `json:"encrypted_index"`
	}
)

func toolReferences(tools []wire.Tool) []toolReference {
	out := make([]toolReference, 0, len(tools))
	for _, t := range tools {
		out = append(out, toolReference{"tool_reference", t.Name})
	}
	return out
}

// webSearch answers g with one web search: the query, two fake results
// and text citing them.
func webSearch(g *generation, id, name string) {
	query := firstLine(g.ask.Prompt, 120)
	var results []webSearchResult
	var cited []wire.ContentBlock
	for i, title := range []string{"Overview", "Latest news"} {
		url := "https://search.example/" + sim.ID("", query) + "/" + title[:1]
		title = title + ": " + firstLine(query, 60)
		results = append(results, webSearchResult{"web_search_result", title, url, encryptedContent(url), nil})
		said := []string{"The first source gives an overview.", " The second has the latest news."}[i]
		citation, _ := json.Marshal(webCitation{"web_search_result_location", said, url, title, encryptedContent(url + "#0")})
		cited = append(cited, wire.ContentBlock{Type: wire.BlockText, Text: said, Citations: json.RawMessage("[" + string(citation) + "]")})
	}
	g.server = []wire.ContentBlock{
		serverToolUse(id, name, map[string]string{"query": query}),
		rawBlock(map[string]any{"type": "web_search_tool_result", "tool_use_id": id, "content": results}),
	}
	g.text, g.pieces, g.cited, g.tools = "Here is what I found.", sim.Split("Here is what I found."), cited, nil
	g.stopReason = wire.StopEndTurn
	g.usage.ServerToolUse = &wire.ServerToolUsage{WebSearchRequests: 1}
}

// encryptedContent is a result's opaque content: a hash of its URL, which
// checkServerHistory checks when it comes back.
func encryptedContent(url string) string { return "Eq" + sim.ID("", "sim-web:"+url) }

// serverToolUse is a server_tool_use block.
func serverToolUse(id, name string, input any) wire.ContentBlock {
	in, _ := json.Marshal(input)
	return rawBlock(map[string]any{"type": "server_tool_use", "id": id, "name": name, "input": json.RawMessage(in)})
}

// rawBlock is a block of a type the wire package keeps raw, with its
// fields in the API's order (type first, then as listed).
func rawBlock(fields map[string]any) wire.ContentBlock {
	typ := fields["type"].(string)
	b := []byte(`{"type":` + quote(typ))
	for _, k := range []string{"id", "tool_use_id", "name", "input", "content"} {
		if v, ok := fields[k]; ok {
			raw, _ := json.Marshal(v)
			b = append(b, `,"`+k+`":`...)
			b = append(b, raw...)
		}
	}
	return wire.ContentBlock{Type: typ, Raw: append(b, '}')}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// hiddenDeferred reports a deferred tool (defer_loading) that no tool
// search of the conversation (the server tool's, or a client's own
// tool_reference in a tool_result) has found: Claude does not see it.
func hiddenDeferred(req *wire.MessagesRequest, t *wire.Tool) bool {
	if t.DeferLoading == nil || !*t.DeferLoading {
		return false
	}
	ref := []byte(`"tool_name":` + quote(t.Name))
	for _, m := range req.Messages {
		for _, b := range m.Content {
			if b.Type == "tool_search_tool_result" && bytes.Contains(b.Raw, ref) {
				return false
			}
			for _, c := range b.Content { // a client's own search's tool_reference
				if c.Type == wire.BlockToolReference && bytes.Contains(c.Raw, ref) {
					return false
				}
			}
		}
	}
	return true
}

// checkServerHistory checks the server tool blocks sent back in
// assistant turns as the API does: each server_tool_use answered by a
// result block in the same turn, and each web search result's
// encrypted_content the one the simulator wrote (the API cannot read a
// result whose bytes were changed).
func checkServerHistory(req *wire.MessagesRequest) *apiError {
	for i, m := range req.Messages {
		if m.Role != "assistant" {
			continue
		}
		open := map[string]bool{}
		for j, b := range m.Content {
			var v struct {
				ID        string          `json:"id"`
				ToolUseID string          `json:"tool_use_id"`
				Content   json.RawMessage `json:"content"`
			}
			if b.Raw == nil || json.Unmarshal(b.Raw, &v) != nil {
				continue
			}
			switch {
			case b.Type == "server_tool_use":
				open[v.ID] = true
			case strings.HasSuffix(b.Type, "_tool_result"):
				if !open[v.ToolUseID] {
					return invalid("messages.%d.content.%d: tool_use_id %s of a %s block answers no server_tool_use block before it", i, j, v.ToolUseID, b.Type)
				}
				delete(open, v.ToolUseID)
				if e := checkWebResults(b.Type, v.Content, i, j); e != nil {
					return e
				}
			}
		}
		for id := range open {
			return invalid("messages.%d: server_tool_use %s has no result block after it", i, id)
		}
	}
	return nil
}

// checkWebResults checks a web_search_tool_result's encrypted contents.
func checkWebResults(typ string, content json.RawMessage, i, j int) *apiError {
	if typ != "web_search_tool_result" {
		return nil
	}
	var results []webSearchResult
	if json.Unmarshal(content, &results) != nil {
		return nil // an error result
	}
	for k, r := range results {
		if r.EncryptedContent != encryptedContent(r.URL) {
			return invalid("messages.%d.content.%d.content.%d.encrypted_content: invalid encrypted content", i, j, k)
		}
	}
	return nil
}
