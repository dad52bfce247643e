package completions

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestDecodeRequest(t *testing.T) {
	r, err := DecodeRequest([]byte(`{"model":"auto","prompt":"Say this is a test","temperature":0.5,"top_p":0.9,
		"n":2,"stop":"\n","presence_penalty":1,"frequency_penalty":-1,"seed":7,"user":"u1","logprobs":2,
		"logit_bias":{"50256":-100},"stream":true,"stream_options":{"include_usage":true},"best_of":1,"suffix":""}`))
	if err != nil {
		t.Fatal(err)
	}
	c := r.Chat
	if c.Model != "auto" || len(c.Messages) != 1 || c.Messages[0].Role != llm.RoleUser || c.Messages[0].Text() != "Say this is a test" {
		t.Errorf("chat = %+v", c)
	}
	if *c.Temperature != 0.5 || *c.TopP != 0.9 || *c.N != 2 || c.Stop[0] != "\n" || *c.PresencePenalty != 1 || *c.FrequencyPenalty != -1 ||
		*c.Seed != 7 || c.User != "u1" || !c.Logprobs || c.TopLogprobs != 2 || r.Logprobs != 2 || !c.Stream || !c.IncludeUsage {
		t.Errorf("chat = %+v", c)
	}
	if *c.MaxTokens != DefaultMaxTokens {
		t.Errorf("max_tokens = %d, want the API's default 16", *c.MaxTokens)
	}
	if string(c.Extra["logit_bias"]) != `{"50256":-100}` {
		t.Errorf("logit_bias = %s", c.Extra["logit_bias"])
	}
	r, err = DecodeRequest([]byte(`{"model":"m","prompt":["one"],"max_tokens":0,"echo":true,"n":1}`))
	if err != nil || r.Prompt != "one" || !r.Echo || r.Chat.MaxTokens != nil || r.Chat.N != nil || r.Logprobs != -1 || r.Chat.Logprobs {
		t.Errorf("array of one prompt, max_tokens 0: %+v, %v", r, err)
	}
}

func TestDecodeRequestErrors(t *testing.T) {
	tests := []struct{ body, param, code, says string }{
		{`[]`, "", "", "JSON body"},
		{`{"prompt":"x"}`, "model", "", "model parameter"},
		{`{"model":"m"}`, "prompt", "", "Missing required parameter"},
		{`{"model":"m","prompt":null}`, "prompt", "", "Missing required parameter"},
		{`{"model":"m","prompt":[1,2,3]}`, "prompt", "unsupported_parameter", "token ids"},
		{`{"model":"m","prompt":[[1,2]]}`, "prompt", "unsupported_parameter", "token ids"},
		{`{"model":"m","prompt":["a","b"]}`, "prompt", "unsupported_parameter", "Several prompts"},
		{`{"model":"m","prompt":[]}`, "prompt", "", "empty array"},
		{`{"model":"m","prompt":5}`, "prompt", "", "string or an array"},
		{`{"model":"m","prompt":"x","suffix":"end"}`, "suffix", "unsupported_parameter", "fill in the middle"},
		{`{"model":"m","prompt":"x","best_of":3}`, "best_of", "unsupported_parameter", "best_of"},
		{`{"model":"m","prompt":"x","echo":true,"logprobs":1}`, "echo", "unsupported_parameter", "echo"},
		{`{"model":"m","prompt":"x","temperature":3}`, "temperature", "", "between 0 and 2"},
		{`{"model":"m","prompt":"x","top_p":-1}`, "top_p", "", "between 0 and 1"},
		{`{"model":"m","prompt":"x","presence_penalty":2.5}`, "presence_penalty", "", "between -2 and 2"},
		{`{"model":"m","prompt":"x","logprobs":6}`, "logprobs", "", "between 0 and 5"},
		{`{"model":"m","prompt":"x","max_tokens":-1}`, "max_tokens", "", "below minimum"},
		{`{"model":"m","prompt":"x","n":0}`, "n", "", "between 1 and 128"},
		{`{"model":"m","prompt":"x","stop":["a","b","c","d","e"]}`, "stop", "", "maximum length 4"},
		{`{"model":"m","prompt":"x","stop":5}`, "stop", "", "string or an array"},
		{`{"model":"m","prompt":"x","stream_options":{"include_usage":true}}`, "stream_options", "", "only allowed when 'stream'"},
		{`{"model":"m","prompt":"x","tools":[]}`, "tools", "unknown_parameter", "Unknown parameter"},
		{`{"model":"m","prompt":"x","temperature":"hot"}`, "temperature", "", "expected a number"},
		{`{"model":"m","prompt":"x","logit_bias":{"AI":1}}`, "logit_bias", "", "Invalid key in 'logit_bias': AI. You should only be submitting non-negative integers."},
		{`{"model":"m","prompt":"x","logit_bias":{"50256":500}}`, "logit_bias.50256", "", "Invalid 'logit_bias.50256': expected a value between -100 and 100, but got 500 instead."},
		{`{"model":"m","prompt":"x"} {}`, "", "", "JSON body"},
	}
	for _, tt := range tests {
		_, err := DecodeRequest([]byte(tt.body))
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Param != tt.param || e.Code != tt.code || !strings.Contains(e.Message, tt.says) {
			t.Errorf("%s: %#v, want param %q code %q saying %q", tt.body, err, tt.param, tt.code, tt.says)
		}
	}
}

func FuzzDecodeRequest(f *testing.F) {
	for _, s := range []string{
		`{"model":"auto","prompt":"Say this is a test","max_tokens":7,"temperature":0}`,
		`{"model":"m","prompt":["x"],"stop":["a","b"],"logprobs":3,"echo":false,"stream":true,"stream_options":{"include_usage":true}}`,
		`{"model":"m","prompt":[1,2],"suffix":"s"}`, `{"model":"m","prompt":"\u00e9","logit_bias":{"1":2}}`, `{}`, `null`, `{"model":`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeRequest(body)
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest {
				t.Fatalf("%q: error %#v is not an invalid_request llm.Error", body, err)
			}
			return
		}
		// A body that is not JSON is refused whole, never half-read.
		if !json.Valid(body) {
			t.Fatalf("%q is not JSON, yet decoded", body)
		}
		if r.Chat == nil || r.Chat.Model == "" || len(r.Chat.Messages) != 1 || r.Chat.Messages[0].Text() != r.Prompt {
			t.Fatalf("%q: decoded %+v", body, r)
		}
	})
}
