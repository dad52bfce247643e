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
		lane             string // and this lane, error or not
	}{
		{name: "create", in: `{"type":"response.create","model":"m","input":"hi","store":false}`, body: `{"input":"hi","model":"m","store":false,"stream":true}`},
		{name: "stream false", in: `{"type":"response.create","model":"m","stream":false,"background":null}`, body: `{"background":null,"model":"m","stream":true}`},
		{name: "malformed", in: `{"type":"response.create",`, code: "invalid_json"},
		{name: "not an object", in: `[1]`, code: "invalid_json"},
		{name: "null", in: `null`, code: "invalid_json"},
		{name: "no type", in: `{"model":"m"}`, param: "type", code: "missing_required_parameter"},
		{name: "unknown type", in: `{"type":"response.cancel"}`, param: "type", code: "invalid_value", msg: `"response.cancel"`},
		{name: "type not a string", in: `{"type":7}`, param: "type", code: "invalid_value"},
		// stream true, as OpenAI's own clients send it (the Agents SDK
		// for JavaScript, Codex CLI): taken, the response streamed.
		{name: "stream", in: `{"type":"response.create","model":"m","stream":true}`, body: `{"model":"m","stream":true}`},
		{name: "background", in: `{"type":"response.create","model":"m","background":true}`, param: "background", code: "unsupported_parameter"},
		{name: "lane", in: `{"type":"response.create","model":"m","stream_id":"agent_1.b-2"}`, body: `{"model":"m","stream":true}`, lane: "agent_1.b-2"},
		{name: "null lane", in: `{"type":"response.create","model":"m","stream_id":null}`, body: `{"model":"m","stream":true}`},
		{name: "longest lane", in: `{"type":"response.create","stream_id":"` + strings.Repeat("a", 256) + `"}`, body: `{"stream":true}`, lane: strings.Repeat("a", 256)},
		{name: "lane too long", in: `{"type":"response.create","stream_id":"` + strings.Repeat("a", 257) + `"}`, param: "stream_id", code: "invalid_value"},
		{name: "empty lane", in: `{"type":"response.create","stream_id":""}`, param: "stream_id", code: "invalid_value"},
		{name: "lane with a slash", in: `{"type":"response.create","stream_id":"a/b"}`, param: "stream_id", code: "invalid_value"},
		{name: "lane with a quote", in: `{"type":"response.create","stream_id":"a\"b"}`, param: "stream_id", code: "invalid_value"},
		{name: "lane not a string", in: `{"type":"response.create","stream_id":7}`, param: "stream_id", code: "invalid_type", msg: "a number"},
		{name: "stream not a boolean", in: `{"type":"response.create","model":"m","stream":"yes"}`, param: "stream", code: "invalid_type", msg: "a string"},
		{name: "stream on a lane", in: `{"type":"response.create","stream_id":"a","stream":true}`, body: `{"stream":true}`, lane: "a"},
		{name: "background on a lane", in: `{"type":"response.create","stream_id":"a","background":true}`, param: "background", code: "unsupported_parameter", lane: "a"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ev, e := DecodeClientEvent([]byte(tt.in))
			body, lane := ev.Body, ev.Lane
			if lane != tt.lane {
				t.Fatalf("DecodeClientEvent(%s) on lane %q, want %q", tt.in, lane, tt.lane)
			}
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
	b := AppendSocketError(nil, "", e)
	if err := json.Unmarshal(b, &ev); err != nil || ev.Type != "error" || ev.Status != 400 || ev.Error.Code != "previous_response_not_found" ||
		ev.Error.Param != "previous_response_id" || ev.Error.Type != "invalid_request_error" {
		t.Fatalf("AppendSocketError = %s (%v)", b, err)
	}
	if strings.Contains(string(b), "stream_id") {
		t.Fatalf("the default lane's error event names a lane: %s", b)
	}
	if b := AppendSocketErrorBody(nil, "", 502, []byte("<html>")); !json.Valid(b) || !strings.Contains(string(b), `"status":502`) {
		t.Fatalf("a body not an error answer gives %s", b)
	}
	var lane struct {
		StreamID string `json:"stream_id"`
		Status   int    `json:"status"`
		Error    struct{ Code, Message, Param string }
	}
	b = AppendSocketError(nil, "agent_1", StreamLimitReached(64))
	if err := json.Unmarshal(b, &lane); err != nil || lane.StreamID != "agent_1" || lane.Status != 400 || lane.Error.Code != "websocket_stream_limit_reached" ||
		lane.Error.Param != "stream_id" || !strings.HasPrefix(lane.Error.Message, "This WebSocket connection has reached its stream limit.") {
		t.Fatalf("the limit's error event: %s (%v)", b, err)
	}
}

func TestAppendStreamID(t *testing.T) {
	for _, tt := range []struct{ ev, lane, want string }{
		{`{"type":"response.created","sequence_number":0}`, "a", `{"type":"response.created","sequence_number":0,"stream_id":"a"}`},
		{`{"type":"x"}` + "\n", "b.c", `{"type":"x","stream_id":"b.c"}`},
		{`{ }`, "a", `{ "stream_id":"a"}`},
		{`{"type":"x"}`, "", `{"type":"x"}`},
		{`[1]`, "a", `[1]`},
		{``, "a", ``},
	} {
		got := AppendStreamID([]byte(">"), []byte(tt.ev), tt.lane)
		if string(got) != ">"+tt.want {
			t.Errorf("AppendStreamID(%q, %q) = %q, want %q", tt.ev, tt.lane, got[1:], tt.want)
		}
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
// object without type or stream_id, or an invalid_request error; never
// both, never a panic; its lane, if any, a valid stream_id, which the
// error event and the events of the lane carry as valid JSON.
func FuzzDecodeClientEvent(f *testing.F) {
	for _, s := range []string{
		`{"type":"response.create","model":"m","input":"hi"}`,
		`{"type":"response.create","model":"m","previous_response_id":"resp_1","store":false,"input":[{"type":"function_call_output","call_id":"c","output":"1"}]}`,
		`{"type":"response.steer","input":"x"}`, `{"type":"response.create","stream":true}`, `{"type":"response.create","stream":"yes","stream_id":"a"}`,
		`{"type":"response.steer","previous_response_id":"resp_1","input":"more"}`, `{"type":"response.steer","previous_response_id":"r","input":[{"role":"user","content":[{"type":"input_text","text":"a"}]}]}`,
		`{"type":"response.steer","previous_response_id":"r","input":[{"type":"message","role":"user","content":"a"}],"stream_id":"x"}`,
		`{"type":"response.steer","previous_response_id":"r","input":[{"role":"assistant","content":"a"}]}`, `{"type":"response.steer","previous_response_id":"r","input":[]}`, `{"type":"response.create","background":1}`,
		`{"type":"response.create","stream_id":"x"}`, `{"type":"response.create","stream_id":"agent_1","previous_response_id":"resp_2","store":false,"input":"go on"}`,
		`{"type":"response.create","stream_id":""}`, `{"type":"response.create","stream_id":"a b"}`, `{"type":"response.create","stream_id":["a"]}`,
		`{"type":"response.create","stream_id":null}`, `{"type":"response.create","stream_id":"\u0061"}`, `{"type":"response.create","stream_id":"a","stream_id":"b"}`,
		`{"type":"x"}`, `{}`, `null`, `[]`, `"s"`, `{"type":`, `{"type":"response.create","type":"y"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, e := DecodeClientEvent(data)
		body, lane := ev.Body, ev.Lane
		if ev.Steer != nil {
			checkSteer(t, data, ev, e)
			return
		}
		if lane != "" && !ValidStreamID(lane) {
			t.Fatalf("DecodeClientEvent(%q) on lane %q", data, lane)
		}
		if ev := AppendSocketError(nil, lane, StreamLimitReached(1)); !json.Valid(ev) {
			t.Fatalf("the error event on lane %q is not JSON: %s", lane, ev)
		}
		if e != nil {
			if body != nil || e.Kind != llm.KindInvalidRequest || e.Code == "" {
				t.Fatalf("DecodeClientEvent(%q) = %q, %+v", data, body, e)
			}
			return
		}
		if ev := AppendStreamID(nil, body, lane); !json.Valid(ev) {
			t.Fatalf("the body with stream_id %q is not JSON: %s", lane, ev)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil || string(m["stream"]) != "true" || m["type"] != nil || m["stream_id"] != nil {
			t.Fatalf("DecodeClientEvent(%q) = %q (%v)", data, body, err)
		}
	})
}
