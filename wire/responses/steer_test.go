package responses

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestDecodeSteer(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		prev     string // the previous_response_id decoded
		invalid  string // a piece of the failure's message; "" for a valid steer
		items    string // the items, as JSON, of a valid one
	}{
		{name: "string", in: `{"type":"response.steer","previous_response_id":"resp_1","input":"shorter"}`, prev: "resp_1",
			items: `[{"content":"shorter","role":"user","type":"message"}]`},
		{name: "messages", in: `{"type":"response.steer","previous_response_id":"resp_1","input":[{"role":"user","content":"a"},{"type":"message","role":"user","content":[{"type":"input_text","text":"b"},{"type":"input_image","image_url":"https://x/i.png"}]}]}`, prev: "resp_1",
			items: `[{"role":"user","content":"a"},{"type":"message","role":"user","content":[{"type":"input_text","text":"b"},{"type":"input_image","image_url":"https://x/i.png"}]}]`},
		{name: "stream_id", in: `{"type":"response.steer","previous_response_id":"resp_1","input":"x","stream_id":"a"}`, prev: "resp_1", invalid: "no stream_id"},
		{name: "unknown member", in: `{"type":"response.steer","previous_response_id":"resp_1","input":"x","model":"m"}`, prev: "resp_1", invalid: "'model'"},
		{name: "no previous", in: `{"type":"response.steer","input":"x"}`, invalid: "previous_response_id"},
		{name: "previous not a string", in: `{"type":"response.steer","previous_response_id":7,"input":"x"}`, invalid: "previous_response_id"},
		{name: "no input", in: `{"type":"response.steer","previous_response_id":"resp_1"}`, prev: "resp_1", invalid: "'input'"},
		{name: "null input", in: `{"type":"response.steer","previous_response_id":"resp_1","input":null}`, prev: "resp_1", invalid: "'input'"},
		{name: "empty string", in: `{"type":"response.steer","previous_response_id":"resp_1","input":""}`, prev: "resp_1", invalid: "empty string"},
		{name: "empty list", in: `{"type":"response.steer","previous_response_id":"resp_1","input":[]}`, prev: "resp_1", invalid: "1 to 64"},
		{name: "number", in: `{"type":"response.steer","previous_response_id":"resp_1","input":3}`, prev: "resp_1", invalid: "a number"},
		{name: "assistant", in: `{"type":"response.steer","previous_response_id":"resp_1","input":[{"role":"assistant","content":"x"}]}`, prev: "resp_1", invalid: "'user' role"},
		{name: "no role", in: `{"type":"response.steer","previous_response_id":"resp_1","input":[{"content":"x"}]}`, prev: "resp_1", invalid: "'user' role"},
		{name: "tool output", in: `{"type":"response.steer","previous_response_id":"resp_1","input":[{"type":"function_call_output","call_id":"c","output":"1"}]}`, prev: "resp_1", invalid: "Unknown parameter"},
		{name: "item of another type", in: `{"type":"response.steer","previous_response_id":"resp_1","input":[{"type":"function_call","role":"user","content":"x"}]}`, prev: "resp_1", invalid: "type 'message'"},
		{name: "extra member", in: `{"type":"response.steer","previous_response_id":"resp_1","input":[{"role":"user","content":"x","id":"msg_1"}]}`, prev: "resp_1", invalid: "input[0].id"},
		{name: "output_text part", in: `{"type":"response.steer","previous_response_id":"resp_1","input":[{"role":"user","content":[{"type":"output_text","text":"x"}]}]}`, prev: "resp_1", invalid: "input_text, input_image and input_file"},
		{name: "part without text", in: `{"type":"response.steer","previous_response_id":"resp_1","input":[{"role":"user","content":[{"type":"input_text"}]}]}`, prev: "resp_1", invalid: "text"},
		{name: "no parts", in: `{"type":"response.steer","previous_response_id":"resp_1","input":[{"role":"user","content":[]}]}`, prev: "resp_1", invalid: "empty array"},
		{name: "no content", in: `{"type":"response.steer","previous_response_id":"resp_1","input":[{"role":"user"}]}`, prev: "resp_1", invalid: "content"},
		{name: "item not an object", in: `{"type":"response.steer","previous_response_id":"resp_1","input":["x"]}`, prev: "resp_1", invalid: "a string"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ev, e := DecodeClientEvent([]byte(tt.in))
			if e != nil || ev.Steer == nil || ev.Body != nil || ev.Lane != "" {
				t.Fatalf("DecodeClientEvent(%s) = %+v, %v; want a steer", tt.in, ev, e)
			}
			st := ev.Steer
			if st.PreviousResponseID != tt.prev {
				t.Errorf("previous_response_id %q, want %q", st.PreviousResponseID, tt.prev)
			}
			if tt.invalid != "" {
				if !strings.Contains(st.Invalid, tt.invalid) || st.Items != nil {
					t.Fatalf("Invalid = %q, items %s; want one saying %q", st.Invalid, st.Items, tt.invalid)
				}
				return
			}
			if st.Invalid != "" {
				t.Fatalf("Invalid = %q", st.Invalid)
			}
			if got, _ := json.Marshal(st.Items); string(got) != tt.items {
				t.Fatalf("items %s, want %s", got, tt.items)
			}
		})
	}
}

