package responses

import (
	"bytes"
	"encoding/json"
	"strconv"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// This file is the codec of the Responses API's WebSocket mode (GET
// /v1/responses upgraded): the client's events (DecodeClientEvent) and the
// server's, which are the streamed events' JSON, one event a message
// (EventData), on a named lane with its stream_id (AppendStreamID,
// ws_lane.go), and the error event of a request refused before its stream
// began (AppendSocketError).

// Client event types of the WebSocket mode.
const (
	// EventCreate is response.create: a create request's top-level
	// fields, and type.
	EventCreate = "response.create"
	// EventSteer is response.steer (beta): input queued for a
	// continuation of a response of the connection (steer.go).
	EventSteer = "response.steer"
)

// ClientEvent is a client event of the WebSocket mode, decoded: a
// response.create (Body, Lane) or a response.steer (Steer).
type ClientEvent struct {
	// Body is a response.create's: the body of the POST /v1/responses it
	// stands for (its fields without type and stream_id, streamed: stream
	// true); nil for a steer.
	Body []byte
	// Lane is a response.create's stream_id, "" for the connection's
	// default lane.
	Lane string
	// Steer is a response.steer's, valid or not (Steer.Invalid); nil for
	// a create.
	Steer *Steer
}

// DecodeClientEvent reads a client event of the WebSocket mode: a
// response.create, or a response.steer (decodeSteer: never an error, its
// failure said in Steer.Invalid, answered with response.steer.failed).
// Any other event is an *llm.Error of kind invalid_request, to be sent as
// an error event: a message that is not a JSON object, a type other than
// response.create or response.steer, a stream_id that is not 1 to 256
// ASCII letters, digits, '_', '-' or '.', and a response.create that
// sends background true (WebSocket mode runs none in the background) or a
// stream that is not a boolean (true or false, it is taken: every response
// is streamed); the lane is returned with the error when the event named
// a valid one, so that its error event goes to that
// lane. The body's other fields are the create request's, decoded as POST
// /v1/responses decodes them.
func DecodeClientEvent(data []byte) (ClientEvent, *llm.Error) {
	var ev map[string]json.RawMessage
	if err := json.Unmarshal(data, &ev); err != nil || ev == nil {
		e := llm.Errorf(llm.KindInvalidRequest, "We could not parse the JSON of this WebSocket message. Send each client event as one JSON object with a type, such as {\"type\":\"response.create\",\"model\":\"…\",\"input\":\"…\"}.")
		e.Code = "invalid_json"
		return ClientEvent{}, e
	}
	var typ string
	if json.Unmarshal(ev["type"], &typ) == nil && typ == EventSteer {
		return ClientEvent{Steer: decodeSteer(ev)}, nil
	}
	if typ != EventCreate {
		return ClientEvent{}, eventTypeError(ev["type"])
	}
	lane, e := streamID(ev["stream_id"])
	if e != nil {
		return ClientEvent{}, e
	}
	delete(ev, "type")
	delete(ev, "stream_id")
	// stream, true or false, is taken: the spec says only that it "should
	// not be sent" (ResponsesClientEvent), and OpenAI's own clients send it
	// true in every response.create (@openai/agents-openai's
	// #prepareWebSocketRequest, Codex CLI's ResponseCreateWsRequest).
	if v, ok := ev["stream"]; ok && !isNull(v) && first(v) != 't' && first(v) != 'f' {
		e := invalid("stream", "Invalid type for 'stream': expected a boolean, but got %s instead.", kindOf(v))
		e.Code = "invalid_type"
		return ClientEvent{Lane: lane}, e
	}
	if v, ok := ev["background"]; ok && !bytes.Equal(bytes.TrimSpace(v), []byte("false")) && !isNull(v) {
		return ClientEvent{Lane: lane}, backgroundField()
	}
	ev["stream"] = json.RawMessage("true")
	body, _ := json.Marshal(ev) // from decoded raw values: cannot fail
	return ClientEvent{Body: body, Lane: lane}, nil
}

// eventTypeError is the error of a client event whose type (raw) is
// neither response.create nor response.steer.
func eventTypeError(raw json.RawMessage) *llm.Error {
	if raw == nil {
		e := invalid("type", "Missing required parameter: 'type'. Send {\"type\":\"response.create\", …} with the fields of POST /v1/responses.")
		e.Code = "missing_required_parameter"
		return e
	}
	e := invalid("type", "Invalid value: %s. Supported values are: 'response.create' and 'response.steer'.", raw)
	e.Code = "invalid_value"
	return e
}

// backgroundField is the error of background sent true in a
// response.create.
func backgroundField() *llm.Error {
	e := invalid("background", "background is not supported in WebSocket mode. Leave background out, or create the response with POST /v1/responses.")
	e.Code = "unsupported_parameter"
	return e
}

// EventData returns the JSON of one server-sent event as a Streamer wrote
// it ("event: …\ndata: {…}\n\n"), which WebSocket mode sends as a message
// of its own; nil when ev has no data line.
func EventData(ev []byte) []byte {
	i := bytes.Index(ev, []byte("data: "))
	if i < 0 {
		return nil
	}
	d := ev[i+len("data: "):]
	if j := bytes.IndexByte(d, '\n'); j >= 0 {
		d = d[:j]
	}
	return d
}

// AppendSocketError appends the error event of WebSocket mode for a
// request refused with e before its stream began: {"type":"error",
// "status":…,"stream_id":…,"error":{…}}, the error object as POST
// /v1/responses answers it, its HTTP status and the lane of the request
// (stream_id left out for the default lane, "").
func AppendSocketError(dst []byte, lane string, e *llm.Error) []byte {
	return AppendSocketErrorBody(dst, lane, e.HTTPStatus(), wire.AppendError(nil, e))
}

// AppendSocketErrorBody appends the error event, on lane, of a request
// answered with status and body, an error answer ({"error":{…}}) of the
// HTTP endpoint; a body of another shape is said as a server error.
func AppendSocketErrorBody(dst []byte, lane string, status int, body []byte) []byte {
	var b struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &b) != nil || len(b.Error) == 0 || b.Error[0] != '{' {
		b.Error = json.RawMessage(`{"message":"The router answered with an error it could not describe.","type":"server_error","param":null,"code":"server_error"}`)
	}
	dst = append(dst, `{"type":"error","status":`...)
	dst = strconv.AppendInt(dst, int64(status), 10)
	if lane != "" {
		dst = append(dst, `,"stream_id":"`...)
		dst = append(dst, lane...)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"error":`...)
	dst = append(dst, b.Error...)
	return append(dst, '}')
}
