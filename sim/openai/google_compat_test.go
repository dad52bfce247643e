package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/sim"
)

// A Gemini 3 model on Google's compatibility path signs its first tool
// call, complete and streamed; Gemini 2.5, and any model on OpenAI's
// path, does not.
func TestGoogleCompatSignsCalls(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "gemini-3-flash-preview", Reasoning: true}, sim.Profile{Model: "gemini-2.5-flash"}), nil))
	ask := `{"model":"%s","messages":[{"role":"user","content":"Use get_weather for Oslo"}],` + weatherTools + `%s}`
	status, _, body := do(t, hc, "POST", url+"/v1beta/openai/chat/completions", strings.Replace(strings.Replace(ask, "%s", "gemini-3-flash-preview", 1), "%s", "", 1), bearer)
	var resp struct {
		Choices []struct {
			Message struct {
				ToolCalls []struct {
					Function struct {
						Name, Arguments string
					} `json:"function"`
					ExtraContent struct {
						Google struct {
							ThoughtSignature string `json:"thought_signature"`
						} `json:"google"`
					} `json:"extra_content"`
				} `json:"tool_calls"`
			} `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil || status != 200 || len(resp.Choices[0].Message.ToolCalls) == 0 {
		t.Fatalf("%d %s", status, body)
	}
	tc := resp.Choices[0].Message.ToolCalls[0]
	if tc.ExtraContent.Google.ThoughtSignature != ThoughtSignature(tc.Function.Name, tc.Function.Arguments) {
		t.Errorf("complete: %s", body)
	}
	_, _, stream := do(t, hc, "POST", url+"/v1beta/openai/chat/completions", strings.Replace(strings.Replace(ask, "%s", "gemini-3-flash-preview", 1), "%s", `,"stream":true`, 1), bearer)
	if !strings.Contains(stream, `"extra_content":{"google":{"thought_signature":"`+ThoughtSignature(tc.Function.Name, tc.Function.Arguments)+`"}}`) {
		t.Errorf("stream: %s", stream)
	}
	for _, path := range []string{"/v1beta/openai/chat/completions", "/v1/chat/completions"} {
		model := "gemini-2.5-flash"
		if path == "/v1/chat/completions" {
			model = "gemini-3-flash-preview"
		}
		_, _, plain := do(t, hc, "POST", url+path, strings.Replace(strings.Replace(ask, "%s", model, 1), "%s", "", 1), bearer)
		if strings.Contains(plain, "extra_content") || !strings.Contains(plain, "tool_calls") {
			t.Errorf("%s %s: %s", path, model, plain)
		}
	}
}

// A Gemini 3 model on Google's path refuses a current-turn call sent back
// without its signature with Google's array-shaped 400; the model's own
// signature, or Google's sentinel, passes, as does an earlier turn's
// unsigned call. OpenAI's path refuses extra_content as OpenAI does.
func TestGoogleCompatRefusesUnsignedCalls(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "gemini-3-flash-preview", Reasoning: true}, sim.Profile{Model: "gpt-sim"}), nil))
	loop := func(model, first, extra string) string {
		return `{"model":"` + model + `",` + weatherTools + `,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},` +
			`{"role":"assistant","content":null,"tool_calls":[{"id":"c0","type":"function","function":{"name":"get_time","arguments":"{}"}}]},` +
			`{"role":"tool","tool_call_id":"c0","content":"noon"},{"role":"user","content":"Weather in Oslo?"},` + first +
			`{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{}"}` + extra + `}]},` +
			`{"role":"tool","tool_call_id":"c1","content":"4C"}]}`
	}
	compat := url + "/v1beta/openai/chat/completions"
	status, _, body := do(t, hc, "POST", compat, loop("gemini-3-flash-preview", "", ""), bearer)
	var refusal []struct {
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Status  string `json:"status"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &refusal); err != nil || status != 400 || len(refusal) != 1 || refusal[0].Error.Status != "INVALID_ARGUMENT" ||
		!strings.HasPrefix(refusal[0].Error.Message, "Function call is missing a thought_signature in functionCall parts.") ||
		!strings.Contains(refusal[0].Error.Message, "function call `default_api:get_weather` , position 4.") {
		t.Errorf("%d %s", status, body)
	}
	for _, sig := range []string{ThoughtSignature("get_weather", "{}"), llm.SkipThoughtSignature} {
		extra := `,"extra_content":{"google":{"thought_signature":"` + sig + `"}}`
		if status, _, body := do(t, hc, "POST", compat, loop("gemini-3-flash-preview", "", extra), bearer); status != 200 {
			t.Errorf("signature %s: %d %s", sig, status, body)
		}
	}
	status, _, body = do(t, hc, "POST", url+"/v1/chat/completions", loop("gpt-sim", "", `,"extra_content":{"google":{"thought_signature":"x"}}`), bearer)
	const want = `{"error":{"message":"Additional properties are not allowed ('extra_content' was unexpected) - 'messages.5.tool_calls.0'","type":"invalid_request_error","param":null,"code":null}}` + "\n"
	if status != 400 || body != want {
		t.Errorf("OpenAI's path: %d %s\nwant %s", status, body, want)
	}
}
