package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/config"
)

// The handler benchmarks of the other inbound wire formats: an OpenAI
// Responses API request and an Anthropic Messages request, each a
// conversation as an agent sends one (a system prompt, three user turns,
// a tool call and its result in the history, two function tools).

// benchAnthropicUpstream is an Anthropic-wire upstream that answers every
// Messages request with the same bytes (a stream when the request asks
// for one), as benchUpstream does for the OpenAI wire.
func benchAnthropicUpstream(b *testing.B) *httptest.Server {
	const answer = `{"id":"msg_b","type":"message","role":"assistant","model":"claude-sonnet-4-5",` +
		`"content":[{"type":"text","text":"The discount was applied before tax, so the invoice total reflects the reduced subtotal."}],` +
		`"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":120,"output_tokens":18}}`
	var stream strings.Builder
	event := func(name, data string) { stream.WriteString("event: " + name + "\ndata: " + data + "\n\n") }
	event("message_start", `{"type":"message_start","message":{"id":"msg_b","type":"message","role":"assistant",`+
		`"model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":120,"output_tokens":1}}}`)
	event("content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`)
	for _, w := range strings.Fields("The discount was applied before tax so the invoice total reflects the reduced subtotal and the order") {
		event("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"`+w+` "}}`)
	}
	event("content_block_stop", `{"type":"content_block_stop","index":0}`)
	event("message_delta", `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":18}}`)
	event("message_stop", `{"type":"message_stop"}`)
	streamBytes := []byte(stream.String())
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), `"stream":true`) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.Write(streamBytes)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, answer)
	}))
	b.Cleanup(ts.Close)
	return ts
}

// benchAnthropicConfig is benchRouterConfig's shape on an Anthropic
// provider (benchAnthropicUpstream).
const benchAnthropicConfig = `
providers:
  up: {kind: anthropic, base_url: "%s", api_key: sk-ant-bench}
deployments:
  claude-haiku-4-5: {provider: up, model: claude-haiku-4-5, price: {input: 1, output: 5}}
  claude-sonnet-4-5: {provider: up, model: claude-sonnet-4-5, price: {input: 3, output: 15}}
routes:
  auto:
    deployments: [claude-haiku-4-5, claude-sonnet-4-5]
`

// benchRouter is a router (client keys not checked, no request log) on
// config, its "%s" replaced by up's URL.
func benchRouter(b *testing.B, config string, up *httptest.Server) *Router {
	b.Helper()
	cfg, err := configParse(strings.Replace(config, "%s", up.URL, 1))
	if err != nil {
		b.Fatal(err)
	}
	r, err := NewRouter(cfg, RouterOptions{Demo: true, NoRequestLog: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close(context.Background()) })
	return r
}

func configParse(yaml string) (*config.Config, error) {
	cfg, err := config.Parse([]byte(yaml), nil)
	if err != nil {
		return nil, err
	}
	return cfg, cfg.Validate()
}

