package anthropic

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// fastTextStream is a Claude stream with text deltas in Anthropic's shape
// (and empty, escaped and non-ASCII ones), a tool call's, and a ping.
var fastTextStream = []string{
	`{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}`,
	`{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
	`{"type":"ping"}`,
	`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}`,
	`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""}}`,
	`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", wörld – 世界 "}}`,
	`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a \"quote\"\n"}}`,
	`{"type":"content_block_stop","index":0}`,
	`{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get","input":{}}}`,
	`{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":1}"}}`,
	`{"type":"content_block_stop","index":1}`,
	`{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":9}}`,
	`{"type":"message_stop"}`,
}

// TestFastTextAsGeneral: a stream translates to the same chunks whether
// its text deltas take the fast path or, spaced out, the general one.
func TestFastTextAsGeneral(t *testing.T) {
	translate := func(spaced bool) []*llm.Chunk {
		tr := &StreamTranslator{}
		var out []*llm.Chunk
		for _, ev := range fastTextStream {
			if spaced {
				ev = strings.Replace(ev, `{"type":`, `{ "type":`, 1)
			}
			c, err := tr.Translate("", []byte(ev))
			if err != nil {
				t.Fatalf("%s: %v", ev, err)
			}
			out = append(out, c...)
		}
		return out
	}
	fast, general := translate(false), translate(true)
	if !reflect.DeepEqual(fast, general) {
		a, _ := json.Marshal(fast)
		b, _ := json.Marshal(general)
		t.Errorf("fast path:\n%s\ngeneral path:\n%s", a, b)
	}
	if len(fast) < 4 {
		t.Errorf("%d chunks", len(fast))
	}
}

// TestFastTextErrors: a text delta before message_start, or for a block
// not started, is reported malformed as before.
func TestFastTextErrors(t *testing.T) {
	const delta = `{"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":"x"}}`
	tr := &StreamTranslator{}
	if _, err := tr.Translate("", []byte(delta)); err == nil || !strings.Contains(err.Error(), "before message_start") {
		t.Errorf("before message_start: %v", err)
	}
	tr = &StreamTranslator{}
	if _, err := tr.Translate("", []byte(fastTextStream[0])); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Translate("", []byte(delta)); err == nil || !strings.Contains(err.Error(), "not started") {
		t.Errorf("block not started: %v", err)
	}
}

// TestFastTextAllocs: a text delta, most of a Claude stream's events,
// costs its text, its chunk and the slice holding it (22 allocations
// through encoding/json).
func TestFastTextAllocs(t *testing.T) {
	tr := &StreamTranslator{}
	for _, ev := range fastTextStream[:2] {
		if _, err := tr.Translate("", []byte(ev)); err != nil {
			t.Fatal(err)
		}
	}
	delta := []byte(fastTextStream[3])
	if n := testing.AllocsPerRun(100, func() { tr.Translate("", delta) }); n > 4 {
		t.Errorf("a text delta allocates %v times", n)
	}
}

// FuzzFastTextDelta holds fastTextDelta to the general decoder: what it
// accepts decodes, through StreamEvent and BlockDelta, to the same
// content_block_delta of type text_delta, index and text.
func FuzzFastTextDelta(f *testing.F) {
	for _, ev := range fastTextStream {
		f.Add([]byte(ev))
	}
	f.Add([]byte(`{"type":"content_block_delta","index":012,"delta":{"type":"text_delta","text":"x"}}`))
	f.Add([]byte(`{"type":"content_block_delta","index":1234567890,"delta":{"type":"text_delta","text":"x"}}`))
	f.Add([]byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\xff"}}`))
	f.Add([]byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}} `))
	f.Add([]byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		index, text, ok := fastTextDelta(data)
		if !ok {
			return
		}
		var ev StreamEvent
		if err := json.Unmarshal(data, &ev); err != nil {
			t.Fatalf("accepted %q, which the decoder refuses: %v", data, err)
		}
		var d BlockDelta
		if err := json.Unmarshal(ev.Delta, &d); err != nil {
			t.Fatalf("accepted %q, whose delta the decoder refuses: %v", data, err)
		}
		if ev.Type != EventContentBlockDelta || ev.Index != index || d.Type != DeltaText || d.Text != text {
			t.Fatalf("%q: fast %d %q, decoder %s %d %s %q", data, index, text, ev.Type, ev.Index, d.Type, d.Text)
		}
	})
}
