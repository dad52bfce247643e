package openai

import "switchyard/llm"

// OpenAI starts a streamed answer of tool calls with the role on the first
// call's chunk ("delta": {"role": "assistant", "tool_calls": […]}, no
// content), and a text answer with the role beside an empty content. An
// upstream that opens its stream before it knows which (Anthropic's
// message_start, the Responses API's response.created) gives the router a
// chunk with the role alone. Written as it came, "content": "", it told the
// SDKs that text had begun: openai-go's ChatCompletionAccumulator reported
// JustFinishedContent with "" before the first call, and npm openai's
// finalChatCompletion() had content "" where OpenAI's has null. So that
// chunk is held until the next: a call takes its role, anything else goes
// out after it, unchanged.

// takeRole returns the chunk to write in c's place: nil when c is a role
// alone, now held; c with the held role when it opens a tool call (a copy:
// c itself is not changed); c otherwise, after the held chunk, if any, is
// appended as it came.
func (sw *streamWriter) takeRole(c *llm.Chunk) *llm.Chunk {
	if held := sw.role; held != nil {
		sw.role = nil
		if len(c.Choices) == 1 && opensCall(&c.Choices[0], held.Choices[0].Index) {
			if sw.merged == nil {
				sw.merged = new(mergedChunk)
			}
			m := sw.merged
			m.chunk, m.choice[0] = *c, c.Choices[0]
			m.chunk.Choices = m.choice[:]
			m.choice[0].Delta.Role = held.Choices[0].Delta.Role
			return &m.chunk
		}
		sw.appendChunk(held)
	}
	if roleAlone(c) {
		sw.role = c
		return nil
	}
	return c
}

// appendRole appends the held chunk, if any, as it came: the stream ends
// (or breaks) after it.
func (sw *streamWriter) appendRole() {
	if sw.role != nil {
		sw.appendChunk(sw.role)
		sw.role = nil
	}
}

// roleAlone reports whether c is one choice's role and nothing else.
func roleAlone(c *llm.Chunk) bool {
	if len(c.Choices) != 1 || c.Usage != nil || c.Resumed != nil {
		return false
	}
	ch := &c.Choices[0]
	d := &ch.Delta
	return d.Role != "" && d.Content == "" && d.Refusal == "" && len(d.ToolCalls) == 0 && d.Thinking == nil &&
		d.TextBlock == nil && d.Output == nil && ch.FinishReason == "" && ch.Stop == nil && ch.Logprobs == nil
}

// opensCall reports whether ch, of choice index, starts with a tool call
// and carries no role, text or thinking of its own.
func opensCall(ch *llm.ChunkChoice, index int) bool {
	d := &ch.Delta
	return ch.Index == index && len(d.ToolCalls) > 0 && d.Role == "" && d.Content == "" && d.Refusal == "" &&
		d.Thinking == nil && d.TextBlock == nil && ch.Logprobs == nil
}

// mergedChunk is a tool call chunk given the held role, with its one choice.
type mergedChunk struct {
	chunk  llm.Chunk
	choice [1]llm.ChunkChoice
}
