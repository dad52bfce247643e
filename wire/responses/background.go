package responses

import (
	"bytes"
	"encoding/json"
	"strconv"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file holds what the background responses add to the codec: the
// events that open a background stream (response.queued, then
// response.in_progress once it runs), a stored response object given
// another status (cancelled, or failed by a router that found it
// abandoned), the events a stream kept in the store is cut back into,
// and the input token count object.

// Queued appends the events that open a background stream before it
// runs: response.created and response.queued, the response queued.
func (s *Streamer) Queued(dst []byte) []byte {
	snap := Output{Status: StatusQueued}
	dst = s.responseEvent(dst, "response.created", &snap)
	return s.responseEvent(dst, "response.queued", &snap)
}

// Started appends response.in_progress: the background response began
// to run.
func (s *Streamer) Started(dst []byte) []byte {
	snap := Output{Status: StatusInProgress}
	return s.responseEvent(dst, "response.in_progress", &snap)
}

// Seq returns the sequence number of the next event the Streamer appends:
// the events appended so far are numbered 0 to Seq()-1.
func (s *Streamer) Seq() int64 { return int64(s.seq) }

// Restatus returns the response object object (JSON, as stored) with its
// status set to status and its error to e (null when nil); every other
// member is kept. An object that is not a JSON object (stored content
// that did not open, say) gives way to a minimal response object naming
// id, with no output.
func Restatus(object []byte, id, status string, e *llm.Error) []byte {
	var members map[string]json.RawMessage
	if json.Unmarshal(object, &members) != nil || members == nil {
		members = map[string]json.RawMessage{"id": jsonw.String(nil, id), "object": json.RawMessage(`"response"`),
			"background": json.RawMessage("true"), "output": json.RawMessage("[]"), "usage": json.RawMessage("null")}
	}
	members["status"] = jsonw.String(nil, status)
	members["error"] = appendResponseError(nil, e)
	out, err := json.Marshal(members)
	if err != nil { // the members came from valid JSON: never
		return object
	}
	return out
}

// FailedEvents appends the events that end a stream whose response failed
// outside its Streamer (its router stopped): response.failed carrying
// object (the failed response object), numbered seq, then an error event
// of e, numbered seq+1.
func FailedEvents(dst []byte, seq int64, object []byte, e *llm.Error) []byte {
	dst = beginEvent(dst, "response.failed", seq)
	dst = append(dst, `,"response":`...)
	dst = append(dst, object...)
	dst = end(dst)
	return appendErrorEvent(dst, seq+1, e)
}

// eventEnd ends each server-sent event the Streamer writes: its data is
// JSON on one line, so a blank line only ever ends an event.
var eventEnd = []byte("\n\n")

// SplitEvents returns the server-sent events of data, one or more whole
// events as a Streamer wrote them, each with its blank line. Text after
// the last blank line (never written by a Streamer) is returned as a
// last event of its own. The events share data's memory.
func SplitEvents(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		i := bytes.Index(data, eventEnd)
		if i < 0 {
			return append(out, data)
		}
		out = append(out, data[:i+len(eventEnd)])
		data = data[i+len(eventEnd):]
	}
	return out
}

// AppendInputTokens appends the object of POST /v1/responses/input_tokens:
// {"object":"response.input_tokens","input_tokens":n}.
func AppendInputTokens(dst []byte, n int) []byte {
	dst = append(dst, `{"object":"response.input_tokens","input_tokens":`...)
	dst = strconv.AppendInt(dst, int64(n), 10)
	return append(dst, '}')
}

// DecodeRetrieveBody decodes the JSON body some SDKs send with GET
// /v1/responses/{id} (openai-go sends {"stream": true} there rather than
// in the query) and reports whether it asks for a stream. An empty body
// asks for none. Errors are *llm.Error of kind invalid_request.
func DecodeRetrieveBody(data []byte) (bool, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return false, nil
	}
	var body struct {
		Stream *bool `json:"stream"`
	}
	if err := decodeStrict(data, "", &body); err != nil {
		return false, err
	}
	return body.Stream != nil && *body.Stream, nil
}
