package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/sim"
)

// TestReasoningRefusals checks that reasoning profiles refuse, with
// OpenAI's status, wording, param and code, what the real models refuse,
// by model id, and take what they take.
func TestReasoningRefusals(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(
		sim.Profile{Model: "gpt-sim"}, sim.Profile{Model: "o3-mini", Reasoning: true},
		sim.Profile{Model: "o3", Reasoning: true}, sim.Profile{Model: "gpt-5.1", Reasoning: true},
		sim.Profile{Model: "o-sim", Reasoning: true},
	), nil))
	const msgs = `"messages":[{"role":"user","content":"hi"}]`
	const tools = `"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]`
	for _, tt := range []struct {
		model, params string
		param, code   string // "" param: 200
		msg           string
	}{
		{"o3-mini", `"temperature":0.2`, "temperature", "unsupported_value", "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported."},
		{"o3-mini", `"top_p":0.5`, "top_p", "unsupported_value", "Unsupported value: 'top_p' does not support 0.5 with this model. Only the default (1) value is supported."},
		{"o3-mini", `"presence_penalty":0.5`, "presence_penalty", "unsupported_parameter", "Unsupported parameter: 'presence_penalty' is not supported with this model."},
		{"o3-mini", `"frequency_penalty":-1`, "frequency_penalty", "unsupported_parameter", "Unsupported parameter: 'frequency_penalty' is not supported with this model."},
		{"o3-mini", `"logit_bias":{"50256":-100}`, "logit_bias", "unsupported_parameter", "Unsupported parameter: 'logit_bias' is not supported with this model."},
		{"o3-mini", `"logprobs":true`, "logprobs", "unsupported_parameter", "Unsupported parameter: 'logprobs' is not supported with this model."},
		{"o3-mini", `"max_tokens":100`, "max_tokens", "unsupported_parameter", "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."},
		{"o3", `"stop":["END"]`, "stop", "unsupported_parameter", "Unsupported parameter: 'stop' is not supported with this model."},
		{"o3", tools + `,"parallel_tool_calls":false`, "parallel_tool_calls", "unsupported_parameter", "Unsupported parameter: 'parallel_tool_calls' is not supported with this model."},
		{"o3-mini", tools + `,"parallel_tool_calls":true`, "parallel_tool_calls", "unsupported_parameter", "Unsupported parameter: 'parallel_tool_calls' is not supported with this model."},
		{"gpt-5.1", tools + `,"parallel_tool_calls":false`, "", "", ""},
		{"o-sim", `"stop":"END"`, "stop", "unsupported_parameter", "Unsupported parameter: 'stop' is not supported with this model."},
		{"gpt-5.1", `"reasoning_effort":"high","temperature":0`, "temperature", "unsupported_value", "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported."},
		{"o3-mini", `"stop":["END"],"temperature":1,"top_p":1,"presence_penalty":0,"seed":3,"max_completion_tokens":100`, "", "", ""},
		{"gpt-5.1", `"temperature":0.2,"logprobs":true,"stop":["END"]`, "", "", ""},
		{"gpt-5.1", `"reasoning_effort":"none","temperature":0.2,"top_p":0.5`, "", "", ""},
		{"gpt-sim", `"temperature":0.2,"presence_penalty":1,"logit_bias":{"1":2},"logprobs":true,"stop":"x","max_tokens":9`, "", "", ""},
	} {
		body := `{"model":"` + tt.model + `",` + msgs + `,` + tt.params + `}`
		status, _, out := do(t, hc, "POST", url+"/v1/chat/completions", body, bearer)
		if tt.param == "" {
			if status != 200 {
				t.Errorf("%s %s: %d %s", tt.model, tt.params, status, out)
			}
			continue
		}
		e := errorOf(t, out)
		if status != 400 || e["param"] != tt.param || e["code"] != tt.code || e["message"] != tt.msg || e["type"] != "invalid_request_error" {
			t.Errorf("%s %s: %d %v", tt.model, tt.params, status, e)
		}
	}
}

// TestStopSequences checks that an answer ends before the first stop
// sequence, which it leaves out, with finish_reason stop, complete and
// streamed, and with fewer completion tokens.
func TestStopSequences(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	ask := func(extra string) (string, string, int) {
		body := `{"model":"gpt-sim","messages":[{"role":"user","content":"Tell me about rivers."}]` + extra + `}`
		status, _, out := do(t, hc, "POST", url+"/v1/chat/completions", body, bearer)
		var r struct {
			Choices []struct {
				Message      struct{ Content string }
				FinishReason string `json:"finish_reason"`
			}
			Usage struct {
				CompletionTokens int `json:"completion_tokens"`
			}
		}
		if status != 200 || json.Unmarshal([]byte(out), &r) != nil || len(r.Choices) != 1 {
			t.Fatalf("%d %s", status, out)
		}
		return r.Choices[0].Message.Content, r.Choices[0].FinishReason, r.Usage.CompletionTokens
	}
	full, _, fullTokens := ask("")
	words := strings.Fields(full)
	if len(words) < 6 {
		t.Fatalf("answer too short: %q", full)
	}
	stop := words[4]
	want := full[:strings.Index(full, stop)]
	text, finish, tokens := ask(`,"stop":["zzz-never",` + mustJSON(stop) + `]`)
	if text != want || finish != "stop" || tokens >= fullTokens {
		t.Errorf("stop %q: %q (%s, %d tokens), want %q (fewer than %d)", stop, text, finish, tokens, want, fullTokens)
	}
	if text, _, _ := ask(`,"stop":"zzz-never"`); text != full {
		t.Errorf("a stop sequence that never occurs changed the answer: %q", text)
	}
	body := `{"model":"gpt-sim","stream":true,"messages":[{"role":"user","content":"Tell me about rivers."}],"stop":` + mustJSON(stop) + `}`
	_, _, out := do(t, hc, "POST", url+"/v1/chat/completions", body, bearer)
	var got strings.Builder
	finishes := 0
	for _, line := range strings.Split(out, "\n") {
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok || data == "[DONE]" {
			continue
		}
		var ch struct {
			Choices []struct {
				Delta        struct{ Content string }
				FinishReason *string `json:"finish_reason"`
			}
		}
		if err := json.Unmarshal([]byte(data), &ch); err != nil {
			t.Fatal(err)
		}
		for _, c := range ch.Choices {
			got.WriteString(c.Delta.Content)
			if c.FinishReason != nil {
				finishes++
				if *c.FinishReason != "stop" {
					t.Errorf("streamed finish_reason %s", *c.FinishReason)
				}
			}
		}
	}
	if got.String() != want || finishes != 1 {
		t.Errorf("streamed %q (%d finishes), want %q", got.String(), finishes, want)
	}
}

func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
