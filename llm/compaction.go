package llm

import "encoding/json"

// AnthropicCompaction is the compaction block Anthropic's API wrote (a
// compaction request's answer, or one made when the context grew) that
// an Anthropic client's conversation starts with, in place of the
// messages it summarizes. Request.Messages holds its summary as a user
// message whose text is Text, so that any deployment reads the
// conversation; an encoder of Anthropic's wire format sends Block in that
// message's place instead, which Claude reads (and whose signature it
// checks).
type AnthropicCompaction struct {
	// Block is the compaction block as the client sent it.
	Block json.RawMessage
	// Role is the role of the turn that held it ("assistant" when the
	// client sent a compaction answer back as it came).
	Role Role
	// Text is the text of the user message standing for it in
	// Request.Messages: the first message that is not a system message.
	Text string
}
