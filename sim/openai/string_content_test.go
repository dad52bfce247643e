package openai

import (
	"strings"
	"testing"

	"switchyard/sim"
)

// DeepSeek's path refuses an array as any message's content with
// DeepSeek's 400, naming the message and where its object ends; Groq's
// refuses one on a system message alone. Both take the text as a
// string, and OpenAI's path takes either.
func TestArrayContentRefused(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "deepseek-chat"}, sim.Profile{Model: "llama-3.3-70b-versatile"}), nil))
	const parts = `[{"type":"text","text":"Be terse."}]`
	ask := func(model, system, user string) string {
		return `{"model":"` + model + `","messages":[{"role":"system","content":` + system + `},{"role":"user","content":` + user + `}]}`
	}
	for _, tc := range []struct {
		path, body string
		status     int
		want       string
	}{
		{"/chat/completions", ask("deepseek-chat", `"Be terse."`, parts), 400,
			`{"error":{"message":"Failed to deserialize the JSON body into the target type: messages[1]: invalid type: sequence, expected a string at line 1 column 139","type":"invalid_request_error","param":null,"code":"invalid_request_error"}}`},
		{"/chat/completions", ask("deepseek-chat", parts, `"Hi"`), 400, "messages[0]: invalid type: sequence, expected a string at line 1 column 101"},
		{"/chat/completions", ask("deepseek-chat", `"Be terse."`, `"Hi"`), 200, `"object":"chat.completion"`},
		{"/openai/v1/chat/completions", ask("llama-3.3-70b-versatile", parts, `"Hi"`), 400,
			`{"error":{"message":"'messages.0' : for 'role:system' the following must be satisfied[('messages.0.content' : value must be a string)]","type":"invalid_request_error"}}` + "\n"},
		{"/openai/v1/chat/completions", ask("llama-3.3-70b-versatile", `"Be terse."`, parts), 200, `"object":"chat.completion"`},
		{"/v1/chat/completions", ask("deepseek-chat", parts, parts), 200, `"object":"chat.completion"`},
	} {
		status, _, body := do(t, hc, "POST", url+tc.path, tc.body, bearer)
		if status != tc.status || !strings.Contains(body, tc.want) || tc.status == 400 && strings.HasPrefix(tc.want, "{") && body != tc.want {
			t.Errorf("%s %s: %d %s", tc.path, tc.body, status, body)
		}
	}
}

// FuzzArrayContent: whatever the body, arrayContent does not panic, and a
// message it names ends inside the body, at its object's closing brace.
func FuzzArrayContent(f *testing.F) {
	f.Add([]byte(`{"model":"m","messages":[{"role":"system","content":[{"type":"text","text":"x"}]}]}`), true)
	f.Add([]byte(`{"messages":[{"role":"user","content":"x"},{"role":"tool","content":[]}],"model":"m"}`), false)
	f.Add([]byte("{\n\"messages\": [\n {\"content\": [1]}\n]}"), false)
	f.Add([]byte(`{"messages":{}}`), false)
	f.Add([]byte(`[`), true)
	f.Fuzz(func(t *testing.T, body []byte, systemOnly bool) {
		i, _, end := arrayContent(body, systemOnly)
		if i >= 0 && (end <= 0 || end > len(body) || body[end-1] != '}') {
			t.Fatalf("message %d ends at %d of %q", i, end, body)
		}
	})
}
