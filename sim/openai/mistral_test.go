package openai

import (
	"strings"
	"testing"

	"switchyard/sim"
)

// The simulated Mistral API refuses stream_options.include_usage and
// metadata with Mistral's 422, each member in the body's order, and
// streams the usage on its finish chunk, unasked.
func TestMistralRefusesExtras(t *testing.T) {
	url, hc := start(t, NewMistral(sim.NewCatalog(sim.Profile{Model: "mistral-large-latest"}), nil))
	chat := url + "/v1/chat/completions"
	const ask = `{"model":"mistral-large-latest","messages":[{"role":"user","content":"hello"}]`
	status, _, body := do(t, hc, "POST", chat, ask+`,"stream":true,"stream_options":{"include_usage":true}}`, bearer)
	if want := `{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","stream_options","include_usage"],"msg":"Extra inputs are not permitted","input":true}]},"type":"invalid_request_error","param":null,"code":null}`; status != 422 || body != want {
		t.Errorf("stream_options: %d %s", status, body)
	}
	status, _, body = do(t, hc, "POST", chat, ask+`,"stream":true,"stream_options":{"include_usage":false},"metadata":{"session":"s1"}}`, bearer)
	if status != 422 || !strings.Contains(body, `"detail":[{"type":"extra_forbidden","loc":["body","stream_options","include_usage"],"msg":"Extra inputs are not permitted","input":false},{"type":"extra_forbidden","loc":["body","metadata"],"msg":"Extra inputs are not permitted","input":{"session":"s1"}}]`) {
		t.Errorf("both: %d %s", status, body)
	}
	status, _, body = do(t, hc, "POST", chat, ask+`,"stream":true}`, bearer)
	events := strings.Split(strings.TrimSpace(body), "\n\n")
	if status != 200 || len(events) < 3 || events[len(events)-1] != "data: [DONE]" {
		t.Fatalf("stream: %d %s", status, body)
	}
	last := events[len(events)-2]
	if !strings.Contains(last, `"finish_reason":"stop"`) || !strings.Contains(last, `"usage":{"prompt_tokens":`) || strings.Count(body, `"usage"`) != 1 {
		t.Errorf("stream's last chunk %s", last)
	}
}

// FuzzMistralExtras: whatever the body, mistralExtras does not panic and
// names only members of the body.
func FuzzMistralExtras(f *testing.F) {
	f.Add([]byte(`{"model":"m","stream":true,"stream_options":{"include_usage":true},"metadata":{"a":"b"}}`))
	f.Add([]byte(`{"stream_options":null,"metadata":null}`))
	f.Add([]byte(`{"stream_options":{"include_usage":false}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, d := range mistralExtras(body) {
			if len(d.Loc) < 2 || d.Loc[0] != "body" || !strings.Contains(string(body), d.Loc[1]) {
				t.Fatalf("detail %+v of %q", d, body)
			}
		}
	})
}
