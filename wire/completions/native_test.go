package completions

import (
	"encoding/json"
	"reflect"
	"testing"

	"switchyard/llm"
)

// A legacy completion sent natively carries its prompt and the
// parameters it was asked with, streamed with the usage; echo is the
// router's to write.
func TestEncodeUpstream(t *testing.T) {
	cr, err := DecodeRequest([]byte(`{"model":"m","prompt":"Once","max_tokens":5,"temperature":0.5,"n":2,"stop":["."],"logprobs":3,"echo":false,"logit_bias":{"50256":-100},"seed":7,"user":"u"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, err := EncodeUpstream(cr.Chat)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"model":"m","prompt":"Once","max_tokens":5,"temperature":0.5,"n":2,"stop":["."],"seed":7,"logit_bias":{"50256":-100},"logprobs":3,"user":"u","stream":true,"stream_options":{"include_usage":true}}`
	if string(body) != want {
		t.Errorf("body\n %s\nwant\n %s", body, want)
	}
	if _, err := EncodeUpstream(&llm.Request{Model: "m"}); err == nil {
		t.Error("a request with no prompt encoded")
	}
}

func TestDecodeUpstreamChunk(t *testing.T) {
	c, err := DecodeUpstreamChunk([]byte(`{"id":"cmpl-1","object":"text_completion","created":5,"model":"gpt-3.5-turbo-instruct","choices":[` +
		`{"text":" a","index":1,"logprobs":{"tokens":[" a"],"token_logprobs":[-0.5],"top_logprobs":[{" the":-1.5," a":-0.5}],"text_offset":[4]},"finish_reason":"length"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := &llm.Chunk{ID: "cmpl-1", Model: "gpt-3.5-turbo-instruct", Created: 5, Choices: []llm.ChunkChoice{{Index: 1,
		Delta: llm.Delta{Content: " a"}, FinishReason: llm.FinishLength, Logprobs: &llm.Logprobs{Content: []llm.TokenLogprob{{Token: " a", Logprob: -0.5,
			TopLogprobs: []llm.TopLogprob{{Token: " a", Logprob: -0.5}, {Token: " the", Logprob: -1.5}}}}}}}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("chunk %+v\nwant %+v", c, want)
	}
	u, err := DecodeUpstreamChunk([]byte(`{"id":"cmpl-1","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}`))
	if err != nil || u.Usage == nil || u.Usage.TotalTokens != 7 || len(u.Choices) != 0 {
		t.Errorf("usage chunk %+v, %v", u, err)
	}
	for _, bad := range []string{`{"error":{"message":"x"}}`, `{"choices":[{"logprobs":{"top_logprobs":[[1]]}}]}`, `not json`} {
		if _, err := DecodeUpstreamChunk([]byte(bad)); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
}

func FuzzDecodeUpstreamChunk(f *testing.F) {
	f.Add([]byte(`{"id":"c","choices":[{"text":"x","index":0,"logprobs":{"tokens":["x"],"token_logprobs":[null],"top_logprobs":[null,{"a":-1}]},"finish_reason":null}],"usage":null}`))
	f.Add([]byte(`{"choices":[],"usage":{"prompt_tokens":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeUpstreamChunk(data)
		if err != nil {
			return
		}
		if _, err := json.Marshal(c.Choices); err != nil {
			t.Fatal(err)
		}
		for _, ch := range c.Choices {
			if l := ch.Logprobs; l != nil && len(l.Content) > 0 {
				for _, tok := range l.Content {
					for i := 1; i < len(tok.TopLogprobs); i++ {
						if tok.TopLogprobs[i].Logprob > tok.TopLogprobs[i-1].Logprob {
							t.Fatalf("alternatives out of order: %+v", tok.TopLogprobs)
						}
					}
				}
			}
		}
	})
}
