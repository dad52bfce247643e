package responses

import (
	"bytes"
	"encoding/json"

	"switchyard/llm"
)

// This file holds the lanes of WebSocket mode: a response.create's
// stream_id names the lane it runs on (the creates of one lane run one
// after the other, in the order sent; lanes run side by side), and every
// server event of its response echoes that stream_id.

// MaxStreamID bounds the length of a stream_id, as OpenAI's API does.
const MaxStreamID = 256

// ValidStreamID reports whether id may name a lane: 1 to MaxStreamID
// ASCII letters, digits, underscores, hyphens or periods. Such an id goes
// into JSON as it is, with no escape.
func ValidStreamID(id string) bool {
	if id == "" || len(id) > MaxStreamID {
		return false
	}
	for i := range len(id) {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}

// streamID decodes a response.create's stream_id (raw; nil or null for
// the default lane, returned as ""), or is the invalid_request error of
// one that is not a valid lane name.
func streamID(raw json.RawMessage) (string, *llm.Error) {
	if raw == nil || isNull(raw) {
		return "", nil
	}
	var id string
	if json.Unmarshal(raw, &id) != nil {
		e := invalid("stream_id", "Invalid type for 'stream_id': expected a string, but got %s.", jsonKind(raw))
		e.Code = "invalid_type"
		return "", e
	}
	if !ValidStreamID(id) {
		e := invalid("stream_id", "Invalid 'stream_id': it must be 1 to %d ASCII letters, digits, underscores, hyphens or periods (^[A-Za-z0-9_.-]+$).", MaxStreamID)
		e.Code = "invalid_value"
		return "", e
	}
	return id, nil
}

// jsonKind names the JSON type of raw, for an error message.
func jsonKind(raw json.RawMessage) string {
	switch first(raw) {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	}
	return "a number"
}

// AppendStreamID appends ev, the JSON object of one server event, with
// lane's stream_id added as its last member; ev as it is for the
// default lane (""). lane must be a valid stream id (ValidStreamID).
func AppendStreamID(dst, ev []byte, lane string) []byte {
	if lane == "" {
		return append(dst, ev...)
	}
	obj := bytes.TrimSpace(ev)
	if len(obj) < 2 || obj[0] != '{' || obj[len(obj)-1] != '}' {
		return append(dst, ev...) // not an object: never a Streamer's event
	}
	dst = append(dst, obj[:len(obj)-1]...)
	if len(bytes.TrimSpace(obj[1:len(obj)-1])) > 0 {
		dst = append(dst, ',')
	}
	dst = append(dst, `"stream_id":"`...)
	dst = append(dst, lane...)
	return append(dst, `"}`...)
}

// StreamLimitReached is the error of a response.create that names a new
// lane on a connection that has used limit lanes already.
func StreamLimitReached(limit int) *llm.Error {
	e := invalid("stream_id", "This WebSocket connection has reached its stream limit. It may use %d stream_id lanes, and an id stays reserved until the connection ends: reuse one of its stream_ids, or open another connection.", limit)
	e.Code = "websocket_stream_limit_reached"
	return e
}
