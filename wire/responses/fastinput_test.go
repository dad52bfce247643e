package responses

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"switchyard/llm"
)

// fastInputSeeds are input arrays the one-pass decoding must read as the
// item-by-item one does: well formed, and malformed in every way it
// gives up on (nulls, fields of another type sent as null, wrong types,
// unknown fields, parts of the wrong shape).
var fastInputSeeds = []string{
	`[{"role":"user","content":"hi"}]`,
	`[{"type":"message","role":"user","id":"m","status":"completed","phase":"final","content":[{"type":"input_text","text":"a"},{"type":"input_image","image_url":"https://x/y.png","detail":"low"}]}]`,
	`[{"role":"assistant","content":[{"type":"output_text","text":"x","annotations":[],"logprobs":[]},{"type":"refusal","refusal":"no"}]}]`,
	`[{"role":"assistant","content":[{"type":"refusal","refusal":"no"}]}]`,
	`[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":"r","name":"f"}]`,
	`[{"type":"function_call","call_id":"c","name":"f"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"r"}]}]`,
	`[{"type":"function_call_output","call_id":"nope","output":"r"}]`,
	`[]`, `[null]`, `[{}]`, `[1]`, `["x"]`, `[{"role":null,"content":"x"}]`,
	`[{"role":"user","content":"x","call_id":null}]`, `[{"role":"user","content":"x","arguments":null}]`,
	`[{"type":"function_call","call_id":"c","name":"f","role":null}]`, `[{"type":"function_call","call_id":"c","name":"f","content":null}]`,
	`[{"type":"function_call_output","call_id":"c","output":"r","phase":null}]`,
	`[{"type":null,"role":"user","content":"x"}]`, `[{"type":"","role":"user","content":"x"}]`,
	`[{"role":"user","content":"x","bogus":1}]`, `[{"role":"user","content":[null]}]`, `[{"role":"user","content":[{}]}]`,
	`[{"role":"user","content":[{"type":"input_text","text":1}]}]`, `[{"role":"user","content":[{"type":"input_text","text":"a","refusal":null}]}]`,
	`[{"role":"user","content":[{"type":"input_text"}]}]`, `[{"role":"user","content":[]}]`, `[{"role":"user","content":[{"type":"input_text","text":"a","x":1}]}]`,
	`[{"role":"user","CONTENT":"x"}]`, `[{"ROLE":"user","content":"x","Call_ID":"c"}]`, `[{"role":"user","content":"x"},]`,
	`[{"type":"function_call","call_id":1,"name":"f"}]`, `[{"type":"reasoning","summary":[]}]`, `[{"type":"item_reference","id":"x"}]`,
	`[{"role":"user","content":[{"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="},{"type":"input_file","file_id":"f","file_url":null}]}]`,
	`[{"role":"user","content":[{"type":"input_file","file_url":"https://x/a.pdf"}]}]`, `[{"role":"user","content":[{"type":"input_file"}]}]`,
	`[{"role":"user","content":[{"type":"input_file","file_id":"f","text":null}]}]`, `[{"role":"user","content":[{"type":"input_file","file_data":1}]}]`,
	`[{"role":"tool","content":"x"}]`, `[{"role":"user","content":{"type":"input_text"}}]`, `[{"role":"user","content":"\ud800"}]`,
}

// TestFastInputMatchesSlow holds the one-pass input decoding to the
// item-by-item one on the seeds.
func TestFastInputMatchesSlow(t *testing.T) {
	for _, s := range fastInputSeeds {
		checkFastMatchesSlow(t, []byte(s))
	}
}

// FuzzFastInputMatchesSlow: on any input array, decodeInput (one pass,
// or the item-by-item decoding when it gives up) answers exactly what
// the item-by-item decoding alone answers: the same messages, or the
// same error, word for word.
func FuzzFastInputMatchesSlow(f *testing.F) {
	for _, s := range fastInputSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if first(raw) != '[' {
			return
		}
		checkFastMatchesSlow(t, raw)
	})
}

func checkFastMatchesSlow(t *testing.T, raw []byte) {
	t.Helper()
	got, gotErr := decodeInput(raw, nil, nil, nil)
	want, wantErr := decodeItems(raw, map[string]bool{})
	if describe(gotErr) != describe(wantErr) {
		t.Fatalf("%s:\n one pass:     %s\n item by item: %s", raw, describe(gotErr), describe(wantErr))
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("%s:\n one pass:     %s\n item by item: %s", raw, g, w)
	}
}

// describe renders an error with every field a client sees.
func describe(err error) string {
	if err == nil {
		return "<nil>"
	}
	if e, ok := err.(*llm.Error); ok {
		return fmt.Sprintf("%v | %s | %s | %s", e.Kind, e.Param, e.Code, e.Message)
	}
	return "not an *llm.Error: " + err.Error()
}

// TestDecodeRequestTakesOnePass guards the speed of the common case: a
// well-formed request with message items and content parts is decoded
// by the one-pass path, not by the item-by-item fallback.
func TestDecodeRequestTakesOnePass(t *testing.T) {
	var cr createRequest
	if err := decodeStrict([]byte(benchRequest()), "", &cr); err != nil {
		t.Fatal(err)
	}
	if _, err, ok := decodeItemsFast(cr.Input, map[string]bool{}); !ok || err != nil {
		t.Fatalf("the benchmark request's input was not read in one pass: ok=%v err=%v", ok, err)
	}
}
