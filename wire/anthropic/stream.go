package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"switchyard/llm"
)

// blockState is what the translator remembers of an open content block.
type blockState struct {
	kind    string
	tool    int  // the block's ordinal among its kind (tool_use, thinking, text, server blocks)
	hasArgs bool // some non-empty arguments were sent
	// start and input are a server block's content_block_start and its
	// input_json_delta pieces so far (a compaction block's: its
	// compaction_delta).
	start json.RawMessage
	input []byte
}

// StreamTranslator turns Anthropic stream events, fed in order, into
// chunks in OpenAI's shape:
//
//	message_start                     → a chunk with role "assistant"
//	text_delta                        → content deltas
//	content_block_start (tool_use)    → a tool call delta: index (the
//	                                    tool-call ordinal), id, type, name
//	input_json_delta                  → argument fragments
//	message_delta                     → a chunk with finish_reason
//	message_stop                      → the usage chunk (no choices)
//
// With Thinking set, thinking and redacted_thinking blocks become
// thinking deltas (llm.ThinkingDelta, numbered from 0): thinking_delta →
// Text, signature_delta → Signature, a redacted block's start → Redacted;
// without it they are dropped. With Citations set, each text block's
// start is a text block delta (llm.TextBlockDelta, numbered from 0) and
// each citations_delta one with its Citation; without it they are
// dropped. The blocks of server tools (ServerBlockTypes) become block
// deltas (llm.OutputDelta's Block, numbered from 0): the start's block as
// sent, its input_json_delta pieces, and at its stop the whole block; so
// does a compaction block (Claude compacting the conversation), its
// compaction_delta as sent (BlockDelta.Delta). A pause_turn stop is a
// Paused stop, a compaction stop a Compacted one, and message_delta's
// context_management is kept (FinishDetails.ContextManagement); usage's server_tool_use counts are
// kept. The usage reported before the end is on the chunks too
// (llm.Chunk.UsageSoFar, see soFar): message_start's, each billed server
// tool result's, message_delta's. Ping and unknown event types are ignored, as the API docs
// advise. An error event becomes
// an *llm.Error of its type's kind. The zero value is ready; set Created
// to stamp the chunks. It is not safe for concurrent use.
type StreamTranslator struct {
	// Created is copied into every chunk (the API sends no time).
	Created int64
	// Thinking asks for the thinking blocks, for a client that shows them
	// (llm.Reasoning.Show); false drops them.
	Thinking bool
	// Citations asks for the text blocks and their citations
	// (llm.TextBlockDelta), for a request whose documents enable
	// citations (CitationsEnabled); false joins the text blocks, as
	// before.
	Citations bool
	// Keys maps the names of tool properties Claude was given in place of
	// the client's back to them (PropertyKeys); nil when none was renamed.
	// With it, a tool call's arguments come whole when its block ends,
	// with the client's names.
	Keys map[string]string

	id, model string
	started   bool
	stopped   bool
	blocks    map[int]*blockState
	tools     int
	thoughts  int // thinking blocks started
	texts     int // text blocks started
	servers   int // server tool blocks started
	usage     Usage
	thinking  int
	// final reports message_delta's usage came: t.usage counts the
	// output. searches and fetches count the server tool results received
	// before it (serverCalls).
	final             bool
	searches, fetches int
	// compacting reports a compaction block started: Claude summarized
	// the conversation, whose counts come only in message_delta.
	compacting bool
	// consulted counts the advisor's consultations whose result came,
	// whose counts come only in message_delta's iterations.
	consulted int
}

// Done reports whether message_stop was seen.
func (t *StreamTranslator) Done() bool { return t.stopped }

