package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// openRouterResponse is an OpenRouter answer of a reasoning model that
// calls a tool, in the shape of its reasoning tokens guide: reasoning
// text and reasoning_details beside the call.
const openRouterResponse = `{"id":"gen-1","object":"chat.completion","created":1,"model":"google/gemini-3-pro-preview","choices":[{"index":0,"finish_reason":"tool_calls",` +
	`"message":{"role":"assistant","content":"","reasoning":"I should call get_weather.","reasoning_details":[{"type":"reasoning.text","text":"I should call get_weather.","format":"google-gemini-v1","index":0},` +
	`{"type":"reasoning.encrypted","data":"CiQB","id":"tool_1","format":"google-gemini-v1","index":1}],` +
	`"tool_calls":[{"id":"tool_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]}}]}`

const sampleDetails = `[{"type":"reasoning.text","text":"I should call get_weather.","format":"google-gemini-v1","index":0},{"type":"reasoning.encrypted","data":"CiQB","id":"tool_1","format":"google-gemini-v1","index":1}]`

func TestDecodeReasoningDetails(t *testing.T) {
	r, err := DecodeChatResponse([]byte(openRouterResponse))
	if err != nil {
		t.Fatal(err)
	}
	m := &r.Choices[0].Message
	th := m.Thinking()
	if len(th) != 2 || th[0].Text != "I should call get_weather." {
		t.Fatalf("thinking %+v", th)
	}
	if d, ok := th[1].OpenRouterDetails(); !ok || d != sampleDetails || !th[1].ForOtherHost() || ReasoningText(m) != "I should call get_weather." {
		t.Errorf("details block %+v", th[1])
	}
	if got := string(AppendChatResponse(nil, r)); !strings.Contains(got, `"reasoning_details":`+sampleDetails) {
		t.Errorf("a client is not given the details: %s", got)
	}
	// A client's assistant message carries them back; an upstream is sent
	// them only when asked.
	req, err := DecodeChatRequest([]byte(`{"model":"google/gemini-3-pro-preview","messages":[{"role":"user","content":"q"},` +
		`{"role":"assistant","content":null,"reasoning_details":` + sampleDetails + `,"tool_calls":[{"id":"tool_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},` +
		`{"role":"tool","tool_call_id":"tool_1","content":"4C"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, on := range []bool{false, true} {
		body, err := EncodeChatRequestWith(req, ChatOptions{ReasoningDetails: on})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(body), `"reasoning_details":`+sampleDetails); got != on {
			t.Errorf("ReasoningDetails %v: %s", on, body)
		}
	}
}

// A stream's pieces merge by index and type: text joined, the signature
// and id set where a piece has them.
func TestMergeReasoningDetails(t *testing.T) {
	var merged []map[string]json.RawMessage
	for _, chunk := range []string{
		`{"choices":[{"index":0,"delta":{"reasoning":"I sh","reasoning_details":[{"type":"reasoning.text","text":"I sh","format":"anthropic-claude-v1","index":0}]}}]}`,
		`{"choices":[{"index":0,"delta":{"reasoning":"ould.","reasoning_details":[{"type":"reasoning.text","text":"ould.","index":0}]}}]}`,
		`{"choices":[{"index":0,"delta":{"reasoning_details":[{"type":"reasoning.text","signature":"sig","index":0},{"type":"reasoning.encrypted","data":"e1","index":1}]}}]}`,
		`{"choices":[{"index":0,"delta":{"content":"x"}}]}`,
		`{"choices":[{"index":0,"delta":{"reasoning_details":[5,{"type":"reasoning.encrypted","data":"e2","index":1}]}}]}`,
	} {
		merged = MergeReasoningDetails(merged, choiceDetails(ReasoningDetailsOf([]byte(chunk)), 0))
	}
	b, ok := DetailsBlock(merged)
	if !ok {
		t.Fatal("no block")
	}
	d, _ := b.OpenRouterDetails()
	var got []struct {
		Type, Text, Signature, Data, Format string
		Index                               int
	}
	if err := json.Unmarshal([]byte(d), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Text != "I should." || got[0].Signature != "sig" || got[0].Format != "anthropic-claude-v1" || got[1].Data != "e1e2" || got[1].Index != 1 {
		t.Errorf("merged %s", d)
	}
	if _, ok := DetailsBlock(nil); ok {
		t.Error("a block of nothing")
	}
	// A delta carrying the block reaches a Chat Completions client as its
	// reasoning_details.
	c := &llm.Chunk{ID: "c", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Thinking: &llm.ThinkingDelta{Index: 1, Redacted: b.Redacted}}}}}
	if s := string(AppendChunk(nil, c)); !strings.Contains(s, `"delta":{"reasoning_details":`+d+`}`) {
		t.Errorf("chunk %s", s)
	}
}

// FuzzMergeReasoningDetails checks that no chunk makes the merge fail or
// yield a block that is not a JSON array.
func FuzzMergeReasoningDetails(f *testing.F) {
	f.Add([]byte(`{"choices":[{"index":0,"delta":{"reasoning_details":[{"type":"reasoning.text","text":"a","index":0},{"type":"reasoning.text","text":"b","index":0}]}}]}`))
	f.Add([]byte(`{"choices":[{"index":0,"delta":{"reasoning_details":[{"type":"reasoning.encrypted","data":null,"index":null},{}]}}]}`))
	f.Add([]byte(`{"choices":[{"index":1,"delta":{"reasoning_details":[1,"x",null]}}]}`))
	f.Add([]byte(openRouterResponse))
	f.Fuzz(func(t *testing.T, data []byte) {
		var merged []map[string]json.RawMessage
		for _, cd := range append(ReasoningDetailsOf(data), ReasoningDetailsOf(data)...) {
			merged = MergeReasoningDetails(merged, cd.Pieces)
		}
		if b, ok := DetailsBlock(merged); ok {
			d, _ := b.OpenRouterDetails()
			var arr []json.RawMessage
			if err := json.Unmarshal([]byte(d), &arr); err != nil {
				t.Fatalf("block %s: %v", d, err)
			}
		}
	})
}

// choiceDetails returns the pieces of choice i among ds.
func choiceDetails(ds []ChoiceDetails, i int) []json.RawMessage {
	for _, d := range ds {
		if d.Choice == i {
			return d.Pieces
		}
	}
	return nil
}

// Each choice of an answer of n > 1 has its own pieces.
func TestReasoningDetailsOfEachChoice(t *testing.T) {
	ds := ReasoningDetailsOf([]byte(`{"choices":[{"index":0,"delta":{"reasoning_details":[{"type":"reasoning.text","text":"a","index":0}]}},{"index":1,"delta":{"content":"x"}},{"index":2,"delta":{"reasoning_details":[{"type":"reasoning.encrypted","data":"e","index":0}]}}]}`))
	if len(ds) != 2 || ds[0].Choice != 0 || ds[1].Choice != 2 || !strings.Contains(string(ds[1].Pieces[0]), `"data":"e"`) {
		t.Errorf("details %+v", ds)
	}
}
