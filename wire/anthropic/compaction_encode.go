package anthropic

import (
	"bytes"
	"encoding/json"
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
