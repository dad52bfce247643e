package llm

// AnswerBytes is what c adds to an answer held whole in memory: the
// bytes of its text, refusals, reasoning text and tool calls, and a
// little for each tool call (an upstream could send endless empty
// ones). It is what the router's limit on an answer counts.
func AnswerBytes(c *Chunk) int {
	n := 0
	for i := range c.Choices {
		d := &c.Choices[i].Delta
		n += len(d.Content) + len(d.Refusal)
		if d.Thinking != nil {
			n += len(d.Thinking.Text)
		}
		for _, tc := range d.ToolCalls {
			n += 32 + len(tc.ID) + len(tc.Name) + len(tc.Arguments)
		}
	}
	return n
}