// An event of another type still names both supported types.
func TestEventTypeNamesSteer(t *testing.T) {
	_, e := DecodeClientEvent([]byte(`{"type":"response.cancel"}`))
	if e == nil || e.Code != "invalid_value" || !strings.Contains(e.Message, "'response.steer'") {
		t.Fatalf("error %+v", e)
	}
}

func TestSuccessorBody(t *testing.T) {
	steers := []*Steer{
		{Items: []json.RawMessage{json.RawMessage(`{"role":"user","content":"one"}`)}},
		{Items: []json.RawMessage{json.RawMessage(`{"role":"user","content":"two"}`)}},
	}
	got := SuccessorBody([]byte(`{"model":"m","input":"first","instructions":"be brief","previous_response_id":"resp_0","store":false,"stream":true}`), "resp_1", steers)
	want := `{"input":[{"role":"user","content":"one"},{"role":"user","content":"two"}],"instructions":"be brief","model":"m","previous_response_id":"resp_1","store":false,"stream":true}`
	if string(got) != want {
		t.Fatalf("SuccessorBody = %s\nwant %s", got, want)
	}
}

func TestPrependInput(t *testing.T) {
	steers := []*Steer{{Items: []json.RawMessage{json.RawMessage(`{"role":"user","content":"steer"}`)}}}
	for _, tt := range []struct{ in, want string }{
		{`{"model":"m","input":[{"type":"function_call_output","call_id":"c","output":"1"}],"previous_response_id":"resp_1"}`,
			`{"input":[{"type":"function_call_output","call_id":"c","output":"1"},{"role":"user","content":"steer"}],"model":"m","previous_response_id":"resp_1"}`},
		{`{"model":"m","input":[{"type":"function_call_output","call_id":"c","output":"1"},{"role":"user","content":"mine"}]}`,
			`{"input":[{"type":"function_call_output","call_id":"c","output":"1"},{"role":"user","content":"steer"},{"role":"user","content":"mine"}],"model":"m"}`},
		{`{"model":"m","input":"mine"}`, `{"input":[{"role":"user","content":"steer"},{"content":"mine","role":"user"}],"model":"m"}`},
		{`{"model":"m"}`, `{"input":[{"role":"user","content":"steer"}],"model":"m"}`},
		{`{"model":"m","input":7}`, `{"model":"m","input":7}`},
		{`[`, `[`},
	} {
		if got := PrependInput([]byte(tt.in), steers); string(got) != tt.want {
			t.Errorf("PrependInput(%s) = %s\nwant %s", tt.in, got, tt.want)
		}
	}
	if got := PreviousResponseID([]byte(`{"previous_response_id":"resp_9"}`)); got != "resp_9" {
		t.Errorf("PreviousResponseID = %q", got)
	}
}

