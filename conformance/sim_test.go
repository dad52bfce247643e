package conformance

import (
	"net/http"
	"testing"

	"switchyard/demo"
	simserver "switchyard/sim/server"
)

// simulators starts the demo's simulated providers alone and returns
// their host:port.
func simulators(t *testing.T) string {
	t.Helper()
	addr, _, stop, err := startSims()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return addr
}

// startSims starts the demo's simulated providers, instant.
func startSims() (string, *simserver.Server, func(), error) { return demo.StartSim(0) }

// The simulators' answers on their own, so that they cannot drift from
// the formats they imitate.

func TestSimOpenAI(t *testing.T) {
	t.Parallel()
	base := "http://" + simulators(t) + "/openai"
	oa := loadSpec(t, "openai")
	t.Run("chat", func(t *testing.T) { t.Parallel(); simOpenAIChat(t, oa, base) })
	t.Run("responses", func(t *testing.T) { t.Parallel(); simOpenAIResponses(t, oa, base) })
	t.Run("others", func(t *testing.T) { t.Parallel(); simOpenAIOthers(t, oa, base) })
}

// simOpenAIChat checks the OpenAI simulator's chat completions and their
// stream chunks: text, a forced tool call, logprobs.
func simOpenAIChat(t *testing.T, oa *spec, base string) {
	for _, model := range []string{"gpt-4o-mini", "o3-mini"} {
		for i, body := range []string{
			`{"model":"` + model + `","messages":[{"role":"user","content":"Say hello."}]}`,
			`{"model":"` + model + `","messages":[{"role":"user","content":"What is the weather in Paris?"}],` + weatherTool + `,"tool_choice":"required"}`,
			`{"model":"` + model + `","messages":[{"role":"user","content":"Say hello."}],"logprobs":true,"top_logprobs":2}`,
		} {
			if model == "o3-mini" && i == 2 {
				continue // reasoning models refuse logprobs
			}
			st, b := call(t, http.MethodPost, base+"/v1/chat/completions", body, "Authorization", bearer)
			if st != http.StatusOK {
				t.Fatalf("status %d: %s", st, b)
			}
			oa.check(t, "CreateChatCompletionResponse", b)
			st, b = call(t, http.MethodPost, base+"/v1/chat/completions", body[:len(body)-1]+`,"stream":true,"stream_options":{"include_usage":true}}`, "Authorization", bearer)
			if st != http.StatusOK {
				t.Fatalf("status %d: %s", st, b)
			}
			evs := sse(t, b)
			if last := evs[len(evs)-1]; string(last.data) != "[DONE]" {
				t.Errorf("stream ends with %q, want [DONE]", last.data)
			}
			for _, ev := range evs[:len(evs)-1] {
				oa.check(t, "CreateChatCompletionStreamResponse", ev.data)
			}
		}
	}
}

// simOpenAIResponses checks the OpenAI simulator's Responses objects and
// every stream event.
func simOpenAIResponses(t *testing.T, oa *spec, base string) {
	seen := map[string]bool{}
	for _, model := range []string{"gpt-4o-mini", "o3-mini", "gpt-5.3-codex"} {
		for i, body := range responsesBodies(model) {
			if i == 2 && model == "gpt-4o-mini" {
				continue // OpenAI refuses reasoning on a model without it
			}
			b := callOK(t, model, http.MethodPost, base+"/v1/responses", body, "Authorization", bearer)
			oa.check(t, "Response", b)
			b = callOK(t, model, http.MethodPost, base+"/v1/responses", body[:len(body)-1]+`,"stream":true}`, "Authorization", bearer)
			for _, ev := range sse(t, b) {
				typ := oa.checkEvent(t, "ResponseStreamEvent", ev.data)
				if ev.name != typ {
					t.Errorf("%s: event name %q, data type %q", model, ev.name, typ)
				}
				seen[typ] = true
			}
		}
	}
	for _, typ := range []string{"response.created", "response.output_text.delta", "response.completed", "response.function_call_arguments.done"} {
		if !seen[typ] {
			t.Errorf("no %s event seen", typ)
		}
	}
}

