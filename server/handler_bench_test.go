package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/config"
)

// benchUpstream is an OpenAI-wire upstream that answers every chat
// completion with the same bytes (a stream when the request asks for
// one), so that what a handler benchmark measures is the router's own
// work: the same upstream bytes whatever the router's version.
func benchUpstream(b *testing.B) *httptest.Server {
	const answer = `{"id":"chatcmpl-b","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",` +
		`"choices":[{"index":0,"message":{"role":"assistant","content":"The discount was applied before tax, ` +
		`so the invoice total reflects the reduced subtotal."},"finish_reason":"stop"}],` +
		`"usage":{"prompt_tokens":120,"completion_tokens":18,"total_tokens":138}}`
	var stream strings.Builder
	stream.WriteString(`data: {"id":"chatcmpl-b","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}` + "\n\n")
	for _, w := range strings.Fields("The discount was applied before tax so the invoice total reflects the reduced subtotal and the order") {
		stream.WriteString(`data: {"id":"chatcmpl-b","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"` + w + ` "},"finish_reason":null}]}` + "\n\n")
	}
	stream.WriteString(`data: {"id":"chatcmpl-b","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}` + "\n\n")
	stream.WriteString(`data: {"id":"chatcmpl-b","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":120,"completion_tokens":18,"total_tokens":138}}` + "\n\n")
	stream.WriteString("data: [DONE]\n\n")
	streamBytes := []byte(stream.String())
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if bytes.Contains(body, []byte(`"stream":true`)) {
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

// benchRouterConfig is a router with one OpenAI provider (benchUpstream)
// and two deployments behind an auto route, as a small production
// configuration is.
const benchRouterConfig = `
providers:
  up: {kind: openai, base_url: "%s/v1", api_key: sk-bench}
deployments:
  gpt-4o-mini: {provider: up, model: gpt-4o-mini, price: {input: 0.15, output: 0.6}}
  gpt-4o: {provider: up, model: gpt-4o, price: {input: 2.5, output: 10}}
routes:
  auto:
    deployments: [gpt-4o-mini, gpt-4o]
`

// BenchmarkHandler measures one chat completion through the whole router
// — HTTP handler, decode, classify, route, dispatch to an in-process
// upstream over loopback, encode — non-streaming and streaming, with and
// without function tools. Its allocation count is the router's per-request
// allocations plus the loopback client's and the fixed upstream's, the
// same in every build.
func BenchmarkHandler(b *testing.B) {
	up := benchUpstream(b)
	cfg, err := config.Parse([]byte(strings.Replace(benchRouterConfig, "%s", up.URL, 1)), nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		b.Fatal(err)
	}
	r, err := NewRouter(cfg, RouterOptions{Demo: true, NoRequestLog: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close(context.Background()) })
	const msgs = `"messages":[{"role":"system","content":"You are a helpful support assistant."},` +
		`{"role":"user","content":"Our customer reports that the invoice total does not match the order confirmation ` +
		`they received last week. Was the discount code applied before or after tax? Please explain what happened."}]`
	const tools = `,"tools":[{"type":"function","function":{"name":"lookup_order","description":"Look up an order",` +
		`"parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}}}]`
	for _, c := range []struct{ name, body string }{
		{"chat", `{"model":"auto",` + msgs + `}`},
		{"chat-stream", `{"model":"auto","stream":true,"stream_options":{"include_usage":true},` + msgs + `}`},
		{"chat-tools", `{"model":"auto","temperature":0.2,` + msgs + tools + `}`},
		{"chat-tools-stream", `{"model":"auto","stream":true,` + msgs + tools + `}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			serve := func() {
				req := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(c.body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer sk-client")
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
		})
	}
}