// The steering events a stream carries are numbered in its sequence; a
// steered stream ends incomplete, reason steered, its open message
// closed incomplete with the text so far.
func TestSteeredStream(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","stream":true}`)
	st := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, Model: "m"})
	buf := st.Start(nil)
	buf = st.Chunk(buf, textChunk("Hel"))
	steer := &Steer{ID: "steer_1", PreviousResponseID: "resp_b", Input: json.RawMessage("\"x\"")}
	buf = st.SteerAccepted(buf, steer)
	buf = st.SteerFailed(buf, &Steer{PreviousResponseID: "resp_b", Input: json.RawMessage("[\n1]")}, SteerInvalidInput, "bad")
	if st.HasCall() {
		t.Fatal("HasCall before any call")
	}
	out := st.Steered("0.5", &llm.Usage{PromptTokens: 3, CompletionTokens: 1, TotalTokens: 4, Estimated: true})
	buf = st.FinishSteered(buf, &out)
	evs := parseEvents(t, buf)
	if got := names(evs); got != "created in_progress output_item.added content_part.added output_text.delta steer.accepted steer.failed output_text.done content_part.done output_item.done incomplete" {
		t.Fatalf("events: %s", got)
	}
	for i, ev := range evs {
		if n := ev.data["sequence_number"]; n != float64(i) {
			t.Errorf("event %d (%s) numbered %v", i, ev.name, n)
		}
	}
	acc := evs[5].data["steer"].(map[string]any)
	if acc["id"] != "steer_1" || acc["previous_response_id"] != "resp_b" {
		t.Errorf("accepted steer %v", acc)
	}
	failed := evs[6].data
	if failed["error"].(map[string]any)["code"] != "invalid_input" || failed["steer"].(map[string]any)["id"] != nil {
		t.Errorf("failed event %v", failed)
	}
	resp := evs[len(evs)-1].data["response"].(map[string]any)
	if resp["status"] != "incomplete" || resp["incomplete_details"].(map[string]any)["reason"] != "steered" {
		t.Fatalf("response %v", resp)
	}
	item := resp["output"].([]any)[0].(map[string]any)
	if item["status"] != "incomplete" || !strings.Contains(string(mustJSON(t, item)), `"text":"Hel"`) {
		t.Errorf("item %v", item)
	}
	if u := resp["usage"].(map[string]any); u["input_tokens"] != float64(3) || u["output_tokens"] != float64(1) {
		t.Errorf("usage %v", u)
	}
}

// A response that waits for its calls' results names them in
// response.steer.pending's required_input.
func TestSteerPending(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","stream":true,"tools":[{"type":"function","name":"get","parameters":{}}]}`)
	st := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, Model: "m"})
	buf := st.Start(nil)
	buf = st.Chunk(buf, callChunk(0, "call_1", "get", `{"a":1}`))
	buf = st.Chunk(buf, finishChunk(llm.FinishToolCalls))
	if !st.HasCall() {
		t.Fatal("HasCall after a call")
	}
	buf = st.Finish(buf, "")
	out := st.Final("")
	if !AwaitsClient(&out) {
		t.Fatal("AwaitsClient of a function call")
	}
	buf = st.SteerPending(buf, &Steer{ID: "steer_2", PreviousResponseID: "resp_b"}, &out)
	evs := parseEvents(t, buf)
	evs = evs[len(evs)-1:]
	if evs[0].name != "response.steer.pending" {
		t.Fatalf("events %v", evs)
	}
	got := string(mustJSON(t, evs[0].data["required_input"]))
	if got != `[{"call_id":"call_1","name":"get","type":"function_call_output"}]` {
		t.Fatalf("required_input %s", got)
	}
	if evs[0].data["reason"] != "waiting_for_required_input" {
		t.Errorf("reason %v", evs[0].data["reason"])
	}
}