// simOpenAIOthers checks the OpenAI simulator's embeddings, moderations,
// models and errors.
func simOpenAIOthers(t *testing.T, oa *spec, base string) {
	for _, body := range []string{
		`{"model":"text-embedding-3-small","input":"hello world"}`,
		`{"model":"text-embedding-3-small","input":["hello","world"],"encoding_format":"base64"}`,
	} {
		st, b := call(t, http.MethodPost, base+"/v1/embeddings", body, "Authorization", bearer)
		if st != http.StatusOK {
			t.Fatalf("status %d: %s", st, b)
		}
		oa.check(t, "CreateEmbeddingResponse", b)
	}
	st, b := call(t, http.MethodPost, base+"/v1/moderations", `{"model":"omni-moderation-latest","input":"hello"}`, "Authorization", bearer)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, b)
	}
	oa.check(t, "CreateModerationResponse", b)
	st, b = call(t, http.MethodGet, base+"/v1/models", "", "Authorization", bearer)
	if st != http.StatusOK {
		t.Fatalf("status %d: %s", st, b)
	}
	oa.check(t, "ListModelsResponse", b)
	for _, c := range []struct{ method, path, body string }{
		{http.MethodPost, "/v1/chat/completions", `{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}`},
		{http.MethodPost, "/v1/chat/completions", `{"model":"gpt-4o-mini","messages":`},
		{http.MethodPost, "/v1/responses", `{"model":"no-such-model","input":"hi"}`},
		{http.MethodPost, "/v1/embeddings", `{"model":"text-embedding-3-small"}`},
		{http.MethodGet, "/v1/models/no-such-model", ""},
		{http.MethodGet, "/v1/nothing-here", ""},
	} {
		st, b := call(t, c.method, base+c.path, c.body, "Authorization", bearer)
		if st < 400 {
			t.Errorf("%s %s: status %d, want an error", c.method, c.path, st)
			continue
		}
		oa.check(t, "ErrorResponse", b)
	}
	st, b = call(t, http.MethodPost, base+"/v1/chat/completions", `{"model":"gpt-4o-mini","messages":[]}`)
	if st != http.StatusUnauthorized {
		t.Errorf("no key: status %d, want 401", st)
	}
	oa.check(t, "ErrorResponse", b)
}

func TestSimAnthropic(t *testing.T) {
	t.Parallel()
	base := "http://" + simulators(t) + "/anthropic"
	an := loadSpec(t, "anthropic")
	seen := map[string]bool{}
	for _, model := range []string{"claude-sonnet-4-5", "claude-haiku-4-5"} {
		for _, body := range messagesBodies(model) {
			st, b := call(t, http.MethodPost, base+"/v1/messages", body, anthropicHeaders...)
			if st != http.StatusOK {
				t.Fatalf("status %d: %s", st, b)
			}
			an.check(t, "Message", b)
			st, b = call(t, http.MethodPost, base+"/v1/messages", body[:len(body)-1]+`,"stream":true}`, anthropicHeaders...)
			if st != http.StatusOK {
				t.Fatalf("status %d: %s", st, b)
			}
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
	b := callOK(t, "count_tokens", http.MethodPost, base+"/v1/messages/count_tokens", `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Say hello."}]}`, anthropicHeaders...)
	an.check(t, "CountMessageTokensResponse", b)
	for _, body := range []string{
		`{"model":"no-such-model","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`,
		`{"model":"claude-haiku-4-5","max_tokens":10,"messages":`,
		`{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"hi"}]}`,
	} {
		st, b := call(t, http.MethodPost, base+"/v1/messages", body, anthropicHeaders...)
		if st < 400 {
			t.Errorf("%s: status %d, want an error", body, st)
			continue
		}
		an.check(t, "ErrorResponse", b)
	}
	st, b := call(t, http.MethodPost, base+"/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`, "anthropic-version", "2023-06-01")
	if st != http.StatusUnauthorized {
		t.Errorf("no key: status %d, want 401", st)
	}
	an.check(t, "ErrorResponse", b)
}

// TestSimBatches checks the simulators' Files and Batch objects: OpenAI's
// file and batch, Anthropic's message batch.
func TestSimBatches(t *testing.T) {
	t.Parallel()
	addr := simulators(t)
	oa, an := loadSpec(t, "openai"), loadSpec(t, "anthropic")
	base := "http://" + addr + "/openai"
	f := oa.check(t, "OpenAIFile", upload(t, base,
		`{"custom_id":"r1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}}`+"\n"))
	id, _ := f["id"].(string)
	b := callOK(t, "create batch", http.MethodPost, base+"/v1/batches", `{"input_file_id":"`+id+`","endpoint":"/v1/chat/completions","completion_window":"24h"}`, "Authorization", bearer)
	bid, _ := oa.check(t, "Batch", b)["id"].(string)
	for _, c := range []struct{ path, component string }{{"/v1/batches/" + bid, "Batch"}, {"/v1/files/" + id, "OpenAIFile"}} {
		b = callOK(t, c.path, http.MethodGet, base+c.path, "", "Authorization", bearer)
		oa.check(t, c.component, b)
	}
	b = callOK(t, "list batches", http.MethodGet, base+"/v1/batches", "", "Authorization", bearer)
	oa.check(t, "ListBatchesResponse", b)
	abase := "http://" + addr + "/anthropic"
	b = callOK(t, "create message batch", http.MethodPost, abase+"/v1/messages/batches", `{"requests":[{"custom_id":"r1","params":{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}}]}`, anthropicHeaders...)
	mid, _ := an.check(t, "MessageBatch", b)["id"].(string)
	b = callOK(t, "get message batch", http.MethodGet, abase+"/v1/messages/batches/"+mid, "", anthropicHeaders...)
	an.check(t, "MessageBatch", b)
	b = callOK(t, "list message batches", http.MethodGet, abase+"/v1/messages/batches", "", anthropicHeaders...)
	an.check(t, "ListResponse_MessageBatch_", b)
}
