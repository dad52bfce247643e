package openai

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"switchyard/llm"
)

// This file reads the media endpoints' streamed answers: server-sent
// events of image generation and edits (image_generation.partial_image,
// image_generation.completed, image_edit.*) and of streamed
// transcription (transcript.text.delta, transcript.text.done).

// MaxMediaEvent bounds one streamed media event: a partial image's
// base64 is a few MiB; 32 MiB is the adapter's bound on a whole answer.
const MaxMediaEvent = 32 << 20

// ErrEventTooLarge is returned by EventReader.Next for an event over its
// bound.
var ErrEventTooLarge = errors.New("openai: server-sent event over the size bound")

// EventReader reads server-sent events one at a time as they arrive.
// It is not safe for concurrent use.
type EventReader struct {
	br    *bufio.Reader
	event []byte
	max   int
}

// NewEventReader reads events from r, each at most max bytes (zero or
// less means MaxMediaEvent).
func NewEventReader(r io.Reader, max int) *EventReader {
	if max <= 0 {
		max = MaxMediaEvent
	}
	return &EventReader{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// Next returns the next event's bytes as they came: its lines and the
// blank line that ends it (blank lines before it, keep-alives, are
// skipped), valid until the next call. It returns io.EOF at the stream's
// end, io.ErrUnexpectedEOF when it ends within an event, ErrEventTooLarge
// for an event over the bound, and r's errors as they are.
func (er *EventReader) Next() ([]byte, error) {
	er.event = er.event[:0]
	for {
		line, err := er.line()
		if len(line) > 0 && len(er.event) == 0 && isBlank(line) {
			line = nil // a blank line between events
		}
		if len(er.event)+len(line) > er.max {
			return nil, ErrEventTooLarge
		}
		er.event = append(er.event, line...)
		if len(line) > 0 && len(er.event) > len(line) && isBlank(line) {
			return er.event, nil
		}
		if err != nil {
			if errors.Is(err, io.EOF) && len(er.event) > 0 {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}

// line reads one line with its end, however long (up to the bound).
func (er *EventReader) line() ([]byte, error) {
	line, err := er.br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, err
	}
	long := append([]byte(nil), line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		if len(er.event)+len(long) > er.max {
			return nil, ErrEventTooLarge
		}
		line, err = er.br.ReadSlice('\n')
		long = append(long, line...)
	}
	return long, err
}

// isBlank reports whether line is an empty line: "\n" or "\r\n".
func isBlank(line []byte) bool {
	return string(line) == "\n" || string(line) == "\r\n"
}

// EventData returns an event's data: its data lines joined by "\n", as
// the SSE format says (one leading space of each dropped).
func EventData(event []byte) []byte {
	var data []byte
	n := 0
	for line := range bytes.Lines(event) {
		line = bytes.TrimRight(line, "\r\n")
		v, ok := bytes.CutPrefix(line, []byte("data:"))
		if !ok {
			continue
		}
		if n > 0 {
			data = append(data, '\n')
		}
		n++
		data = append(data, bytes.TrimPrefix(v, []byte(" "))...)
	}
	return data
}

// MediaEvent is what the router reads of one streamed media event.
type MediaEvent struct {
	// Type is the event's type ("image_generation.completed",
	// "transcript.text.done", "error"…).
	Type string
	// Final reports the event that ends an image (image_generation.
	// completed, image_edit.completed) or a transcription
	// (transcript.text.done).
	Final bool
	// Size and Quality are a completed image's, as it reports them.
	Size, Quality string
	// Usage is a final event's usage: an image's tokens, a
	// transcription's (AudioPromptTokens its audio input).
	Usage llm.Usage
	// Error is an error event's message; empty otherwise.
	Error string
}

// mediaEvent is the part of a streamed media event the router reads.
type mediaEvent struct {
	Type    string `json:"type"`
	Size    string `json:"size"`
	Quality string `json:"quality"`
	Usage   *struct {
		InputTokens       int `json:"input_tokens"`
		OutputTokens      int `json:"output_tokens"`
		TotalTokens       int `json:"total_tokens"`
		InputTokenDetails struct {
			AudioTokens int `json:"audio_tokens"`
		} `json:"input_token_details"`
	} `json:"usage"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// DecodeMediaEvent reads an event's data (EventData). Data that is not a
// JSON object with a type or an error is an error.
func DecodeMediaEvent(data []byte) (MediaEvent, error) {
	var e mediaEvent
	if err := json.Unmarshal(data, &e); err != nil {
		return MediaEvent{}, fmt.Errorf("openai: decode media event: %w", err)
	}
	out := MediaEvent{Type: e.Type, Size: e.Size, Quality: e.Quality}
	if e.Error != nil {
		out.Type, out.Error = "error", e.Error.Message
		if out.Error == "" {
			out.Error = "the upstream sent an error event"
		}
		return out, nil
	}
	switch e.Type {
	case "":
		return MediaEvent{}, errors.New("openai: media event without a type")
	case "image_generation.completed", "image_edit.completed", "transcript.text.done":
		out.Final = true
	}
	if u := e.Usage; u != nil {
		out.Usage = llm.Usage{PromptTokens: u.InputTokens, AudioPromptTokens: u.InputTokenDetails.AudioTokens, CompletionTokens: u.OutputTokens, TotalTokens: u.TotalTokens}
	}
	return out, nil
}

// AppendErrorEvent appends e as the event that ends a cut media stream:
// "event: error" with OpenAI's error object as its data, which the SDKs
// raise.
func AppendErrorEvent(dst []byte, e *llm.Error) []byte {
	dst = append(dst, "event: error\ndata: "...)
	dst = AppendError(dst, e)
	return append(dst, "\n\n"...)
}
