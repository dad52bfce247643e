package openai

import (
	"context"
	"io"
	"strings"
	"switchyard/llm/llmtest"
	"testing"
	"time"

	"switchyard/llm"
)

// TestErrors drives each failure class through the simulated upstreams,
// for Chat and for Stream (where failures before the first byte are
// returned by Stream itself).
func TestErrors(t *testing.T) {
	tests := []struct {
		name, kind, key, model, prompt string

		wantKind       llm.ErrorKind
		wantStatus     int
		wantRetryable  bool
		wantRetryAfter time.Duration
		wantCode       string
	}{
		{"no key", KindOpenAI, "", "gpt-sim", "hi", llm.KindUpstream, 502, false, 0, llm.CodeUpstreamAuth},
		{"azure no key", KindAzure, "", "gpt-sim", "hi", llm.KindUpstream, 502, false, 0, llm.CodeUpstreamAuth},
		{"unknown model", KindOpenAI, testKey, "gpt-nope", "hi", llm.KindNotFound, 404, false, 0, "model_not_found"},
		// Azure's DeploymentNotFound is OpenAI's model_not_found: the deployment is misconfigured.
		{"azure unknown deployment", KindAzure, testKey, "gpt-nope", "hi", llm.KindNotFound, 404, false, 0, llm.CodeModelNotFound},
		{"embedding model", KindOpenAI, testKey, "embed-sim", "hi", llm.KindNotFound, 404, false, 0, ""},
		{"rate limit", KindOpenAI, testKey, "gpt-sim", "[[sim:rate_limit=3]]", llm.KindRateLimit, 429, true, 3 * time.Second, "rate_limit_exceeded"},
		{"azure rate limit", KindAzure, testKey, "gpt-sim", "[[sim:rate_limit=2]]", llm.KindRateLimit, 429, true, 2 * time.Second, "429"},
		{"server error", KindOpenAI, testKey, "gpt-sim", "[[sim:server_error]]", llm.KindUpstream, 502, true, 0, ""},
		{"unavailable", KindOpenAI, testKey, "gpt-sim", "[[sim:unavailable]]", llm.KindUnavailable, 503, true, 0, ""},
		{"outage", KindAzure, testKey, "gpt-sim", "[[sim:outage]]", llm.KindUnavailable, 503, true, 0, "ServiceUnavailable"},
		{"reset", KindOpenAI, testKey, "gpt-sim", "[[sim:reset]]", llm.KindUpstream, 502, true, 0, ""},
		{"azure content filter", KindAzure, testKey, "gpt-sim", "[[sim:content_filter]]", llm.KindInvalidRequest, 400, false, 0, "content_filter"},
		{"context too long", KindOpenAI, testKey, "gpt-sim", strings.Repeat("word ", 130000), llm.KindInvalidRequest, 400, false, 0, "context_length_exceeded"},
	}
	for _, tt := range tests {
		for _, streamed := range []bool{false, true} {
			name := tt.name
			if streamed {
				name += "/stream"
			}
			t.Run(name, func(t *testing.T) {
				c := newEnv(t, tt.kind, tt.key).c
				var err error
				if streamed {
					_, err = c.Stream(context.Background(), userRequest(tt.model, tt.prompt))
				} else {
					_, err = llmtest.Complete(context.Background(), c, userRequest(tt.model, tt.prompt))
				}
				le := asLLM(t, err)
				if le.Kind != tt.wantKind || le.HTTPStatus() != tt.wantStatus || le.Retryable != tt.wantRetryable {
					t.Errorf("error = %v: kind %s status %d retryable %v, want %s %d %v", err, le.Kind, le.HTTPStatus(), le.Retryable, tt.wantKind, tt.wantStatus, tt.wantRetryable)
				}
				if le.RetryAfter != tt.wantRetryAfter || le.Code != tt.wantCode || le.Provider != "up" {
					t.Errorf("error = %v: retry after %v code %q provider %q, want %v %q", err, le.RetryAfter, le.Code, le.Provider, tt.wantRetryAfter, tt.wantCode)
				}
			})
		}
	}
}

// TestErrorsAfterHeaders covers failures after a 200: a cut or garbled
// body, a cut, garbled or stalled stream.
func TestErrorsAfterHeaders(t *testing.T) {
	tests := []struct {
		name, prompt string
		wantMsg      string
	}{
		{"cut", "[[sim:cut]]", ""},
		// One undecodable event is skipped; the stream then ends cut.
		{"malformed", "[[sim:malformed]]", "finish_reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newEnv(t, KindOpenAI, testKey).c
			_, err := llmtest.Complete(context.Background(), c, userRequest("gpt-sim", "Tell me more "+tt.prompt))
			if le := asLLM(t, err); le.Kind != llm.KindUpstream || !le.Retryable || !strings.Contains(le.Message, tt.wantMsg) {
				t.Errorf("chat error = %v", err)
			}
			s, err := c.Stream(context.Background(), userRequest("gpt-sim", "Tell me more "+tt.prompt))
			if err != nil {
				t.Fatal(err)
			}
			chunks, err := drain(s)
			if len(chunks) == 0 {
				t.Error("no chunk before the failure")
			}
			if err == io.EOF {
				t.Fatal("a broken stream ended with io.EOF")
			}
			if le := asLLM(t, err); le.Kind != llm.KindUpstream || !strings.Contains(le.Message, tt.wantMsg) {
				t.Errorf("stream error = %v", err)
			}
		})
	}
	t.Run("stall past deadline", func(t *testing.T) {
		c := newEnv(t, KindOpenAI, testKey).c
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		s, err := c.Stream(ctx, userRequest("gpt-sim", "hi [[sim:stall=1h]]"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = drain(s)
		if le := asLLM(t, err); le.Kind != llm.KindTimeout {
			t.Errorf("error = %v, want timeout", err)
		}
	})
}

// TestKeyNeverShown makes upstreams echo the key in every place an error
// message can come from.
func TestKeyNeverShown(t *testing.T) {
	bodies := []struct {
		status int
		body   string
	}{
		{401, `{"error":{"message":"Incorrect API key provided: ` + testKey + `.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`},
		{400, `{"error":{"message":"bad request from ` + testKey + `","type":"invalid_request_error","param":"` + testKey + `","code":"` + testKey + `"}}`},
		{500, "upstream exploded, key was " + testKey},
		{429, `{"error":{"code":"429","message":"slow down ` + testKey + `"}}`},
		{200, `{"error":{"message":"hidden error ` + testKey + `","type":"server_error","param":null,"code":null}}`},
	}
	for _, kind := range []string{KindOpenAI, KindAzure} {
		for _, b := range bodies {
			rec := &recorder{status: b.status, body: b.body, header: map[string]string{"Content-Type": "application/json"}}
			c := serve(t, rec, kind, "", testKey)
			_, err := llmtest.Complete(context.Background(), c, userRequest("m", "hi"))
			le := asLLM(t, err)
			noKey(t, le.Param)
			noKey(t, le.Code)
			_, err = c.Stream(context.Background(), userRequest("m", "hi"))
			asLLM(t, err)
			_, err = c.Embed(context.Background(), &llm.EmbeddingRequest{Model: "m", Input: []string{"x"}})
			asLLM(t, err)
		}
	}
	// A transport failure names the URL, never the key.
	c := newClient(t, providerConfig(KindOpenAI, "http://127.0.0.1:1/v1"))
	_, err := llmtest.Complete(context.Background(), c, userRequest("m", "hi"))
	if le := asLLM(t, err); le.Kind != llm.KindUpstream || !le.Retryable {
		t.Errorf("unreachable upstream: %v", err)
	}
}
