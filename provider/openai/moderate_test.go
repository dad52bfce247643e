package openai

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestModerate(t *testing.T) {
	c := newEnv(t, KindOpenAI, testKey).c
	if !c.Moderates() {
		t.Fatal("a client of kind openai does not moderate")
	}
	req := &llm.ModerationRequest{Model: "omni-moderation-latest", Texts: []string{"I want to kill them.", "Nice weather."}}
	resp, err := c.Moderate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Results) != 2 || resp.Flagged() != 1 || !strings.HasPrefix(resp.ID, "modr-") || resp.Model != "omni-moderation-latest" {
		t.Errorf("response = %+v", resp)
	}
	if !strings.HasPrefix(string(resp.Body), `{"id":"modr-`) {
		t.Errorf("Body is not the upstream's answer: %.80s", resp.Body)
	}
	parts := &llm.ModerationRequest{Model: "omni-moderation-latest", Parts: []llm.ModerationPart{{Text: "hi"}, {ImageURL: "https://example.com/gore.png"}}}
	if resp, err = c.Moderate(context.Background(), parts); err != nil || len(resp.Results) != 1 || resp.Flagged() != 1 {
		t.Errorf("multimodal: %+v, %v", resp, err)
	}
}

// TestModerateSends checks the request the upstream gets: the path, the
// key, and the body with Extra passed through.
func TestModerateSends(t *testing.T) {
	rec := &recorder{body: `{"id":"modr-1","model":"mistral-moderation-latest","results":[{"categories":{"pii":false},"category_scores":{"pii":0.01}}]}`}
	c := serve(t, rec, KindOpenAI, "/v1", testKey)
	resp, err := c.Moderate(context.Background(), &llm.ModerationRequest{Model: "mistral-moderation-latest", Texts: []string{"hello"}})
	if err != nil || len(resp.Results) != 1 || resp.Results[0].Flagged {
		t.Fatalf("%+v, %v", resp, err)
	}
	hr, body := rec.last(t)
	if hr.URL.Path != "/v1/moderations" || hr.Header.Get("Authorization") != "Bearer "+testKey {
		t.Errorf("sent to %s with %q", hr.URL.Path, hr.Header.Get("Authorization"))
	}
	if body != `{"model":"mistral-moderation-latest","input":"hello"}` {
		t.Errorf("body = %s", body)
	}
}

// TestModerateAzure checks that an Azure client says it cannot moderate
// and sends nothing when asked anyway: Azure OpenAI has no moderations
// endpoint.
func TestModerateAzure(t *testing.T) {
	rec := &recorder{}
	c := serve(t, rec, KindAzure, "", testKey)
	if c.Moderates() {
		t.Error("an Azure client says it moderates")
	}
	_, err := c.Moderate(context.Background(), &llm.ModerationRequest{Model: "m", Texts: []string{"a"}})
	if le := asLLM(t, err); le.Kind != llm.KindInvalidRequest {
		t.Errorf("error = %v", err)
	}
	if len(rec.reqs) != 0 {
		t.Errorf("Azure got %d requests", len(rec.reqs))
	}
}

func TestModerateErrors(t *testing.T) {
	sim := newEnv(t, KindOpenAI, testKey).c
	one := &llm.ModerationRequest{Model: "omni-moderation-latest", Texts: []string{"a"}}
	for _, tt := range []struct {
		name   string
		c      *Client
		req    *llm.ModerationRequest
		want   llm.ErrorKind
		status int
	}{
		{"unknown model", sim, &llm.ModerationRequest{Model: "nope", Texts: []string{"a"}}, llm.KindNotFound, 404},
		{"rate limit", sim, &llm.ModerationRequest{Model: "omni-moderation-latest", Texts: []string{"a [[sim:rate_limit]]"}}, llm.KindRateLimit, 429},
		{"malformed", sim, &llm.ModerationRequest{Model: "omni-moderation-latest", Texts: []string{"a [[sim:malformed]]"}}, llm.KindUpstream, 502},
		{"too few results", serve(t, &recorder{body: `{"id":"modr-1","model":"m","results":[]}`}, KindOpenAI, "/v1", testKey), one, llm.KindUpstream, 502},
		{"not a moderation", serve(t, &recorder{body: `{"object":"list","data":[]}`}, KindOpenAI, "/v1", testKey), one, llm.KindUpstream, 502},
		{"HTML", serve(t, &recorder{body: `<html>` + testKey + `</html>`}, KindOpenAI, "/v1", testKey), one, llm.KindUpstream, 502},
		{"error with 200", serve(t, &recorder{body: `{"error":{"message":"model overloaded","type":"server_error"}}`}, KindOpenAI, "/v1", testKey), one, llm.KindUpstream, 502},
		{"500", serve(t, &recorder{status: http.StatusInternalServerError, body: `{"error":{"message":"boom","type":"server_error"}}`}, KindOpenAI, "/v1", testKey), one, llm.KindUpstream, 502},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.Moderate(context.Background(), tt.req)
			le := asLLM(t, err)
			if le.Kind != tt.want || le.HTTPStatus() != tt.status {
				t.Errorf("error = %v (%s, %d), want %s %d", err, le.Kind, le.HTTPStatus(), tt.want, tt.status)
			}
			if tt.want == llm.KindUpstream && !le.Retryable {
				t.Error("an upstream failure is not retryable: the gateway would not fail over")
			}
		})
	}
}