func TestAppendSteerFailed(t *testing.T) {
	ev := AppendSteerFailed([]byte("x"), 0, "lane_1", &Steer{ID: "steer_1", PreviousResponseID: "resp_\"q", Input: json.RawMessage(`"more"`)}, SteerAlreadyCompleted, "done")
	var got struct {
		Type     string `json:"type"`
		StreamID string `json:"stream_id"`
		Error    struct{ Code, Type string }
		Steer    struct {
			Input              string `json:"input"`
			ID                 string `json:"id"`
			PreviousResponseID string `json:"previous_response_id"`
		}
	}
	if ev[0] != 'x' || json.Unmarshal(ev[1:], &got) != nil {
		t.Fatalf("event %s", ev)
	}
	if got.Type != "response.steer.failed" || got.StreamID != "lane_1" || got.Error.Code != "response_already_completed" || got.Error.Type != "invalid_request_error" ||
		got.Steer.Input != "more" || got.Steer.ID != "steer_1" || got.Steer.PreviousResponseID != `resp_"q` {
		t.Fatalf("event %+v", got)
	}
	if ev := AppendSteerFailed(nil, 0, "", &Steer{}, SteerNotFound, "gone"); !json.Valid(ev) || strings.Contains(string(ev), "stream_id") || !strings.Contains(string(ev), `"input":null`) {
		t.Fatalf("event %s", ev)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkSteer is FuzzDecodeClientEvent's check of a steer: valid, with
// items that are user messages and a previous response; or invalid,
// with no items. Its failure event is JSON either way.
func checkSteer(t *testing.T, data []byte, ev ClientEvent, e *llm.Error) {
	st := ev.Steer
	if e != nil || ev.Body != nil || ev.Lane != "" {
		t.Fatalf("DecodeClientEvent(%q) = %+v, %v", data, ev, e)
	}
	if ev := AppendSteerFailed(nil, 0, "a", st, SteerInvalidInput, st.Invalid); !json.Valid(ev) {
		t.Fatalf("failed event of %q not JSON: %s", data, ev)
	}
	if st.Invalid != "" {
		if st.Items != nil {
			t.Fatalf("invalid steer %q with items", data)
		}
		return
	}
	if st.PreviousResponseID == "" || len(st.Items) == 0 {
		t.Fatalf("valid steer %q: %+v", data, st)
	}
	body := SuccessorBody([]byte(`{"model":"m"}`), st.PreviousResponseID, []*Steer{st})
	if _, err := DecodeRequestStored(body, Stored{Previous: func(string) (*Prior, error) { return &Prior{}, nil }}); err != nil {
		t.Fatalf("the successor of valid steer %q is refused: %v (%s)", data, err, body)
	}
}

// FuzzPrependInput: whatever body a client's continuation sends, the
// steers' items end up in its input, after the call results that lead
// it, and its other members are kept; a body that is not a JSON object,
// or whose input is not a string or an array, comes back as it was.
func FuzzPrependInput(f *testing.F) {
	for _, s := range []string{
		`{"model":"m","input":"mine"}`, `{"model":"m"}`, `{"input":null}`, `{"input":7}`, `[`, `null`, `{"input":[1,"x",{}]}`,
		`{"input":[{"type":"function_call_output","call_id":"c","output":"1"},{"type":"custom_tool_call_output","call_id":"d","output":"2"},{"role":"user","content":"x"}]}`,
		`{"input":[{"type":"mcp_approval_response","approval_request_id":"a","approve":true}],"previous_response_id":"resp_1"}`,
		`{"input":"x","metadata":{"k": "<b> & c"}, "n": [1, 2.50]}`,
	} {
		f.Add([]byte(s))
	}
	steer := json.RawMessage(`{"role":"user","content":"steer"}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		got := PrependInput(body, []*Steer{{Items: []json.RawMessage{steer}}})
		var before, after map[string]json.RawMessage
		if json.Unmarshal(body, &before) != nil || before == nil {
			if string(got) != string(body) {
				t.Fatalf("PrependInput(%q) = %q, want it as it was", body, got)
			}
			return
		}
		if json.Unmarshal(got, &after) != nil {
			if string(got) != string(body) {
				t.Fatalf("PrependInput(%q) = %q: not JSON", body, got)
			}
			return
		}
		var items []json.RawMessage
		if json.Unmarshal(after["input"], &items) != nil {
			if string(got) != string(body) {
				t.Fatalf("PrependInput(%q) = %q: input not an array", body, got)
			}
			return
		}
		k := leadingResults(items)
		if k >= len(items) || string(items[k]) != string(steer) {
			t.Fatalf("PrependInput(%q) = %q: the steer is not after the %d leading results", body, got, k)
		}
		for name, v := range before {
			var was, is any
			json.Unmarshal(v, &was)
			json.Unmarshal(after[name], &is)
			if name != "input" && !reflect.DeepEqual(was, is) {
				t.Fatalf("PrependInput(%q) changed %s: %q", body, name, got)
			}
		}
	})
}
