package llm

// This file edits a complete answer in place: what an adapter gives back
// on a provider batch's answer (provider.Batcher's RestoreAnswer).

// EditToolCalls gives edit each tool call of r's choices, a copy, and
// keeps the copies of a message when edit reports that it changed one;
// a message whose calls edit leaves alone keeps its calls, and nothing
// is allocated for it.
func (r *Response) EditToolCalls(edit func(*ToolCall) bool) {
	for i := range r.Choices {
		m := &r.Choices[i].Message
		calls := m.ToolCalls()
		var edited []ToolCall
		for j := range calls {
			c := calls[j]
			if !edit(&c) {
				continue
			}
			if edited == nil {
				edited = append([]ToolCall(nil), calls...)
			}
			edited[j] = c
		}
		if edited != nil {
			m.SetToolCalls(edited)
		}
	}
}

// DropThinking removes the thinking of r's messages, for a client that
// does not show it.
func (r *Response) DropThinking() {
	for i := range r.Choices {
		if m := &r.Choices[i].Message; len(m.Thinking()) > 0 {
			m.SetThinking(nil)
		}
	}
}
