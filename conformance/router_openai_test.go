package conformance

import (
	"net/http"
	"strings"
	"testing"
)

// chatDeployments are one chat deployment per simulated wire format: the
// router's answer must conform whichever provider served it.
var chatDeployments = []string{"gpt-4o-mini", "azure-gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"}

const bearer = "Bearer demo-key"

func TestRouterChatCompletion(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	oa := loadSpec(t, "openai")
	for _, model := range append(chatDeployments, "o3-mini", "claude-sonnet-4-5") {
		t.Run(model, func(t *testing.T) {
			t.Parallel()
			for _, body := range []string{
				`{"model":"` + model + `","messages":[{"role":"user","content":"Say hello."}]}`,
				`{"model":"` + model + `","messages":[{"role":"user","content":"What is the weather in Paris?"}],` + weatherTool + `,"tool_choice":"required"}`,
				`{"model":"` + model + `","messages":[{"role":"user","content":"Prove that 17 is prime."}],"reasoning_effort":"high"}`,
			} {
				st, b := call(t, http.MethodPost, url+"/v1/chat/completions", body, "Authorization", bearer)
				if st != http.StatusOK {
					t.Fatalf("status %d: %s", st, b)
				}
				oa.check(t, "CreateChatCompletionResponse", b)
			}
		})
	}
}

const weatherTool = `"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather in a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]`

func TestRouterChatCompletionStream(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	oa := loadSpec(t, "openai")
	for _, model := range append(chatDeployments, "o3-mini", "claude-sonnet-4-5") {
		t.Run(model, func(t *testing.T) {
			t.Parallel()
			for _, body := range []string{
				`{"model":"` + model + `","messages":[{"role":"user","content":"Say hello."}],"stream":true,"stream_options":{"include_usage":true}}`,
				`{"model":"` + model + `","messages":[{"role":"user","content":"What is the weather in Paris?"}],` + weatherTool + `,"tool_choice":"required","stream":true,"stream_options":{"include_usage":true}}`,
				`{"model":"` + model + `","messages":[{"role":"user","content":"Prove that 17 is prime."}],"reasoning_effort":"high","stream":true}`,
			} {
				st, b := call(t, http.MethodPost, url+"/v1/chat/completions", body, "Authorization", bearer)
				if st != http.StatusOK {
					t.Fatalf("status %d: %s", st, b)
				}
				evs := sse(t, b)
				if last := evs[len(evs)-1]; string(last.data) != "[DONE]" {
					t.Errorf("stream ends with %q, want [DONE]", last.data)
				}
				var usage, tools bool
				for _, ev := range evs[:len(evs)-1] {
					m := oa.check(t, "CreateChatCompletionStreamResponse", ev.data)
					usage = usage || m["usage"] != nil
					for _, c := range asSlice(m["choices"]) {
						d, _ := c.(map[string]any)["delta"].(map[string]any)
						tools = tools || d["tool_calls"] != nil
					}
				}
				// What was asked must have been checked: the usage chunk,
				// the tool call's deltas.
				if strings.Contains(body, "include_usage") && !usage {
					t.Errorf("no usage chunk in %s", b)
				}
				if strings.Contains(body, `"required"`) && !tools {
					t.Errorf("no tool call deltas in %s", b)
				}
			}
		})
	}
}

// TestRouterChatLogprobsAndChoices checks logprobs (complete and
// streamed) and several choices.
func TestRouterChatLogprobsAndChoices(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	oa := loadSpec(t, "openai")
	for _, body := range []string{
		`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello."}],"logprobs":true,"top_logprobs":2}`,
		`{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"Say hello."}],"logprobs":true,"top_logprobs":2}`,
		`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello."}],"n":2}`,
	} {
		st, b := call(t, http.MethodPost, url+"/v1/chat/completions", body, "Authorization", bearer)
		if st != http.StatusOK {
			t.Fatalf("status %d: %s", st, b)
		}
		oa.check(t, "CreateChatCompletionResponse", b)
		st, b = call(t, http.MethodPost, url+"/v1/chat/completions", body[:len(body)-1]+`,"stream":true,"stream_options":{"include_usage":true}}`, "Authorization", bearer)
		if st != http.StatusOK {
			t.Fatalf("status %d: %s", st, b)
		}
		evs := sse(t, b)
		for _, ev := range evs[:len(evs)-1] {
			oa.check(t, "CreateChatCompletionStreamResponse", ev.data)
		}
	}
}
