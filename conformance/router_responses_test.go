package conformance

import (
	"net/http"
	"testing"
)

const responsesTool = `"tools":[{"type":"function","name":"get_weather","description":"Weather in a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}]`

// responsesBodies are Responses API requests as the SDKs send them: plain
// text, a forced function call, reasoning with a summary.
func responsesBodies(model string) []string {
	return []string{
		`{"model":"` + model + `","input":"Say hello."}`,
		`{"model":"` + model + `","input":[{"role":"user","content":[{"type":"input_text","text":"What is the weather in Paris?"}]}],` + responsesTool + `,"tool_choice":"required"}`,
		`{"model":"` + model + `","input":"Prove that 17 is prime.","reasoning":{"effort":"high","summary":"auto"}}`,
	}
}

var responsesModels = []string{"gpt-4o-mini", "o3-mini", "gpt-5.3-codex", "claude-sonnet-4-5", "gemini-2.5-flash"}

func TestRouterResponses(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	oa := loadSpec(t, "openai")
	for _, model := range responsesModels {
		t.Run(model, func(t *testing.T) {
			t.Parallel()
			for _, body := range responsesBodies(model) {
				st, b := call(t, http.MethodPost, url+"/v1/responses", body, "Authorization", bearer)
				if st != http.StatusOK {
					t.Fatalf("status %d: %s", st, b)
				}
				oa.check(t, "Response", b)
			}
		})
	}
}

func TestRouterResponsesStream(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	oa := loadSpec(t, "openai")
	seen := map[string]bool{}
	for _, model := range responsesModels {
		for _, body := range responsesBodies(model) {
			body = body[:len(body)-1] + `,"stream":true}`
			b := callOK(t, model, http.MethodPost, url+"/v1/responses", body, "Authorization", bearer)
			for _, ev := range sse(t, b) {
				typ := oa.checkEvent(t, "ResponseStreamEvent", ev.data)
				if ev.name != typ {
					t.Errorf("%s: event name %q, data type %q", model, ev.name, typ)
				}
				seen[typ] = true
			}
		}
	}
	// The types these requests must have made the router emit: a test
	// that validated nothing would pass.
	for _, typ := range []string{"response.created", "response.in_progress", "response.output_item.added",
		"response.content_part.added", "response.output_text.delta", "response.output_text.done",
		"response.content_part.done", "response.output_item.done", "response.completed",
		"response.function_call_arguments.delta", "response.function_call_arguments.done"} {
		if !seen[typ] {
			t.Errorf("no %s event seen", typ)
		}
	}
	t.Logf("event types checked: %v", seen)
}
