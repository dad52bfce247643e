package openai

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// The client's service_tier reaches an upstream that takes it
// (provider.Config.ServiceTier) and no other; the tier the upstream says
// served the stream comes back on every chunk and on the usage.
func TestServiceTierSentWhereTaken(t *testing.T) {
	var body string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","service_tier":"flex","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"logprobs":null,"finish_reason":"stop"}]}`+"\n\n"+
			`data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","service_tier":"flex","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}`+"\n\ndata: [DONE]\n\n")
	}))
	defer up.Close()
	for _, takes := range []bool{true, false} {
		c, err := New(provider.Config{Kind: KindOpenAI, BaseURL: up.URL + "/v1", ServiceTier: takes})
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.Stream(context.Background(), &llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}, ServiceTier: llm.TierFlex})
		if err != nil {
			t.Fatal(err)
		}
		var a llm.Accumulator
		for {
			ch, err := s.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			a.Add(ch)
		}
		s.Close()
		if sent := strings.Contains(body, `"service_tier":"flex"`); sent != takes {
			t.Errorf("takes %v: body %s", takes, body)
		}
		if r := a.Response(); r.ServiceTier != llm.TierFlex || r.Usage == nil || r.Usage.ServiceTier != llm.TierFlex {
			t.Errorf("takes %v: served tier %q, usage %+v", takes, r.ServiceTier, r.Usage)
		}
	}
}

// OpenAI refuses a flex request it has no capacity for with a 429
// resource_unavailable: a retryable rate-limit error that keeps its code
// and Retry-After, so the dispatcher fails over at once and rests the
// deployment.
func TestFlexResourceUnavailable(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":{"message":"Resource unavailable. Please retry later or use the default service tier.","type":"invalid_request_error","param":null,"code":"resource_unavailable"}}`)
	}))
	defer up.Close()
	c, err := New(provider.Config{Kind: KindOpenAI, BaseURL: up.URL + "/v1", ServiceTier: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Stream(context.Background(), &llm.Request{Model: "o3", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}, ServiceTier: llm.TierFlex})
	e := llm.AsError(err)
	if err == nil || e.Kind != llm.KindRateLimit || !e.Retryable || e.Code != "resource_unavailable" || e.RetryAfter.Seconds() != 2 {
		t.Errorf("error %+v", e)
	}
}
