package anthropic

import (
	"encoding/json"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// StreamEncoder writes a canonical stream (llm.Chunk values, OpenAI's
// chunk shape) as the Messages API's server-sent events, each an
// "event: <type>" line, one "data: <json>" line and a blank line:
//
//	first chunk            → message_start (id, model, usage so far)
//	thinking delta         → content_block_start (thinking, or a whole
//	                         redacted_thinking) for a new block, then
//	                         thinking_delta and signature_delta
//	text or refusal delta  → content_block_start (text) once, then a ping
//	                         after the first block, then text_delta
//	tool call delta        → content_block_start (tool_use: id, name,
//	                         input {}) for a new call, input_json_delta for
//	                         its arguments
//	block delta            → content_block_start of a Claude deployment's
//	                         server tool block (or compaction block) as it
//	                         started it, then input_json_delta for its
//	                         input (a compaction_delta as it came)
//	a new block            → content_block_stop of the one before
//	finish reason, usage   → held, then at End: content_block_stop,
//	                         message_delta (stop_reason — pause_turn for a
//	                         paused turn, compaction for one stopped after
//	                         a compaction —, usage, context_management),
//	                         message_stop
//
// Only choice 0 is written (the Messages API has one answer). The zero
// value is ready; set RequestID and Model first. It is not safe for
// concurrent use.
type StreamEncoder struct {
	// RequestID is the router's request id, the message id's fallback
	// (MessageID); Model the model reported when the first chunk names
	// none.
	RequestID, Model string
	// InputTokens is the estimate of the prompt's tokens message_start
	// reports when the first chunk carries no usage (an OpenAI-format or
	// Gemini upstream reports its count only at the end, in message_delta
	// here). Clients such as Claude Code read the prompt's size from
	// message_start; zero there broke their context display.
	InputTokens int
	// Fallbacks are the refusal fallback's hand-overs before the answer
	// (llm.Served.Fallbacks): a fallback block each after message_start,
	// and usage.iterations in message_delta. Model is then the model that
	// answered.
	Fallbacks []llm.FallbackHop
	// Compaction is the router's compaction the answer begins with
	// (compactionBlock), nil for none; ContextManagement what
	// message_delta reports when the upstream wrote none (the edits the
	// router applied), nil for none.
	Compaction        *RouterCompaction
	ContextManagement json.RawMessage
	// credit is the upstream's usage.fallback_credit, for message_delta.
	credit json.RawMessage
	// id is the message id, set by message_start.
	id string

	started bool
	pinged  bool
	blocks  int // content blocks started
	open    int // the open block's index, -1 for none
	text    int // the text block's index, -1 for none
	// textOrd is the ordinal of the upstream's text block the text block
	// writes (llm.TextBlockDelta), -1 before the first.
	textOrd int
	// tools maps a tool call's index in the chunks to its block index,
	// and thinks a thinking block's.
	tools  []int
	thinks []int
	finish llm.FinishReason
	seq    string // the stop sequence that matched, if known
	// refusal is what the upstream said of a refusal, if anything.
	refusal *llm.RefusalDetails
	paused  bool // the turn was paused (pause_turn)
	// compacted: the turn stopped after a compaction (stop_reason
	// compaction).
	compacted bool
	// managed is the context_management the upstream wrote, for
	// message_delta; nil for none.
	managed json.RawMessage
	// container is the code execution container the upstream said the
	// stream used, for message_delta; nil for none.
	container json.RawMessage
	// servers maps a provider block's index in the chunks
	// (llm.BlockDelta) to its block index.
	servers []int
	usage   llm.Usage
	// hasUsage reports a usage chunk was seen.
	hasUsage bool
	ended    bool
}

// appendEvent appends the event line, the data prefix and opens nothing:
// the caller appends the JSON and eventEnd.
func appendEvent(dst []byte, name string) []byte {
	dst = append(dst, "event: "...)
	dst = append(dst, name...)
	return append(dst, "\ndata: "...)
}

func eventEnd(dst []byte) []byte { return append(dst, "\n\n"...) }

// Chunk appends the events c yields (possibly none) to dst.
func (e *StreamEncoder) Chunk(dst []byte, c *llm.Chunk) []byte {
	if e.ended {
		return dst
	}
	if !e.started {
		if c.Model != "" {
			e.Model = c.Model
		}
		dst = e.start(dst, c)
	}
	if c.Usage != nil {
		e.usage, e.hasUsage = *c.Usage, true
	}
	for i := range c.Choices {
		ch := &c.Choices[i]
		if ch.Index != 0 {
			continue
		}
		dst = e.delta(dst, &ch.Delta)
		if ch.FinishReason != "" {
			e.finish, e.seq, e.refusal, e.paused = ch.FinishReason, ch.StopSequence(), ch.Refusal(), ch.Paused()
			e.compacted = ch.Compacted()
			if ch.Stop != nil && ch.Stop.ContextManagement != "" {
				e.managed = json.RawMessage(ch.Stop.ContextManagement)
			}
			if ct := ch.Container(); ct != nil {
				e.container = ct
			}
			if ch.Stop != nil && ch.Stop.FallbackCredit != "" {
				e.credit = json.RawMessage(ch.Stop.FallbackCredit)
			}
		}
	}
	return dst
}

// start appends message_start for the first chunk c: its usage is the
// prompt's as the upstream reported it at the start (c.UsageSoFar), or
// else the estimate InputTokens.
func (e *StreamEncoder) start(dst []byte, c *llm.Chunk) []byte {
	e.started, e.open, e.text, e.textOrd = true, -1, -1, -1
	e.id = MessageID(c.ID, e.RequestID)
	dst = appendEvent(dst, EventMessageStart)
	dst = append(dst, `{"type":"message_start","message":{"id":`...)
	dst = jsonw.String(dst, e.id)
	dst = append(dst, `,"type":"message","role":"assistant","model":`...)
	dst = jsonw.String(dst, e.Model)
	dst = append(dst, `,"content":[],"stop_reason":null,"stop_sequence":null,"stop_details":null,"usage":`...)
	u := llm.Usage{PromptTokens: e.InputTokens}
	if c.UsageSoFar != nil {
		u = *c.UsageSoFar
		u.CompletionTokens, u.ReasoningTokens = 0, 0
	}
	u.ServiceTier = c.ServiceTier
	dst = AppendUsage(dst, &u)
	dst = append(dst, `,"container":null,"diagnostics":null}`...)
	dst = eventEnd(append(dst, '}'))
	return e.compactionBlock(e.fallbackBlocks(dst))
}

func (e *StreamEncoder) delta(dst []byte, d *llm.Delta) []byte {
	if d.Thinking != nil {
		dst = e.thinkingDelta(dst, d.Thinking)
	}
	if d.TextBlock != nil {
		dst = e.textBlock(dst, d.TextBlock)
	}
	text := d.Content
	if text == "" {
		text = d.Refusal
	}
	if text != "" {
		if e.text < 0 || e.open != e.text {
			dst = e.startBlock(dst, `{"type":"text","text":""}`)
			e.text = e.open
		}
		dst = appendBlockDelta(dst, e.text, `{"type":"text_delta","text":`, text)
	}
	for i := range d.ToolCalls {
		dst = e.toolDelta(dst, &d.ToolCalls[i])
	}
	if o := d.Output; o != nil && o.Block != nil {
		dst = e.blockDelta(dst, o.Block)
	}
	return dst
}

// blockDelta starts a provider block (a Claude deployment's server tool
// block) with its start as Claude wrote it, and writes its input pieces
// as input_json_delta and any other delta (a compaction block's
// compaction_delta) as it came; its whole form is for accumulators.
func (e *StreamEncoder) blockDelta(dst []byte, bd *llm.BlockDelta) []byte {
	if bd.Index < 0 || bd.Index >= maxToolCalls {
		return dst
	}
	for len(e.servers) <= bd.Index {
		e.servers = append(e.servers, -1)
	}
	block := e.servers[bd.Index]
	if block < 0 && len(bd.Start) > 0 {
		dst = e.startBlock(dst, string(bd.Start))
		block = e.open
		e.servers[bd.Index] = block
	}
	if block >= 0 && bd.Input != "" {
		dst = appendBlockDelta(dst, block, `{"type":"input_json_delta","partial_json":`, bd.Input)
	}
	if block >= 0 && len(bd.Delta) > 0 {
		dst = appendEvent(dst, EventContentBlockDelta)
		dst = append(dst, `{"type":"content_block_delta","index":`...)
		dst = jsonw.Int(dst, block)
		dst = append(dst, `,"delta":`...)
		dst = append(dst, bd.Delta...)
		dst = eventEnd(append(dst, '}'))
	}
	return dst
}

// textBlock starts a text block for an upstream text block not yet
// written (a cited answer's blocks stay apart, as Claude wrote them) and
// writes its citation as a citations_delta of the open text block.
func (e *StreamEncoder) textBlock(dst []byte, tb *llm.TextBlockDelta) []byte {
	if tb.Index > e.textOrd {
		dst = e.startBlock(dst, `{"type":"text","text":""}`)
		e.text, e.textOrd = e.open, tb.Index
	}
	if len(tb.Citation) == 0 || e.text < 0 || e.open != e.text {
		return dst
	}
	dst = appendEvent(dst, EventContentBlockDelta)
	dst = append(dst, `{"type":"content_block_delta","index":`...)
	dst = jsonw.Int(dst, e.text)
	dst = append(dst, `,"delta":{"type":"citations_delta","citation":`...)
	dst = append(dst, tb.Citation...)
	return eventEnd(append(dst, "}}"...))
}

// maxToolCalls bounds the tool calls of one answer the encoder tracks, so
// a malformed index from an upstream cannot make it allocate without
// limit; deltas of calls past it are dropped.
const maxToolCalls = 1024

func (e *StreamEncoder) toolDelta(dst []byte, tc *llm.ToolCallDelta) []byte {
	if tc.Index < 0 || tc.Index >= maxToolCalls {
		return dst
	}
	for len(e.tools) <= tc.Index {
		e.tools = append(e.tools, -1)
	}
	block := e.tools[tc.Index]
	if block < 0 {
		id := ClientToolID(tc.ID)
		if tc.ID == "" { // ClientToolID("") wrote the bare prefix
			id = StreamToolUseID(e.id, tc.Index)
		}
		head := appendToolUseBlock(nil, id, tc.Name, "{}")
		dst = e.startBlock(dst, string(head))
		block = e.open
		e.tools[tc.Index] = block
	}
	if tc.Arguments != "" {
		dst = appendBlockDelta(dst, block, `{"type":"input_json_delta","partial_json":`, tc.Arguments)
	}
	return dst
}

// thinkingDelta starts a thinking block for a new index (a redacted one
// whole) and writes the delta's thinking and signature.
func (e *StreamEncoder) thinkingDelta(dst []byte, td *llm.ThinkingDelta) []byte {
	if td.Index < 0 || td.Index >= maxToolCalls {
		return dst
	}
	for len(e.thinks) <= td.Index {
		e.thinks = append(e.thinks, -1)
	}
	block := e.thinks[td.Index]
	if block < 0 {
		head := `{"type":"thinking","thinking":"","signature":""}`
		if td.Redacted != "" {
			head = string(appendThinkingBlock(nil, &llm.Thinking{Redacted: td.Redacted}))
		}
		dst = e.startBlock(dst, head)
		block = e.open
		e.thinks[td.Index] = block
	}
	if td.Text != "" {
		dst = appendBlockDelta(dst, block, `{"type":"thinking_delta","thinking":`, td.Text)
	}
	if td.Signature != "" {
		dst = appendBlockDelta(dst, block, `{"type":"signature_delta","signature":`, td.Signature)
	}
	return dst
}

// startBlock closes the open block and starts the next with the given
// content_block JSON; the first block is followed by a ping, as the API
// sends one.
func (e *StreamEncoder) startBlock(dst []byte, block string) []byte {
	dst = e.stopOpen(dst)
	e.open = e.blocks
	e.blocks++
	dst = appendEvent(dst, EventContentBlockStart)
	dst = append(dst, `{"type":"content_block_start","index":`...)
	dst = jsonw.Int(dst, e.open)
	dst = append(dst, `,"content_block":`...)
	dst = append(dst, block...)
	dst = eventEnd(append(dst, '}'))
	if !e.pinged {
		e.pinged = true
		dst = append(dst, "event: ping\ndata: {\"type\": \"ping\"}\n\n"...)
	}
	return dst
}

func (e *StreamEncoder) stopOpen(dst []byte) []byte {
	if e.open < 0 {
		return dst
	}
	dst = appendEvent(dst, EventContentBlockStop)
	dst = append(dst, `{"type":"content_block_stop","index":`...)
	dst = jsonw.Int(dst, e.open)
	e.open = -1
	return eventEnd(append(dst, '}'))
}

// appendBlockDelta appends a content_block_delta whose delta is head (the
// object up to its string field's key) then s as a JSON string.
func appendBlockDelta(dst []byte, index int, head, s string) []byte {
	dst = appendEvent(dst, EventContentBlockDelta)
	dst = append(dst, `{"type":"content_block_delta","index":`...)
	dst = jsonw.Int(dst, index)
	dst = append(dst, `,"delta":`...)
	dst = append(dst, head...)
	dst = jsonw.String(dst, s)
	return eventEnd(append(dst, "}}"...))
}
