package gemini

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// TestFromLLMLogprobs checks that logprobs and top_logprobs ask for
// responseLogprobs and logprobs, and that no generationConfig field is
// written when they are not asked for.
func TestFromLLMLogprobs(t *testing.T) {
	req := &llm.Request{Model: "gemini-2.0-flash", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}, Logprobs: true, TopLogprobs: 3}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out.GenerationConfig)
	if string(b) != `{"responseLogprobs":true,"logprobs":3}` {
		t.Errorf("generationConfig %s", b)
	}
	req.TopLogprobs = 0
	out, _ = FromLLM(req)
	if b, _ := json.Marshal(out.GenerationConfig); string(b) != `{"responseLogprobs":true}` {
		t.Errorf("without top: generationConfig %s", b)
	}
	req.Logprobs = false
	if out, _ = FromLLM(req); out.GenerationConfig != nil {
		t.Errorf("without logprobs: generationConfig %+v", out.GenerationConfig)
	}
}

// TestToLLMLogprobs maps a response's logprobsResult: the chosen token
// with its bytes and the step's top candidates as alternatives.
func TestToLLMLogprobs(t *testing.T) {
	r, err := ToLLM(decodeFixture(t, "response_logprobs.json"), "m")
	if err != nil {
		t.Fatal(err)
	}
	want := &llm.Logprobs{Content: []llm.TokenLogprob{{Token: "Positive", Logprob: -0.0061733, Bytes: []byte("Positive"),
		TopLogprobs: []llm.TopLogprob{
			{Token: "Positive", Logprob: -0.0061733, Bytes: []byte("Positive")},
			{Token: "Neutral", Logprob: -5.1196733, Bytes: []byte("Neutral")},
		}}}}
	if got := r.Choices[0].Logprobs; !reflect.DeepEqual(got, want) {
		t.Errorf("logprobs %+v, want %+v", got, want)
	}
	r, _ = ToLLM(decodeFixture(t, "response_text.json"), "m")
	if r.Choices[0].Logprobs != nil {
		t.Errorf("a response without logprobsResult has logprobs %+v", r.Choices[0].Logprobs)
	}
}

// TestStreamLogprobs checks that each fragment's logprobsResult goes with
// its chunk, so the tokens of the whole stream spell its text.
func TestStreamLogprobs(t *testing.T) {
	chunks, err := readAll(NewStreamReader(bytes.NewReader(fixture(t, "stream_logprobs.sse")), "m"))
	if err != io.EOF {
		t.Fatalf("end %v", err)
	}
	var text, tokens strings.Builder
	for _, c := range chunks {
		for _, ch := range c.Choices {
			text.WriteString(ch.Delta.Content)
			if ch.Logprobs == nil {
				t.Fatalf("chunk %+v without logprobs", ch)
			}
			for _, tok := range ch.Logprobs.Content {
				tokens.WriteString(tok.Token)
			}
		}
	}
	if text.String() != "The capital is Paris." || tokens.String() != text.String() {
		t.Errorf("text %q, tokens %q", text.String(), tokens.String())
	}
	top := chunks[1].Choices[0].Logprobs.Content[0].TopLogprobs
	if len(top) != 2 || top[1].Token != " answer" || top[1].Logprob != -1.75 {
		t.Errorf("alternatives %+v", top)
	}
}
