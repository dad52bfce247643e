package anthropic

import (
	"bytes"
	"encoding/json"
	"slices"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// CompactionAnswer is the answer to a compaction request (compaction.go):
// one compaction block, stop_reason "compaction", and the usage whose
// usage.iterations holds the compaction's own (CompactionUsage). The
// router writes it for the compaction requests it answers itself, the
// simulator for those it serves.
type CompactionAnswer struct {
	ID, Model string
	// Content is the summary; EncryptedContent the block's opaque
	// metadata; Signature nil writes null.
	Content, EncryptedContent string
	Signature                 *string
	Usage                     Usage
}

// CompactionUsage is the usage of a compaction answer whose summary
// read in and wrote out tokens (cache reads and writes apart): one
// usage.iterations entry of type compaction, without a model, which the
// top-level counts leave out (they count the message iterations, and a
// compaction request has none).
func CompactionUsage(in, cacheWrite, cacheRead, out int) Usage {
	return Usage{Iterations: []UsageIteration{{Type: BlockCompaction, InputTokens: in,
		CacheCreationInputTokens: cacheWrite, CacheReadInputTokens: cacheRead, OutputTokens: out}}}
}

// compactionBlockJSON is a compaction block as the API writes it.
type compactionBlockJSON struct {
	Type             string  `json:"type"`
	Content          string  `json:"content"`
	EncryptedContent string  `json:"encrypted_content"`
	Signature        *string `json:"signature"`
}

// Message is the answer as a complete message.
func (a *CompactionAnswer) Message() *MessagesResponse {
	raw := marshalAPI(compactionBlockJSON{BlockCompaction, a.Content, a.EncryptedContent, a.Signature})
	stop := StopCompaction
	return &MessagesResponse{ID: a.ID, Type: "message", Role: "assistant", Model: a.Model,
		Content: []ContentBlock{{Type: BlockCompaction, Raw: raw}}, StopReason: &stop, Usage: a.Usage}
}

// AppendJSON appends the complete message's JSON.
func (a *CompactionAnswer) AppendJSON(dst []byte) []byte {
	return append(dst, marshalAPI(a.Message())...)
}

// AppendEvents appends the answer's stream, as the API streams it:
// message_start (no content, zero usage), the compaction block
// (content_block_start with it empty, one compaction_delta carrying the
// whole content and encrypted_content, content_block_stop),
// message_delta with stop_reason compaction and the usage, message_stop.
func (a *CompactionAnswer) AppendEvents(dst []byte) []byte {
	type indexed struct {
		Type  string `json:"type"`
		Index int    `json:"index"`
	}
	type stopDelta struct {
		StopReason   string       `json:"stop_reason"`
		StopSequence *string      `json:"stop_sequence"`
		StopDetails  *StopDetails `json:"stop_details"`
	}
	skeleton := &MessagesResponse{ID: a.ID, Type: "message", Role: "assistant", Model: a.Model, Content: []ContentBlock{}}
	events := []struct {
		name string
		data any
	}{
		{"message_start", struct {
			Type    string            `json:"type"`
			Message *MessagesResponse `json:"message"`
		}{"message_start", skeleton}},
		{"content_block_start", struct {
			indexed
			Block compactionBlockJSON `json:"content_block"`
		}{indexed{"content_block_start", 0}, compactionBlockJSON{Type: BlockCompaction, Signature: a.Signature}}},
		{"content_block_delta", struct {
			indexed
			Delta struct {
				Type             string `json:"type"`
				Content          string `json:"content"`
				EncryptedContent string `json:"encrypted_content"`
			} `json:"delta"`
		}{indexed: indexed{"content_block_delta", 0}, Delta: struct {
			Type             string `json:"type"`
			Content          string `json:"content"`
			EncryptedContent string `json:"encrypted_content"`
		}{"compaction_delta", a.Content, a.EncryptedContent}}},
		{"content_block_stop", indexed{"content_block_stop", 0}},
		{"message_delta", struct {
			Type  string    `json:"type"`
			Delta stopDelta `json:"delta"`
			Usage Usage     `json:"usage"`
		}{"message_delta", stopDelta{StopReason: StopCompaction}, a.Usage}},
		{"message_stop", struct {
			Type string `json:"type"`
		}{"message_stop"}},
	}
	for _, ev := range events {
		dst = append(dst, "event: "+ev.name+"\ndata: "...)
		dst = append(dst, marshalAPI(ev.data)...)
		dst = append(dst, "\n\n"...)
	}
	return dst
}

// marshalAPI encodes v as the API writes JSON: <, > and & as they are.
func marshalAPI(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // the types here always encode
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// RouterCompaction is a compaction of the conversation the router made
// before an answer (a compact_20260112 edit honoured for a deployment
// that cannot compact itself): the answer begins with its block, and
// its usage is the first usage.iterations entry (llm.Usage.Compaction).
type RouterCompaction struct {
	// Content is the summary; EncryptedContent the summary sealed for
	// the caller's tenant.
	Content, EncryptedContent string
	// Usage is the summarizing call's usage (Model empty).
	Usage llm.ModelUsage
}

// block is the compaction block as the API writes it (signature null).
func (c *RouterCompaction) block() json.RawMessage {
	return marshalAPI(compactionBlockJSON{Type: BlockCompaction, Content: c.Content, EncryptedContent: c.EncryptedContent})
}

// WithCompaction returns resp with its answer beginning with c's block
// and c's usage as its compaction's (llm.Usage.Compaction); resp is not
// written to (the gateway may still read it).
func WithCompaction(resp *llm.Response, c *RouterCompaction) *llm.Response {
	out := *resp
	u := llm.Usage{}
	if resp.Usage != nil {
		u = *resp.Usage
	}
	mu := c.Usage
	u.Compaction = &mu
	out.Usage = &u
	if len(resp.Choices) == 0 {
		return &out
	}
	out.Choices = slices.Clone(resp.Choices)
	m := &out.Choices[0].Message
	m.SetBlocks(append([]llm.Block{{Raw: c.block()}}, m.Blocks()...))
	return &out
}

// compactionBlock appends the block of the router's compaction as Claude
// streams one: content_block_start with the block empty, one
// compaction_delta carrying its content and encrypted_content,
// content_block_stop.
func (e *StreamEncoder) compactionBlock(dst []byte) []byte {
	c := e.Compaction
	if c == nil {
		return dst
	}
	dst = e.startBlock(dst, `{"type":"compaction","content":"","encrypted_content":"","signature":null}`)
	dst = appendEvent(dst, EventContentBlockDelta)
	dst = append(dst, `{"type":"content_block_delta","index":`...)
	dst = jsonw.Int(dst, e.open)
	dst = append(dst, `,"delta":{"type":"compaction_delta","content":`...)
	dst = jsonw.String(dst, c.Content)
	dst = append(dst, `,"encrypted_content":`...)
	dst = jsonw.String(dst, c.EncryptedContent)
	dst = eventEnd(append(dst, "}}"...))
	return e.stopOpen(dst)
}

// cmpRaw is a unless it is empty, else b.
func cmpRaw(a, b json.RawMessage) json.RawMessage {
	if len(a) == 0 {
		return b
	}
	return a
}
