package completions

import (
	"reflect"
	"testing"

	"switchyard/llm"
)

// A legacy completion in a provider batch is not streamed and has no
// stream_options; the whole answer reads back as a response.
func TestUpstreamBatch(t *testing.T) {
	cr, err := DecodeRequest([]byte(`{"model":"m","prompt":"Once","max_tokens":5,"logprobs":1}`))
	if err != nil {
		t.Fatal(err)
	}
	body, err := EncodeUpstreamBatch(cr.Chat)
	if want := `{"model":"m","prompt":"Once","max_tokens":5,"logprobs":1,"stream":false}`; err != nil || string(body) != want {
		t.Errorf("body\n %s (%v)\nwant\n %s", body, err, want)
	}
	r, err := DecodeUpstreamResponse([]byte(`{"id":"cmpl-1","object":"text_completion","created":5,"model":"gpt-3.5-turbo-instruct","choices":[` +
		`{"text":" upon","index":0,"logprobs":{"tokens":[" upon"],"token_logprobs":[-0.1],"top_logprobs":[{" upon":-0.1}],"text_offset":[4]},"finish_reason":"length"}],` +
		`"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`))
	want := &llm.Response{ID: "cmpl-1", Model: "gpt-3.5-turbo-instruct", Created: 5, Choices: []llm.Choice{{Index: 0, FinishReason: llm.FinishLength,
		Message:  llm.Message{Role: llm.RoleAssistant, Content: []llm.Part{{Type: llm.PartText, Text: " upon"}}},
		Logprobs: &llm.Logprobs{Content: []llm.TokenLogprob{{Token: " upon", Logprob: -0.1, TopLogprobs: []llm.TopLogprob{{Token: " upon", Logprob: -0.1}}}}}}},
		Usage: &llm.Usage{PromptTokens: 1, CompletionTokens: 1, TotalTokens: 2}}
	if err != nil || !reflect.DeepEqual(r, want) {
		t.Errorf("response %+v, %v\nwant %+v", r, err, want)
	}
	for _, bad := range []string{`{"error":{"message":"x"}}`, `{"choices":[]}`, `[]`} {
		if _, err := DecodeUpstreamResponse([]byte(bad)); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
}

// FuzzDecodeUpstreamResponse: any bytes give a response with choices,
// or an error; never a panic.
func FuzzDecodeUpstreamResponse(f *testing.F) {
	f.Add([]byte(`{"id":"c","choices":[{"text":"x","index":0,"logprobs":{"tokens":["x"],"token_logprobs":[null],"top_logprobs":[null]},"finish_reason":"stop"}],"usage":{"prompt_tokens":1}}`))
	f.Add([]byte(`{"choices":[{"text":"x"}],"usage":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeUpstreamResponse(data)
		if err == nil && len(r.Choices) == 0 {
			t.Fatalf("decoded %+v without choices", r)
		}
	})
}
