package customtool

import (
	"encoding/json"
	"io"

	"switchyard/llm"
)

// Raise returns s with the calls of the functions names lists (the
// custom tools Lower made functions) turned back into custom calls: the
// call's first fragment, typed custom, passes at once without arguments;
// its argument JSON is buffered — its pieces cannot be split into pieces
// of the input safely — and its input (the string "input" of the whole
// arguments, or the arguments themselves when they hold no such string)
// is sent in one fragment with the choice's finish (or before the end of
// a stream that ends without one). A nil names returns s.
func Raise(s llm.Stream, names map[string]bool) llm.Stream {
	if names == nil {
		return s
	}
	return &raiser{s: s, names: names}
}

// callKey names one call of one choice.
type callKey struct{ choice, index int }

// raiser is the Stream Raise returns. Not safe for concurrent use.
type raiser struct {
	s     llm.Stream
	names map[string]bool
	// args holds the buffered arguments of each custom call, pending
	// until its choice finishes; order is the keys in arrival order.
	args  map[callKey][]byte
	order []callKey
	// eof is set once the pending calls were flushed at the end.
	eof bool
}

// Next returns the next chunk with the custom calls' fragments rewritten.
func (r *raiser) Next() (*llm.Chunk, error) {
	if r.eof {
		return nil, io.EOF
	}
	c, err := r.s.Next()
	if err == io.EOF && len(r.order) > 0 {
		r.eof = true
		return r.flushAll(), nil
	}
	if err != nil || c == nil {
		return c, err
	}
	for i := range c.Choices {
		r.choice(&c.Choices[i])
	}
	return c, nil
}

// choice rewrites one choice's fragments, and adds the inputs of its
// pending calls when it finishes.
func (r *raiser) choice(ch *llm.ChunkChoice) {
	tcs := ch.Delta.ToolCalls
	kept := tcs[:0:0]
	for _, td := range tcs {
		k := callKey{ch.Index, td.Index}
		buf, pending := r.args[k]
		switch {
		case pending:
			r.args[k] = append(buf, td.Arguments...)
			continue
		case td.Name != "" && r.names[td.Name]:
			if r.args == nil {
				r.args = make(map[callKey][]byte)
			}
			r.args[k] = []byte(td.Arguments)
			r.order = append(r.order, k)
			td.Type, td.Arguments = llm.ToolCustom, ""
		}
		kept = append(kept, td)
	}
	ch.Delta.ToolCalls = kept
	if ch.FinishReason != "" {
		r.flush(ch)
	}
}

// flush adds to ch the inputs of its choice's pending calls.
func (r *raiser) flush(ch *llm.ChunkChoice) {
	order := r.order[:0]
	for _, k := range r.order {
		if k.choice != ch.Index {
			order = append(order, k)
			continue
		}
		ch.Delta.ToolCalls = append(ch.Delta.ToolCalls, llm.ToolCallDelta{Index: k.index, Type: llm.ToolCustom, Arguments: Input(r.args[k])})
		delete(r.args, k)
	}
	r.order = order
}

// flushAll returns a chunk of every pending call's input.
func (r *raiser) flushAll() *llm.Chunk {
	c := &llm.Chunk{}
	for len(r.order) > 0 {
		c.Choices = append(c.Choices, llm.ChunkChoice{Index: r.order[0].choice})
		r.flush(&c.Choices[len(c.Choices)-1])
	}
	return c
}

// Input is the input of a lowered custom call whose arguments are args:
// their string "input", or args themselves when they hold none.
func Input(args []byte) string {
	var v struct {
		Input *string `json:"input"`
	}
	if json.Unmarshal(args, &v) == nil && v.Input != nil {
		return *v.Input
	}
	return string(args)
}

// Close closes the wrapped stream.
func (r *raiser) Close() error { return r.s.Close() }

// Ready reports whether Next would return at once: the flush at the end
// is not buffered, so this is the wrapped stream's answer.
func (r *raiser) Ready() bool { return r.eof || llm.Ready(r.s) }

// RaiseResponse turns the calls in resp of req's custom tools, made as
// calls of the functions Lower made of them, back into custom calls (an
// upstream's complete answer, such as a batch line's); other calls, and
// custom calls already, are left as they are. Nothing is done, nor
// allocated, when req has no custom tool.
func RaiseResponse(resp *llm.Response, req *llm.Request) {
	if resp == nil || req == nil || !llm.HasCustomTools(req.Tools) {
		return
	}
	resp.EditToolCalls(func(c *llm.ToolCall) bool {
		if c.Type == llm.ToolCustom || !isCustom(req.Tools, c.Name) {
			return false
		}
		c.Type, c.Arguments = llm.ToolCustom, Input([]byte(c.Arguments))
		return true
	})
}

// isCustom reports whether the tool of tools named name is a custom tool.
func isCustom(tools []llm.Tool, name string) bool {
	for i := range tools {
		if tools[i].Name == name {
			return tools[i].IsCustom()
		}
	}
	return false
}
