package responses

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestDecodeClientEvent(t *testing.T) {
	for _, tt := range []struct {
		name, in         string
		param, code, msg string // want an error
		body             string // else want this body
	}{
		{name: "create", in: `{"type":"response.create","model":"m","input":"hi","store":false}`, body: `{"input":"hi","model":"m","store":false,"stream":true}`},
		{name: "stream false", in: `{"type":"response.create","model":"m","stream":false,"background":null}`, body: `{"background":null,"model":"m","stream":true}`},
		{name: "malformed", in: `{"type":"response.create",`, code: "invalid_json"},
		{name: "not an object", in: `[1]`, code: "invalid_json"},
		{name: "null", in: `null`, code: "invalid_json"},
		{name: "no type", in: `{"model":"m"}`, param: "type", code: "missing_required_parameter"},
		{name: "unknown type", in: `{"type":"response.cancel"}`, param: "type", code: "invalid_value", msg: `"response.cancel"`},
		{name: "type not a string", in: `{"type":7}`, param: "type", code: "invalid_value"},
		{name: "steer", in: `{"type":"response.steer","input":"more"}`, param: "type", code: "unsupported_event_type", msg: "response.steer"},
		{name: "stream", in: `{"type":"response.create","model":"m","stream":true}`, param: "stream", code: "unsupported_parameter"},
		{name: "background", in: `{"type":"response.create","model":"m","background":true}`, param: "background", code: "unsupported_parameter"},
		{name: "stream_id", in: `{"type":"response.create","model":"m","stream_id":"a"}`, param: "stream_id", code: "unsupported_parameter"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body, e := DecodeClientEvent([]byte(tt.in))
			if tt.code == "" {
				if e != nil || string(body) != tt.body {
					t.Fatalf("DecodeClientEvent(%s) = %s, %v; want %s", tt.in, body, e, tt.body)
				}
				return
			}
			if e == nil || e.Kind != llm.KindInvalidRequest || e.Code != tt.code || e.Param != tt.param || !strings.Contains(e.Message, tt.msg) {
				t.Fatalf("DecodeClientEvent(%s) = %s, %+v; want invalid_request %s on %q", tt.in, body, e, tt.code, tt.param)
			}
		})
	}
}

func TestAppendSocketError(t *testing.T) {
	e := PreviousNotFound("resp_x")
	var ev struct {
		Type   string `json:"type"`
		Status int    `json:"status"`
		Error  struct{ Type, Code, Message, Param string }
	}
	b := AppendSocketError(nil, e)
	if err := json.Unmarshal(b, &ev); err != nil || ev.Type != "error" || ev.Status != 400 || ev.Error.Code != "previous_response_not_found" ||
		ev.Error.Param != "previous_response_id" || ev.Error.Type != "invalid_request_error" {
		t.Fatalf("AppendSocketError = %s (%v)", b, err)
	}
	if b := AppendSocketErrorBody(nil, 502, []byte("<html>")); !json.Valid(b) || !strings.Contains(string(b), `"status":502`) {
		t.Fatalf("a body not an error answer gives %s", b)
	}
}

func TestEventData(t *testing.T) {
	if d := EventData([]byte("event: response.created\ndata: {\"type\":\"response.created\"}\n\n")); string(d) != `{"type":"response.created"}` {
		t.Fatalf("EventData = %q", d)
	}
	if d := EventData([]byte(": comment\n\n")); d != nil {
		t.Fatalf("EventData of no data = %q", d)
	}
}

// FuzzDecodeClientEvent: any message gives a body that is a streamed JSON
// object without type, or an invalid_request error; never both, never a
// panic.
func FuzzDecodeClientEvent(f *testing.F) {
	for _, s := range []string{
		`{"type":"response.create","model":"m","input":"hi"}`,
		`{"type":"response.create","model":"m","previous_response_id":"resp_1","store":false,"input":[{"type":"function_call_output","call_id":"c","output":"1"}]}`,
		`{"type":"response.steer","input":"x"}`, `{"type":"response.create","stream":true}`, `{"type":"response.create","background":1}`,
		`{"type":"response.create","stream_id":"x"}`, `{"type":"x"}`, `{}`, `null`, `[]`, `"s"`, `{"type":`, `{"type":"response.create","type":"y"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		body, e := DecodeClientEvent(data)
		if e != nil {
			if body != nil || e.Kind != llm.KindInvalidRequest || e.Code == "" {
				t.Fatalf("DecodeClientEvent(%q) = %q, %+v", data, body, e)
			}
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil || string(m["stream"]) != "true" || m["type"] != nil || m["stream_id"] != nil {
			t.Fatalf("DecodeClientEvent(%q) = %q (%v)", data, body, err)
		}
	})
}