// Translate consumes one event: name is the SSE event name (may be empty)
// and data its JSON. It returns the chunks the event yields, possibly
// none. Errors are *llm.Error: the stream's own error event, malformed
// data (kind upstream) or events out of order. Events after message_stop
// are ignored.
func (t *StreamTranslator) Translate(name string, data []byte) ([]*llm.Chunk, error) {
	if t.stopped {
		return nil, nil
	}
	if chunks, ok := t.fastText(data); ok {
		return chunks, nil
	}
	var ev StreamEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, malformed(name, err)
	}
	if ev.Type == "" {
		ev.Type = name
	}
	switch ev.Type {
	case EventMessageStart:
		return t.messageStart(&ev)
	case EventError:
		if ev.Error == nil {
			return nil, malformed(ev.Type, fmt.Errorf("no error object"))
		}
		return nil, ev.Error.ToLLMError()
	case EventContentBlockStart, EventContentBlockDelta, EventContentBlockStop, EventMessageDelta, EventMessageStop:
		if !t.started {
			return nil, malformed(ev.Type, fmt.Errorf("event before message_start"))
		}
	default:
		return nil, nil // ping and event types added after this was written
	}
	switch ev.Type {
	case EventContentBlockStart:
		return t.blockStart(&ev)
	case EventContentBlockDelta:
		return t.blockDelta(&ev)
	case EventContentBlockStop:
		return t.blockStop(&ev)
	case EventMessageDelta:
		return t.messageDelta(&ev)
	}
	t.stopped = true
	return []*llm.Chunk{t.usageChunk()}, nil
}

func malformed(event string, err error) *llm.Error {
	return llm.Wrap(llm.KindUpstream, fmt.Errorf("anthropic: decode stream event %q: %w", event, err), "upstream sent a malformed stream event")
}

func (t *StreamTranslator) chunk(d llm.Delta, finish llm.FinishReason) *llm.Chunk {
	return &llm.Chunk{
		ID: t.id, Model: t.model, Created: t.Created, ServiceTier: TierToLLM(t.usage.ServiceTier),
		Choices: []llm.ChunkChoice{{Index: 0, Delta: d, FinishReason: finish}},
	}
}

func (t *StreamTranslator) messageStart(ev *StreamEvent) ([]*llm.Chunk, error) {
	if t.started {
		return nil, malformed(ev.Type, fmt.Errorf("second message_start"))
	}
	if ev.Message == nil {
		return nil, malformed(ev.Type, fmt.Errorf("no message"))
	}
	t.started = true
	t.id, t.model, t.usage = ev.Message.ID, ev.Message.Model, ev.Message.Usage
	t.blocks = make(map[int]*blockState)
	c := t.chunk(llm.Delta{Role: llm.RoleAssistant}, "")
	if u := t.usage; u.InputTokens > 0 || u.CacheCreationInputTokens > 0 || u.CacheReadInputTokens > 0 {
		c.UsageSoFar = t.soFar()
	}
	return []*llm.Chunk{c}, nil
}

func (t *StreamTranslator) blockStart(ev *StreamEvent) ([]*llm.Chunk, error) {
	if ev.ContentBlock == nil {
		return nil, malformed(ev.Type, fmt.Errorf("no content_block"))
	}
	if _, dup := t.blocks[ev.Index]; dup {
		return nil, malformed(ev.Type, fmt.Errorf("content block %d started twice", ev.Index))
	}
	b := &blockState{kind: ev.ContentBlock.Type}
	t.blocks[ev.Index] = b
	switch b.kind {
	case BlockToolUse:
		b.tool = t.tools
		t.tools++
		tc := llm.ToolCallDelta{Index: b.tool, ID: ev.ContentBlock.ID, Type: "function", Name: ev.ContentBlock.Name}
		return []*llm.Chunk{t.chunk(llm.Delta{ToolCalls: []llm.ToolCallDelta{tc}}, "")}, nil
	case BlockText:
		b.tool = t.texts
		t.texts++
		d := llm.Delta{Content: ev.ContentBlock.Text}
		if t.Citations {
			d.TextBlock = &llm.TextBlockDelta{Index: b.tool}
		}
		if d.Content != "" || d.TextBlock != nil {
			return []*llm.Chunk{t.chunk(d, "")}, nil
		}
	case BlockThinking, BlockRedactedThinking:
		if !t.Thinking {
			return nil, nil
		}
		return t.thinkingStart(b, ev.ContentBlock)
	}
	if slices.Contains(ServerBlockTypes, b.kind) || b.kind == BlockCompaction {
		b.tool, b.start = t.servers, oneLine(ev.ContentBlock.Raw)
		t.servers++
		c := t.blockChunk(&llm.BlockDelta{Index: b.tool, Start: b.start})
		if b.kind == BlockCompaction && !t.final {
			t.compacting = true
			c.UsageSoFar = t.soFar()
		}
		return []*llm.Chunk{c}, nil
	}
	return nil, nil
}

