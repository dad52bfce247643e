package responses

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// turn decodes a request continuing prior (nil: none) and returns it.
func turn(t *testing.T, body string, prior *Prior) *Request {
	t.Helper()
	r, err := DecodeRequestWith([]byte(body), func(id string) (*Prior, error) {
		if prior == nil || id != "resp_1" {
			return nil, PreviousNotFound(id)
		}
		return prior, nil
	})
	if err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return r
}

// A conversation stored, then continued: the function call of the first
// turn's output answers the second turn's function_call_output, the
// first turn's instructions are not carried, the second's apply; the
// second turn stores only its own input, after the conversation it
// continued.
func TestContinueStoredConversation(t *testing.T) {
	first := turn(t, `{"model":"m","instructions":"Be terse.","input":"Weather in Paris?"}`, nil)
	ids := IDs{Base: "1"}
	in, err := StoredInput(first, ids)
	if err != nil {
		t.Fatal(err)
	}
	out := Output{Status: StatusCompleted, Items: []Item{{Type: ItemMessage, ID: "msg_1", Text: "Let me check."},
		{Type: ItemFunctionCall, ID: "fc_1_0", CallID: "call_9", Name: "get_weather", Arguments: `{"city":"Paris"}`}}}
	prior := &Prior{Input: in, Output: StoredOutput(&out)}
	second := turn(t, `{"model":"m","instructions":"Answer in French.","previous_response_id":"resp_1","input":[{"type":"function_call_output","call_id":"call_9","output":"21C"}]}`, prior)
	msgs := second.Chat.Messages
	if len(msgs) != 4 || msgs[0].Text() != "Answer in French." || msgs[1].Text() != "Weather in Paris?" ||
		msgs[2].Text() != "Let me check." || len(msgs[2].ToolCalls()) != 1 || msgs[3].ToolCallID() != "call_9" {
		t.Fatalf("messages: %+v", msgs)
	}
	if second.PreviousResponseID != "resp_1" {
		t.Errorf("PreviousResponseID %q", second.PreviousResponseID)
	}
	own, err := StoredInput(second, IDs{Base: "2"})
	if err != nil {
		t.Fatal(err)
	}
	var items []map[string]any
	if err := json.Unmarshal(own, &items); err != nil || len(items) != 1 || items[0]["id"] != "fco_2_i0" {
		t.Fatalf("stored input of turn 2, its own items only: %s (%v)", own, err)
	}
	all := JoinItems(second.Continued(), own)
	if err := json.Unmarshal(all, &items); err != nil || len(items) != 4 {
		t.Fatalf("the conversation of turn 2: %s (%v)", all, err)
	}
	if items[3]["id"] != "fco_2_i0" || items[3]["status"] != "completed" || items[0]["id"] != "msg_1_i0" {
		t.Errorf("ids: %s", all)
	}
	if strings.Contains(string(all), "Be terse") || strings.Contains(string(all), "French") {
		t.Errorf("instructions stored with the items: %s", all)
	}
}

// Without the earlier turn, the same function_call_output is an orphan;
// an unknown previous response is the loader's error.
func TestContinueErrors(t *testing.T) {
	body := `{"model":"m","previous_response_id":"resp_404","input":"hi"}`
	_, err := DecodeRequestWith([]byte(body), func(id string) (*Prior, error) { return nil, PreviousNotFound(id) })
	var e *llm.Error
	if !errors.As(err, &e) || e.Code != "previous_response_not_found" || e.Param != "previous_response_id" ||
		e.Message != "Previous response with id 'resp_404' not found." || e.HTTPStatus() != 400 {
		t.Errorf("unknown previous response: %#v", err)
	}
	_, err = DecodeRequest([]byte(body))
	if !errors.As(err, &e) || e.Code != "unsupported_parameter" {
		t.Errorf("stateless: %v", err)
	}
}