// benchServe runs body through r at path until the benchmark ends,
// failing it on any answer but a 200 with a body.
func benchServe(b *testing.B, r *Router, path, body string, header ...string) {
	serve := func() {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != http.StatusOK || w.Body.Len() == 0 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	serve()
	b.ReportAllocs()
	for b.Loop() {
		serve()
	}
}

const (
	benchSystem = `You are the support assistant of an online shop. Answer in plain English, ` +
		`cite the order number you looked up, and never promise a refund you have not issued.`
	benchUser1 = `Our customer reports that the invoice total does not match the order confirmation ` +
		`they received last week. The order is A-1042. Can you check it?`
	benchAssistant = `The order A-1042 was placed on 3 November with the code AUTUMN10 (10% off). ` +
		`The confirmation showed 89.10 and the invoice 98.01.`
	benchUser2  = `Was the discount code applied before or after tax?`
	benchResult = `{"order_id":"A-1042","subtotal":99.0,"discount":9.9,"tax_rate":0.1,"total":98.01}`
	benchUser3  = `Thanks. Please explain to the customer what happened, in two sentences.`
)

// benchResponsesBody is a Responses API request: instructions, three
// user turns, a function call and its output, two function tools.
func benchResponsesBody(stream bool) string {
	s := ""
	if stream {
		s = `"stream":true,`
	}
	return `{"model":"auto",` + s + `"instructions":"` + benchSystem + `","input":[` +
		`{"role":"user","content":"` + benchUser1 + `"},` +
		`{"role":"assistant","content":"` + benchAssistant + `"},` +
		`{"role":"user","content":"` + benchUser2 + `"},` +
		`{"type":"function_call","call_id":"call_b1","name":"lookup_order","arguments":"{\"order_id\":\"A-1042\"}"},` +
		`{"type":"function_call_output","call_id":"call_b1","output":` + jsonString(benchResult) + `},` +
		`{"role":"user","content":"` + benchUser3 + `"}],` +
		`"tools":[{"type":"function","name":"lookup_order","description":"Look up an order by its number",` +
		`"parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}},` +
		`{"type":"function","name":"issue_refund","description":"Refund part of an order",` +
		`"parameters":{"type":"object","properties":{"order_id":{"type":"string"},"amount":{"type":"number"}},"required":["order_id","amount"]}}]}`
}

// benchMessagesBody is the same conversation as an Anthropic Messages
// request.
func benchMessagesBody(stream bool) string {
	s := ""
	if stream {
		s = `"stream":true,`
	}
	return `{"model":"auto","max_tokens":1024,` + s + `"system":"` + benchSystem + `","messages":[` +
		`{"role":"user","content":"` + benchUser1 + `"},` +
		`{"role":"assistant","content":"` + benchAssistant + `"},` +
		`{"role":"user","content":"` + benchUser2 + `"},` +
		`{"role":"assistant","content":[{"type":"tool_use","id":"toolu_b1","name":"lookup_order","input":{"order_id":"A-1042"}}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_b1","content":` + jsonString(benchResult) + `},` +
		`{"type":"text","text":"` + benchUser3 + `"}]}],` +
		`"tools":[{"name":"lookup_order","description":"Look up an order by its number",` +
		`"input_schema":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}},` +
		`{"name":"issue_refund","description":"Refund part of an order",` +
		`"input_schema":{"type":"object","properties":{"order_id":{"type":"string"},"amount":{"type":"number"}},"required":["order_id","amount"]}}]}`
}

// jsonString is s as a JSON string (s holds no character to escape but
// the double quote).
func jsonString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// BenchmarkHandlerResponses measures one Responses API request through
// the whole router to an OpenAI-wire upstream (Chat Completions, as the
// adapter sends a model both APIs serve), non-streaming and streaming.
func BenchmarkHandlerResponses(b *testing.B) {
	r := benchRouter(b, benchRouterConfig, benchUpstream(b))
	for _, stream := range []bool{false, true} {
		name := "responses"
		if stream {
			name += "-stream"
		}
		b.Run(name, func(b *testing.B) {
			benchServe(b, r, "/v1/responses", benchResponsesBody(stream), "Authorization", "Bearer sk-client")
		})
	}
}

// BenchmarkHandlerMessages measures one Anthropic Messages request
// through the whole router, to an OpenAI-wire upstream and to an
// Anthropic-wire one, non-streaming and streaming.
func BenchmarkHandlerMessages(b *testing.B) {
	ups := []struct {
		name string
		r    *Router
	}{
		{"openai", benchRouter(b, benchRouterConfig, benchUpstream(b))},
		{"anthropic", benchRouter(b, benchAnthropicConfig, benchAnthropicUpstream(b))},
	}
	for _, up := range ups {
		for _, stream := range []bool{false, true} {
			name := "messages-to-" + up.name
			if stream {
				name += "-stream"
			}
			b.Run(name, func(b *testing.B) {
				benchServe(b, up.r, "/v1/messages", benchMessagesBody(stream),
					"x-api-key", "sk-client", "anthropic-version", "2023-06-01")
			})
		}
	}
}
