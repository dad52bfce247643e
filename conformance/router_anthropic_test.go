package conformance

import (
	"net/http"
	"testing"
)

// anthropicHeaders are the headers anthropic-sdk-go sends.
var anthropicHeaders = []string{"x-api-key", "demo-key", "anthropic-version", "2023-06-01"}

const anthropicTool = `"tools":[{"name":"get_weather","description":"Weather in a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]`

func messagesBodies(model string) []string {
	return []string{
		`{"model":"` + model + `","max_tokens":1024,"messages":[{"role":"user","content":"Say hello."}]}`,
		`{"model":"` + model + `","max_tokens":1024,"messages":[{"role":"user","content":[{"type":"text","text":"What is the weather in Paris?"}]}],` + anthropicTool + `,"tool_choice":{"type":"any"}}`,
		`{"model":"` + model + `","max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":2048},"messages":[{"role":"user","content":"Prove that 17 is prime."}]}`,
	}
}

var messagesModels = []string{"claude-sonnet-4-5", "claude-haiku-4-5", "gpt-4o-mini", "o3-mini", "gemini-2.5-flash"}

func TestRouterMessages(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	an := loadSpec(t, "anthropic")
	for _, model := range messagesModels {
		t.Run(model, func(t *testing.T) {
			t.Parallel()
			for _, body := range messagesBodies(model) {
				st, b := call(t, http.MethodPost, url+"/v1/messages", body, anthropicHeaders...)
				if st != http.StatusOK {
					t.Fatalf("status %d: %s", st, b)
				}
				an.check(t, "Message", b)
			}
		})
	}
}

func TestRouterMessagesStream(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	an := loadSpec(t, "anthropic")
	seen := map[string]bool{}
	for _, model := range messagesModels {
		for _, body := range messagesBodies(model) {
			body = body[:len(body)-1] + `,"stream":true}`
			b := callOK(t, model, http.MethodPost, url+"/v1/messages", body, anthropicHeaders...)
			for _, ev := range sse(t, b) {
				typ := an.checkEvent(t, "MessageStreamEvent", ev.data)
				if ev.name != typ {
					t.Errorf("%s: event name %q, data type %q", model, ev.name, typ)
				}
				seen[typ] = true
			}
		}
	}
	for _, typ := range []string{"message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"} {
		if !seen[typ] {
			t.Errorf("no %s event seen", typ)
		}
	}
}

func TestRouterMessagesCountAndBatches(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	an := loadSpec(t, "anthropic")
	b := callOK(t, "count_tokens", http.MethodPost, url+"/v1/messages/count_tokens", `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Say hello."}]}`, anthropicHeaders...)
	an.check(t, "CountMessageTokensResponse", b)
	b = callOK(t, "create batch", http.MethodPost, url+"/v1/messages/batches", `{"requests":[{"custom_id":"r1","params":{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}}]}`, anthropicHeaders...)
	id, _ := an.check(t, "MessageBatch", b)["id"].(string)
	b = callOK(t, "get batch", http.MethodGet, url+"/v1/messages/batches/"+id, "", anthropicHeaders...)
	an.check(t, "MessageBatch", b)
	b = callOK(t, "list batches", http.MethodGet, url+"/v1/messages/batches", "", anthropicHeaders...)
	an.check(t, "ListResponse_MessageBatch_", b)
	b = callOK(t, "cancel batch", http.MethodPost, url+"/v1/messages/batches/"+id+"/cancel", "", anthropicHeaders...)
	an.check(t, "MessageBatch", b)
}

func TestRouterMessagesErrors(t *testing.T) {
	t.Parallel()
	url, _ := router(t)
	an := loadSpec(t, "anthropic")
	for _, body := range []string{
		`{"model":"no-such-model","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`,
		`{"model":"claude-haiku-4-5","max_tokens":10,"messages":`,
		`{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"hi"}]}`,
	} {
		st, b := call(t, http.MethodPost, url+"/v1/messages", body, anthropicHeaders...)
		if st < 400 {
			t.Errorf("%s: status %d, want an error", body, st)
			continue
		}
		an.check(t, "ErrorResponse", b)
	}
	st, b := call(t, http.MethodGet, url+"/v1/messages/batches/msgbatch_nope", "", anthropicHeaders...)
	if st < 400 {
		t.Fatalf("status %d, want an error", st)
	}
	an.check(t, "ErrorResponse", b)
}

// TestRouterAnthropicModels checks the models list and model an Anthropic
// SDK reads (/v1/models with its headers), its 404, and the Anthropic
// simulator's own.
func TestRouterAnthropicModels(t *testing.T) {
	t.Parallel()
	url, simAddr := router(t)
	an := loadSpec(t, "anthropic")
	for _, base := range []string{url, "http://" + simAddr + "/anthropic"} {
		b := callOK(t, base, http.MethodGet, base+"/v1/models", "", anthropicHeaders...)
		an.check(t, "ListResponse_ModelInfo_", b)
		b = callOK(t, base, http.MethodGet, base+"/v1/models/claude-haiku-4-5", "", anthropicHeaders...)
		an.check(t, "ModelInfo", b)
		st, b := call(t, http.MethodGet, base+"/v1/models/no-such-model", "", anthropicHeaders...)
		if st != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404: %s", base, st, b)
		}
		an.check(t, "ErrorResponse", b)
	}
}