// Stored input items: string contents become parts, ids are the
// router's, types and statuses are written.
func TestStoredInputNormalizes(t *testing.T) {
	r := turn(t, `{"model":"m","input":[{"role":"user","content":"a"},{"role":"assistant","content":"b","id":"msg_x"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}","id":"fc_x"}]}`, nil)
	got, err := StoredInput(r, IDs{Base: "z"})
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"content":[{"type":"input_text","text":"a"}],"id":"msg_z_i0","role":"user","status":"completed","type":"message"},` +
		`{"content":[{"type":"output_text","annotations":[],"text":"b"}],"id":"msg_z_i1","role":"assistant","status":"completed","type":"message"},` +
		`{"arguments":"{}","call_id":"c","id":"fc_z_i2","name":"f","status":"completed","type":"function_call"}]`
	if string(got) != want {
		t.Errorf("got\n %s\nwant\n %s", got, want)
	}
}

// The output a failed response carries on is none; an empty message is
// left out.
func TestStoredOutput(t *testing.T) {
	out := Output{Status: StatusFailed, Items: []Item{{Type: ItemMessage, ID: "m", Text: "partial"}}}
	if got := string(StoredOutput(&out)); got != "[]" {
		t.Errorf("failed: %s", got)
	}
	out = Output{Status: StatusCompleted, Items: []Item{{Type: ItemMessage, ID: "m"}, {Type: ItemFunctionCall, ID: "f", CallID: "c", Name: "n"}}}
	if got := string(StoredOutput(&out)); !strings.HasPrefix(got, `[{"id":"f","type":"function_call"`) || strings.Count(got, `"id"`) != 1 {
		t.Errorf("empty message: %s", got)
	}
}

// Final is what Finish ends the stream with.
func TestFinalIsFinishedResponse(t *testing.T) {
	for _, chunks := range [][]string{nil, {"Hel", "lo"}} {
		r := turn(t, `{"model":"m","input":"hi","stream":true}`, nil)
		s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, Model: "m", Store: true})
		s.Start(nil)
		for _, c := range chunks {
			s.Chunk(nil, &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: c}}}})
		}
		final := s.Final("0.5")
		want := string(s.AppendResponse(nil, &final))
		events := string(s.Finish(nil, "0.5"))
		if !strings.Contains(events, `"response":`+want+"}") {
			t.Errorf("%v: Final\n %s\nnot in\n %s", chunks, want, events)
		}
	}
}

func TestInputItemsPages(t *testing.T) {
	items := json.RawMessage(`[{"id":"a"},{"id":"b"},{"id":"c"}]`)
	for _, c := range []struct{ query, want string }{
		{"", `{"object":"list","data":[{"id":"c"},{"id":"b"},{"id":"a"}],"first_id":"c","last_id":"a","has_more":false}`},
		{"order=asc&limit=2", `{"object":"list","data":[{"id":"a"},{"id":"b"}],"first_id":"a","last_id":"b","has_more":true}`},
		{"order=asc&limit=2&after=b", `{"object":"list","data":[{"id":"c"}],"first_id":"c","last_id":"c","has_more":false}`},
		{"limit=1&after=c", `{"object":"list","data":[{"id":"b"}],"first_id":"b","last_id":"b","has_more":true}`},
		{"before=b", `{"object":"list","data":[{"id":"c"}],"first_id":"c","last_id":"c","has_more":false}`},
		{"after=a", `{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}`},
		{"include[]=reasoning.encrypted_content&include=message.output_text.logprobs&limit=1", `{"object":"list","data":[{"id":"c"}],"first_id":"c","last_id":"c","has_more":true}`},
	} {
		v, _ := url.ParseQuery(c.query)
		q, err := ParseListQuery(v)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		got, err := AppendInputItems(nil, items, q)
		if err != nil || string(got) != c.want {
			t.Errorf("%s:\n got %s (%v)\nwant %s", c.query, got, err, c.want)
		}
	}
	for query, param := range map[string]string{
		"limit=0": "limit", "limit=101": "limit", "limit=x": "limit", "order=up": "order",
		"include=bogus": "include[0]", "include[]=code_interpreter_call.outputs&include[]=bogus": "include[1]",
	} {
		v, _ := url.ParseQuery(query)
		var e *llm.Error
		if _, err := ParseListQuery(v); !errors.As(err, &e) || e.Param != param || e.Kind != llm.KindInvalidRequest {
			t.Errorf("%s: %v", query, err)
		}
	}
	var inc *llm.Error
	v, _ := url.ParseQuery("include=bogus")
	if _, err := ParseListQuery(v); !errors.As(err, &inc) || inc.Code != "invalid_value" ||
		inc.Message != "Invalid value: 'bogus'. Supported values are: 'file_search_call.results', 'web_search_call.results', 'web_search_call.action.sources', "+
			"'message.input_image.image_url', 'computer_call_output.output.image_url', 'code_interpreter_call.outputs', 'reasoning.encrypted_content', and 'message.output_text.logprobs'." {
		t.Errorf("include=bogus: %#v", inc)
	}
	var e *llm.Error
	if _, err := AppendInputItems(nil, items, ListQuery{After: "zz", Limit: 20}); !errors.As(err, &e) || e.Param != "after" {
		t.Errorf("unknown after: %v", err)
	}
}

// FuzzStoredInputRoundTrip: whatever input a request decodes with, the
// items stored for it decode, as the conversation a later request
// continues, to the same messages.
func FuzzStoredInputRoundTrip(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeRequest(data)
		if err != nil {
			return
		}
		in, err := StoredInput(r, IDs{Base: "f"})
		if err != nil {
			t.Fatalf("StoredInput: %v", err)
		}
		next, err := DecodeRequestWith([]byte(`{"model":"m","previous_response_id":"resp_1","input":"next"}`),
			func(string) (*Prior, error) { return &Prior{Input: in}, nil })
		if err != nil {
			t.Fatalf("continuing %s: %v", in, err)
		}
		want := r.Chat.Messages
		if r.Instructions != nil && *r.Instructions != "" {
			want = want[1:]
		}
		got := next.Chat.Messages[:len(next.Chat.Messages)-1]
		if len(got) != len(want) {
			t.Fatalf("%d messages back, want %d: %s", len(got), len(want), in)
		}
		for i := range want {
			if !sameMessage(&got[i], &want[i]) {
				t.Fatalf("message %d:\n %+v\nwant\n %+v", i, got[i], want[i])
			}
		}
	})
}

// sameMessage reports whether a and b say the same, whether their
// content came as a string or as parts: the same parts, images and
// documents (files) included.
func sameMessage(a, b *llm.Message) bool {
	if a.Role != b.Role || a.Text() != b.Text() || a.Refusal() != b.Refusal() || a.ToolCallID() != b.ToolCallID() ||
		!reflect.DeepEqual(a.ToolCalls(), b.ToolCalls()) || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		p, q := &a.Content[i], &b.Content[i]
		if p.Type != q.Type || p.ImageURL() != q.ImageURL() || p.ImageDetail() != q.ImageDetail() ||
			string(p.Raw()) != string(q.Raw()) || !reflect.DeepEqual(p.Document(), q.Document()) {
			return false
		}
	}
	return true
}

// FuzzInputItemsQuery: any query string either is refused with an
// invalid_request error or pages the items without panicking, into
// valid JSON.
func FuzzInputItemsQuery(f *testing.F) {
	for _, s := range []string{"", "limit=2&order=asc&after=b", "before=a&after=c", "limit=-1", "order=%ff", "after=&before="} {
		f.Add(s)
	}
	items := json.RawMessage(`[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"b"}]`)
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		q, err := ParseListQuery(v)
		if err == nil {
			var out []byte
			if out, err = AppendInputItems(nil, items, q); err == nil && !json.Valid(out) {
				t.Fatalf("invalid JSON: %s", out)
			}
		}
		var e *llm.Error
		if err != nil && (!errors.As(err, &e) || e.Kind != llm.KindInvalidRequest) {
			t.Fatalf("error %#v", err)
		}
	})
}

// JoinItems joins arrays of items, skipping the empty and absent ones.
func TestJoinItems(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, `[]`},
		{[]string{``, `[]`, ` [ ] `}, `[]`},
		{[]string{`[1]`, ``, `[2, 3]`, `[]`, ` [4] `}, `[1,2, 3,4]`},
		{[]string{`[{"a":[1]}]`, `[{"b":2}]`}, `[{"a":[1]},{"b":2}]`},
	} {
		in := make([]json.RawMessage, len(c.in))
		for i, s := range c.in {
			in[i] = json.RawMessage(s)
		}
		if got := string(JoinItems(in...)); got != c.want {
			t.Errorf("JoinItems(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

// A field named in another case (encoding/json matches names whatever
// their case) is stored under its own name: the item continues as the
// same messages, not as a message with an unknown field.
func TestStoredInputFieldCase(t *testing.T) {
	body := `{"model":"m","input":[{"tYpe":"function_call","CAll_id":"c","nAme":"f","Arguments":"{}"},` +
		`{"type":"function_call_output","call_id":"c","output":"r","Type":"function_call_output"},{"Role":"user","CONTENT":"hi","ſtatus":null}]}`
	r, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	in, err := StoredInput(r, IDs{Base: "f"})
	if err != nil {
		t.Fatal(err)
	}
	next, err := DecodeRequestWith([]byte(`{"model":"m","previous_response_id":"resp_1","input":"next"}`),
		func(string) (*Prior, error) { return &Prior{Input: in}, nil })
	if err != nil {
		t.Fatalf("continuing %s: %v", in, err)
	}
	if got := next.Chat.Messages; len(got) != 4 || len(got[0].ToolCalls()) != 1 || got[1].ToolCallID() != "c" || got[2].Text() != "hi" {
		t.Fatalf("continued as %+v from %s", got, in)
	}
	if !strings.Contains(string(in), `"id":"fc_f_i0"`) || !strings.Contains(string(in), `"content":[{"type":"input_text","text":"hi"}]`) {
		t.Errorf("stored %s", in)
	}
}
