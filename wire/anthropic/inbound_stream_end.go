package anthropic

import (
	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// The end of a StreamEncoder's stream: the last events, its usage, an
// error mid-stream.

// End appends the end of a whole stream: the open block's
// content_block_stop, message_delta with the stop reason and the usage
// (cumulative, input counts included, since an OpenAI-format upstream
// reports them only at the end) and message_stop. usage, when not nil,
// replaces the usage the chunks reported (the router's estimate of a
// stream that reported none, say).
func (e *StreamEncoder) End(dst []byte, usage *llm.Usage) []byte {
	if e.ended {
		return dst
	}
	if !e.started {
		dst = e.start(dst, &llm.Chunk{})
	}
	e.ended = true
	dst = e.stopOpen(dst)
	if usage != nil {
		e.usage = *usage
	}
	if e.Compaction != nil {
		mu := e.Compaction.Usage
		e.usage.Compaction = &mu
	}
	dst = appendEvent(dst, EventMessageDelta)
	dst = append(dst, `{"type":"message_delta","delta":{`...)
	st := stop{e.finish, e.seq, e.refusal, e.paused, e.compacted}
	st.finish = st.toolFinish(started(e.tools), started(e.servers))
	dst = appendStop(dst, st)
	dst = appendContainer(dst, e.container)
	dst = append(dst, `},"usage":`...)
	dst = appendFallbackUsage(dst, &e.usage, e.Model, e.Fallbacks, e.credit, appendDeltaUsage)
	dst = appendContextManagement(dst, cmpRaw(e.managed, e.ContextManagement))
	dst = eventEnd(append(dst, '}'))
	dst = appendEvent(dst, EventMessageStop)
	return eventEnd(append(dst, `{"type":"message_stop"}`...))
}

// appendDeltaUsage appends the usage of a message_delta event: the counts
// of AppendUsage without cache_creation, which the API sends only with
// the message. output_tokens_details is there as in the message
// (MessageDeltaUsage in the API's schema): @ai-sdk/anthropic reads a
// stream's reasoning tokens from this event alone.
func appendDeltaUsage(dst []byte, u *llm.Usage) []byte {
	dst = appendUsageCounts(dst, u)
	_, _, _, out := UsageFromLLM(u)
	dst = append(dst, `,"output_tokens":`...)
	dst = jsonw.Int(dst, out)
	dst = appendOutputDetails(dst, u, out)
	dst = appendServerToolUse(dst, u)
	return append(dst, '}')
}

// started reports whether blocks (StreamEncoder.tools or servers) holds a
// started block.
func started(blocks []int) bool {
	for _, b := range blocks {
		if b >= 0 {
			return true
		}
	}
	return false
}

// Usage returns the usage the chunks reported so far, and whether any
// did.
func (e *StreamEncoder) Usage() (llm.Usage, bool) { return e.usage, e.hasUsage }

// Error appends the error event that ends a stream that broke after it
// began: {"type":"error","error":{"type","message"}}, no message_stop
// after it, so no client mistakes a cut stream for a whole one.
func (e *StreamEncoder) Error(dst []byte, err *llm.Error) []byte {
	e.ended = true
	dst = appendEvent(dst, EventError)
	dst = append(dst, `{"type":"error","error":{"type":`...)
	dst = jsonw.String(dst, string(ErrorTypeFor(err.Kind)))
	dst = append(dst, `,"message":`...)
	dst = jsonw.String(dst, err.Message)
	return eventEnd(append(dst, "}}"...))
}
