// Package toolname fits a request's function names to an upstream that
// takes shorter ones, and gives the answer's calls their names back.
//
// Claude and Gemini take function names of up to 128 characters, and
// clients use them: Claude Code names an MCP server's tools
// mcp__<server>__<tool>, often past 64. OpenAI's reference sets 64 for
// Chat Completions and the Responses API ("Invalid
// 'tools[0].function.name': string too long. Expected a string with
// maximum length 64"; peers' users hit it with MCP and agent-handoff
// tools), and OpenAI-compatible servers follow it. Shorten gives such a
// name a short form there — in the tools, a forced tool_choice and the
// conversation's earlier calls — and Restore puts the client's name back
// on the answer's calls, complete and streamed.
package toolname

import (
	"hash/fnv"
	"strconv"

	"switchyard/llm"
)

// OpenAIMax is the longest function name OpenAI's APIs take.
const OpenAIMax = 64

// Short returns name when it has at most max bytes, else its first
// bytes and a hash of the whole, max bytes in all: two long names that
// share a beginning stay apart.
func Short(name string, max int) string {
	if len(name) <= max {
		return name
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	suffix := "_" + strconv.FormatUint(h.Sum64()%(36*36*36*36*36*36*36*36), 36)
	return name[:max-len(suffix)] + suffix
}

// Shorten returns req with every function name longer than max made
// Short, and the short names mapped to the client's; req itself is not
// changed. A request whose names all fit is returned as it is, with a nil
// map and no allocation.
func Shorten(req *llm.Request, max int) (*llm.Request, map[string]string) {
	if !tooLong(req, max) {
		return req, nil
	}
	r := *req
	names := map[string]string{}
	short := func(n string) string {
		s := Short(n, max)
		if s != n {
			names[s] = n
		}
		return s
	}
	r.Tools = make([]llm.Tool, len(req.Tools))
	for i, t := range req.Tools {
		t.Name = short(t.Name)
		r.Tools[i] = t
	}
	if tc := req.ToolChoice; tc != nil && (tc.Name != "" || tc.Allowed != nil) {
		r.ToolChoice = &llm.ToolChoice{Mode: tc.Mode, Name: tc.Name}
		if tc.Name != "" {
			r.ToolChoice.Name = short(tc.Name)
		}
		if tc.Allowed != nil {
			r.ToolChoice.Allowed = make([]string, len(tc.Allowed))
			for i, n := range tc.Allowed {
				r.ToolChoice.Allowed[i] = short(n)
			}
		}
	}
	r.Messages = make([]llm.Message, len(req.Messages))
	for i, m := range req.Messages {
		if calls := m.ToolCalls(); callTooLong(calls, max) {
			renamed := make([]llm.ToolCall, len(calls))
			for j, c := range calls {
				c.Name = short(c.Name)
				renamed[j] = c
			}
			m.SetToolCalls(renamed)
		}
		r.Messages[i] = m
	}
	return &r, names
}

func tooLong(req *llm.Request, max int) bool {
	for i := range req.Tools {
		if len(req.Tools[i].Name) > max {
			return true
		}
	}
	if req.ToolChoice != nil && len(req.ToolChoice.Name) > max {
		return true
	}
	for i := range req.Messages {
		if req.Messages[i].Extra != nil && callTooLong(req.Messages[i].ToolCalls(), max) {
			return true
		}
	}
	return false
}

func callTooLong(calls []llm.ToolCall, max int) bool {
	for i := range calls {
		if len(calls[i].Name) > max {
			return true
		}
	}
	return false
}

// Restore returns s with the names of its tool calls that names holds
// given back as the client's; a nil names returns s.
func Restore(s llm.Stream, names map[string]string) llm.Stream {
	if names == nil {
		return s
	}
	return &restorer{Stream: s, names: names}
}

// restorer is the Stream Restore returns.
type restorer struct {
	llm.Stream
	names map[string]string
}

// Next returns the next chunk with its calls' names restored.
func (r *restorer) Next() (*llm.Chunk, error) {
	c, err := r.Stream.Next()
	if err != nil || c == nil {
		return c, err
	}
	for i := range c.Choices {
		for j := range c.Choices[i].Delta.ToolCalls {
			tc := &c.Choices[i].Delta.ToolCalls[j]
			if n, ok := r.names[tc.Name]; ok {
				tc.Name = n
			}
		}
	}
	return c, nil
}

// Ready implements llm.Readier: the wrapped stream's readiness.
func (r *restorer) Ready() bool { return llm.Ready(r.Stream) }

// RestoreResponse gives the tool calls of resp, a complete answer (a
// provider batch's), whose names names holds the client's names back;
// a nil names or resp changes nothing.
func RestoreResponse(resp *llm.Response, names map[string]string) {
	if names == nil || resp == nil {
		return
	}
	resp.EditToolCalls(func(c *llm.ToolCall) bool {
		n, ok := names[c.Name]
		if ok {
			c.Name = n
		}
		return ok
	})
}
