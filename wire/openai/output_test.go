package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// A spoken answer's audio and a search model's annotations survive the
// decoders and encoders: a complete answer, its stream's chunks (the
// accumulated audio joined as the SDKs join it) and a later turn's
// reference to the audio.
func TestOutputRoundTrip(t *testing.T) {
	body := `{"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,` +
		`"annotations":[{"type":"url_citation","url_citation":{"end_index":2,"start_index":0,"title":"t","url":"https://x"}}],` +
		`"audio":{"id":"audio_1","expires_at":99,"data":"UklGRg==","transcript":"hi"}},"logprobs":null,"finish_reason":"stop"}]}`
	r, err := DecodeChatResponse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(AppendChatResponse(nil, r)); got != body {
		t.Errorf("re-encoded\n %s\nwant\n %s", got, body)
	}

	var acc llm.Accumulator
	for _, data := range []string{
		`{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","audio":{"id":"audio_2","transcript":"Hel"}}}]}`,
		`{"id":"c","choices":[{"index":0,"delta":{"audio":{"transcript":"lo"}}}]}`,
		"{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"audio\":{\n\"data\": \"UklG\"}}}]}",
		`{"id":"c","choices":[{"index":0,"delta":{"audio":{"data":"Rg=="}}}]}`,
		`{"id":"c","choices":[{"index":0,"delta":{"audio":{"expires_at":1234},"annotations":[{"type":"url_citation"}]}}]}`,
	} {
		c, err := DecodeChunk([]byte(data))
		if err != nil {
			t.Fatal(err)
		}
		if out := AppendChunk(nil, c); strings.ContainsAny(string(out), "\n") || !json.Valid(out) {
			t.Errorf("chunk written as %q", out)
		}
		acc.Add(c)
	}
	m := acc.Response().Choices[0].Message
	if got := string(m.Audio()); got != `{"id":"audio_2","expires_at":1234,"data":"UklGRg==","transcript":"Hello"}` {
		t.Errorf("accumulated audio %s", got)
	}
	if got := string(m.Annotations()); got != `[{"type":"url_citation"}]` {
		t.Errorf("accumulated annotations %s", got)
	}

	req, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":"a"},{"role":"assistant","audio":{"id":"audio_2"}},{"role":"user","content":"b"}]}`))
	if err != nil {
		t.Fatalf("an assistant turn holding only audio: %v", err)
	}
	out, err := EncodeChatRequest(req)
	if err != nil || !strings.Contains(string(out), `{"role":"assistant","content":null,"audio":{"id":"audio_2"}}`) {
		t.Errorf("sent upstream as %s, %v", out, err)
	}
}