// blockChunk is the chunk of a server block's delta.
func (t *StreamTranslator) blockChunk(bd *llm.BlockDelta) *llm.Chunk {
	return t.chunk(llm.Delta{Output: &llm.OutputDelta{Block: bd}}, "")
}

// thinkingStart starts a thinking or redacted_thinking block (for a
// translator that keeps them).
func (t *StreamTranslator) thinkingStart(b *blockState, cb *ContentBlock) ([]*llm.Chunk, error) {
	b.tool = t.thoughts
	t.thoughts++
	td := &llm.ThinkingDelta{Index: b.tool, Text: cb.Thinking, Signature: cb.Signature, Redacted: cb.Data}
	if b.kind == BlockRedactedThinking || td.Text != "" || td.Signature != "" {
		return []*llm.Chunk{t.chunk(llm.Delta{Thinking: td}, "")}, nil
	}
	return nil, nil
}

func (t *StreamTranslator) blockDelta(ev *StreamEvent) ([]*llm.Chunk, error) {
	b, ok := t.blocks[ev.Index]
	if !ok {
		return nil, malformed(ev.Type, fmt.Errorf("delta for content block %d, which was not started", ev.Index))
	}
	var d BlockDelta
	if err := json.Unmarshal(ev.Delta, &d); err != nil {
		return nil, malformed(ev.Type, err)
	}
	switch d.Type {
	case DeltaText:
		if d.Text != "" {
			return []*llm.Chunk{t.chunk(llm.Delta{Content: d.Text}, "")}, nil
		}
	case DeltaThinking, DeltaSignature:
		if t.Thinking && b.kind == BlockThinking && d.Thinking+d.Signature != "" {
			return []*llm.Chunk{t.chunk(llm.Delta{Thinking: &llm.ThinkingDelta{Index: b.tool, Text: d.Thinking, Signature: d.Signature}}, "")}, nil
		}
	case DeltaCitations:
		if t.Citations && b.kind == BlockText && len(d.Citation) > 0 {
			return []*llm.Chunk{t.chunk(llm.Delta{TextBlock: &llm.TextBlockDelta{Index: b.tool, Citation: oneLine(d.Citation)}}, "")}, nil
		}
	case DeltaCompaction:
		if b.kind == BlockCompaction && b.start != nil {
			delta := oneLine(ev.Delta)
			b.input = append(b.input[:0], delta...) // the delta carries the content whole
			return []*llm.Chunk{t.blockChunk(&llm.BlockDelta{Index: b.tool, Delta: delta})}, nil
		}
	case DeltaInputJSON:
		// Server tools (server_tool_use blocks) stream their input too;
		// only client tool calls become tool call deltas.
		if b.kind == BlockToolUse && d.PartialJSON != "" && t.Keys != nil {
			b.input = append(b.input, d.PartialJSON...) // renamed keys may be split across deltas
			return nil, nil
		}
		if b.kind == BlockToolUse && d.PartialJSON != "" {
			b.hasArgs = true
			return []*llm.Chunk{t.toolArgs(b, d.PartialJSON)}, nil
		}
		if b.start != nil && d.PartialJSON != "" {
			b.input = append(b.input, d.PartialJSON...)
			return []*llm.Chunk{t.blockChunk(&llm.BlockDelta{Index: b.tool, Input: d.PartialJSON})}, nil
		}
	}
	return nil, nil // future deltas
}

func (t *StreamTranslator) toolArgs(b *blockState, args string) *llm.Chunk {
	return t.chunk(llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: b.tool, Arguments: args}}}, "")
}

