package anthropic

import (
	"encoding/json"
	"io"

	"switchyard/provider/sse"
)

// EncodeResponse returns the JSON body of a complete response. A nil
// Content is written as [] and Type and Role get their constant values.
func EncodeResponse(resp *MessagesResponse) ([]byte, error) {
	r := *resp
	normalize(&r)
	return json.Marshal(&r)
}

func normalize(r *MessagesResponse) {
	if r.Content == nil {
		r.Content = []ContentBlock{}
	}
	r.Type, r.Role = "message", "assistant"
}

// EncodeError returns the JSON body of an error answer.
func EncodeError(t ErrorType, msg, requestID string) []byte {
	b, _ := json.Marshal(NewErrorResponse(t, msg, requestID))
	return b
}

// EventWriter writes stream events the way the API does: an "event:" line
// naming the type, one "data:" line of compact JSON, a blank line; then
// Flush, when set, so each event leaves at once. It is not safe for
// concurrent use; a write error is returned and the rest may be skipped.
type EventWriter struct {
	W io.Writer
	// Flush is called after every event; nil means no flushing.
	Flush func()
}

func (e *EventWriter) write(name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := sse.WriteEvent(e.W, name, data); err != nil {
		return err
	}
	if e.Flush != nil {
		e.Flush()
	}
	return nil
}

// MessageStart writes message_start with msg as the skeleton (its content
// should be empty and its stop reason nil).
func (e *EventWriter) MessageStart(msg *MessagesResponse) error {
	m := *msg
	normalize(&m)
	return e.write(EventMessageStart, struct {
		Type    string            `json:"type"`
		Message *MessagesResponse `json:"message"`
	}{EventMessageStart, &m})
}

// ContentBlockStart writes content_block_start for the block at index,
// which should be empty: text "", tool_use input {}, thinking "".
func (e *EventWriter) ContentBlockStart(index int, block ContentBlock) error {
	return e.write(EventContentBlockStart, struct {
		Type         string       `json:"type"`
		Index        int          `json:"index"`
		ContentBlock ContentBlock `json:"content_block"`
	}{EventContentBlockStart, index, block})
}

type (
	textDelta struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	inputJSONDelta struct {
		Type        string `json:"type"`
		PartialJSON string `json:"partial_json"`
	}
	thinkingDelta struct {
		Type     string `json:"type"`
		Thinking string `json:"thinking"`
	}
	signatureDelta struct {
		Type      string `json:"type"`
		Signature string `json:"signature"`
	}
	citationsDelta struct {
		Type     string          `json:"type"`
		Citation json.RawMessage `json:"citation"`
	}
	compactionDelta struct {
		Type             string `json:"type"`
		Content          string `json:"content"`
		EncryptedContent string `json:"encrypted_content"`
	}
)

func (e *EventWriter) delta(index int, d any) error {
	return e.write(EventContentBlockDelta, struct {
		Type  string `json:"type"`
		Index int    `json:"index"`
		Delta any    `json:"delta"`
	}{EventContentBlockDelta, index, d})
}

// TextDelta writes a text_delta for the block at index.
func (e *EventWriter) TextDelta(index int, text string) error {
	return e.delta(index, textDelta{DeltaText, text})
}

// InputJSONDelta writes an input_json_delta for the block at index.
func (e *EventWriter) InputJSONDelta(index int, partial string) error {
	return e.delta(index, inputJSONDelta{DeltaInputJSON, partial})
}

// ThinkingDelta writes a thinking_delta for the block at index.
func (e *EventWriter) ThinkingDelta(index int, thinking string) error {
	return e.delta(index, thinkingDelta{DeltaThinking, thinking})
}

// SignatureDelta writes a signature_delta for the block at index.
func (e *EventWriter) SignatureDelta(index int, sig string) error {
	return e.delta(index, signatureDelta{DeltaSignature, sig})
}

// CitationsDelta writes a citations_delta for the text block at index:
// one citation (a JSON object) of what the block says.
func (e *EventWriter) CitationsDelta(index int, citation json.RawMessage) error {
	return e.delta(index, citationsDelta{DeltaCitations, citation})
}

// CompactionDelta writes the compaction_delta of the compaction block at
// index: its content and encrypted_content, whole.
func (e *EventWriter) CompactionDelta(index int, content, encrypted string) error {
	return e.delta(index, compactionDelta{DeltaCompaction, content, encrypted})
}

// ContentBlockStop writes content_block_stop for the block at index.
func (e *EventWriter) ContentBlockStop(index int) error {
	return e.write(EventContentBlockStop, struct {
		Type  string `json:"type"`
		Index int    `json:"index"`
	}{EventContentBlockStop, index})
}

// MessageDelta writes message_delta with the stop reason, the matched stop
// sequence (nil for none), the stop's details (nil for none), the code
// execution container (nil for none), the cumulative usage and what the
// request's context editing did (context_management; nil for none).
func (e *EventWriter) MessageDelta(stopReason string, stopSequence *string, details *StopDetails, container json.RawMessage, usage DeltaUsage, managed json.RawMessage) error {
	return e.write(EventMessageDelta, struct {
		Type              string          `json:"type"`
		Delta             MessageDelta    `json:"delta"`
		Usage             DeltaUsage      `json:"usage"`
		ContextManagement json.RawMessage `json:"context_management,omitempty"`
	}{EventMessageDelta, MessageDelta{StopReason: &stopReason, StopSequence: stopSequence, StopDetails: details, Container: container}, usage, managed})
}

// MessageStop writes message_stop, the end of a proper stream.
func (e *EventWriter) MessageStop() error {
	return e.write(EventMessageStop, struct {
		Type string `json:"type"`
	}{EventMessageStop})
}

// Ping writes a ping.
func (e *EventWriter) Ping() error {
	return e.write(EventPing, struct {
		Type string `json:"type"`
	}{EventPing})
}

// Error writes an error event, which ends a stream that already began.
func (e *EventWriter) Error(t ErrorType, msg string) error {
	return e.write(EventError, NewErrorResponse(t, msg, ""))
}