// blockStop closes a block. A tool call that streamed no arguments gets
// "{}", so clients that parse the accumulated arguments see an object, as
// the non-streamed response's input would be.
func (t *StreamTranslator) blockStop(ev *StreamEvent) ([]*llm.Chunk, error) {
	b, ok := t.blocks[ev.Index]
	if !ok {
		return nil, malformed(ev.Type, fmt.Errorf("stop for content block %d, which was not started", ev.Index))
	}
	if b.kind == BlockToolUse && len(b.input) > 0 {
		args := RestoreKeys(string(b.input), t.Keys)
		b.input, b.hasArgs = nil, true
		return []*llm.Chunk{t.toolArgs(b, args)}, nil
	}
	if b.kind == BlockToolUse && !b.hasArgs {
		b.hasArgs = true
		return []*llm.Chunk{t.toolArgs(b, "{}")}, nil
	}
	if b.start != nil && b.kind == BlockCompaction {
		whole := b.start
		if len(b.input) > 0 {
			whole = withMembers(b.start, b.input)
		}
		b.start, b.input = nil, nil
		return []*llm.Chunk{t.blockChunk(&llm.BlockDelta{Index: b.tool, Whole: whole})}, nil
	}
	if b.start != nil {
		whole := withInput(b.start, string(b.input))
		b.start, b.input = nil, nil
		c := t.blockChunk(&llm.BlockDelta{Index: b.tool, Whole: whole})
		if t.countServerCall(b.kind, whole) {
			c.UsageSoFar = t.soFar()
		}
		return []*llm.Chunk{c}, nil
	}
	return nil, nil
}

func (t *StreamTranslator) messageDelta(ev *StreamEvent) ([]*llm.Chunk, error) {
	var d MessageDelta
	if len(ev.Delta) > 0 {
		if err := json.Unmarshal(ev.Delta, &d); err != nil {
			return nil, malformed(ev.Type, err)
		}
	}
	if u := ev.Usage; u != nil {
		t.final = true
		t.usage.OutputTokens = u.OutputTokens // cumulative, not an increment
		setIf(&t.usage.InputTokens, u.InputTokens)
		setIf(&t.usage.CacheCreationInputTokens, u.CacheCreationInputTokens)
		setIf(&t.usage.CacheReadInputTokens, u.CacheReadInputTokens)
		if u.OutputTokensDetails != nil {
			t.thinking = u.OutputTokensDetails.ThinkingTokens
		}
		if u.ServerToolUse != nil {
			t.usage.ServerToolUse = u.ServerToolUse
		}
		if present(u.FallbackCredit) {
			t.usage.FallbackCredit = u.FallbackCredit
		}
		if len(u.Iterations) > 0 {
			t.usage.Iterations = u.Iterations
		}
	}
	if d.StopReason == nil {
		return nil, nil
	}
	c := t.chunk(llm.Delta{}, FinishReason(*d.StopReason))
	var fd llm.FinishDetails
	fd.Container = string(ContainerOf(d.Container))
	fd.FallbackCredit = string(t.usage.FallbackCredit)
	if *d.StopReason == StopStopSequence && d.StopSequence != nil {
		fd.StopSequence = *d.StopSequence
	}
	fd.Refusal = d.StopDetails.RefusalDetails()
	fd.Paused = *d.StopReason == StopPauseTurn
	fd.Compacted = *d.StopReason == StopCompaction
	fd.ContextManagement = string(ContainerOf(oneLine(ev.ContextManagement)))
	if fd != (llm.FinishDetails{}) {
		c.Choices[0].Stop = &fd
	}
	if t.final {
		c.UsageSoFar = t.soFar()
	}
	return []*llm.Chunk{c}, nil
}

func setIf(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

func (t *StreamTranslator) usageChunk() *llm.Chunk {
	thinking := t.thinking
	if d := t.usage.OutputTokensDetails; thinking == 0 && d != nil {
		thinking = d.ThinkingTokens
	}
	u := UsageToLLM(&t.usage, thinking)
	return &llm.Chunk{ID: t.id, Model: t.model, Created: t.Created, ServiceTier: u.ServiceTier, Usage: u}
}

// oneLine returns raw JSON without line breaks (compacted when it has
// any): it is written again inside an event's single data line.
func oneLine(raw json.RawMessage) json.RawMessage {
	if !bytes.ContainsAny(raw, "\r\n") {
		return raw
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return nil
	}
	return b.Bytes()
}
