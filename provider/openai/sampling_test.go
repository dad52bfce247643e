package openai

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/provider"
)

// TestFixedSamplingDropped checks what an OpenAI-format upstream is sent
// for a reasoning model that takes only default sampling, on any host:
// temperature and top_p other than 1, the penalties and logit_bias are
// left out, stop, seed and other extras stay, and the token limit is
// max_completion_tokens (such models refuse max_tokens). Other models get
// everything, with max_tokens for a host that is not OpenAI's.
func TestFixedSamplingDropped(t *testing.T) {
	for _, tt := range []struct {
		model   string
		kind    string
		dropped bool
	}{{"o3-mini", KindOpenAI, true}, {"gpt-5-mini", KindOpenAI, true}, {"o3-mini", KindAzure, true}, {"gpt-4o", KindOpenAI, false}, {"gpt-oss-120b", KindOpenAI, false}} {
		rec := &recorder{header: map[string]string{"Content-Type": "text/event-stream"}, body: stoppedStream}
		srv := httptest.NewServer(rec)
		c := newClient(t, provider.Config{Kind: tt.kind, BaseURL: srv.URL + "/openai/v1", APIKey: testKey, ServiceTier: true})
		if tt.kind == KindOpenAI {
			c = newClient(t, provider.Config{Kind: tt.kind, BaseURL: srv.URL + "/v1", APIKey: testKey, ServiceTier: true})
		}
		req := userRequest(tt.model, "hi")
		temp, topP, pp, fp, seed, n := 0.2, 0.9, 0.5, 0.1, int64(7), 100
		req.Temperature, req.TopP, req.PresencePenalty, req.FrequencyPenalty, req.Seed, req.MaxTokens = &temp, &topP, &pp, &fp, &seed, &n
		req.Stop = []string{"END"}
		req.Extra = map[string]json.RawMessage{"logit_bias": json.RawMessage(`{"1":-100}`)}
		req.ServiceTier = llm.TierFlex
		if _, err := llmtest.Complete(context.Background(), c, req); err != nil {
			t.Fatal(err)
		}
		_, body := rec.last(t)
		var sent map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &sent); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"temperature", "top_p", "presence_penalty", "frequency_penalty", "logit_bias"} {
			if _, ok := sent[k]; ok == tt.dropped {
				t.Errorf("%s on %s: %s sent %v", tt.model, tt.kind, k, ok)
			}
		}
		for _, k := range []string{"stop", "seed", "service_tier"} {
			if _, ok := sent[k]; !ok {
				t.Errorf("%s on %s: %s not sent", tt.model, tt.kind, k)
			}
		}
		limit := "max_tokens"
		if tt.dropped || tt.kind == KindAzure {
			limit = "max_completion_tokens"
		}
		if string(sent[limit]) != "100" {
			t.Errorf("%s on %s: body %s, want %s", tt.model, tt.kind, body, limit)
		}
		if req.Temperature == nil || len(req.Extra) != 1 || req.ServiceTier != llm.TierFlex {
			t.Errorf("%s: the caller's request was changed", tt.model)
		}
		srv.Close()
	}
}

// TestFixedSamplingKept checks that temperature 1 (the one value a
// reasoning model takes) is sent, and that GPT-5.1 keeps its sampling at
// effort none (its default) and loses it at another effort.
func TestFixedSamplingKept(t *testing.T) {
	for _, tt := range []struct {
		model     string
		temp      float64
		reasoning *llm.Reasoning
		want      bool
	}{{"o3-mini", 1, nil, true}, {"gpt-5.1", 0.2, nil, true}, {"gpt-5.1", 0.2, &llm.Reasoning{Effort: llm.EffortNone}, true}, {"gpt-5.1", 0.2, &llm.Reasoning{Effort: llm.EffortHigh}, false}} {
		rec := &recorder{header: map[string]string{"Content-Type": "text/event-stream"}, body: stoppedStream}
		srv := httptest.NewServer(rec)
		c := newClient(t, provider.Config{Kind: KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: testKey})
		req := userRequest(tt.model, "hi")
		req.Temperature, req.Reasoning = &tt.temp, tt.reasoning
		if _, err := llmtest.Complete(context.Background(), c, req); err != nil {
			t.Fatal(err)
		}
		_, body := rec.last(t)
		var sent map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &sent); err != nil {
			t.Fatal(err)
		}
		if _, ok := sent["temperature"]; ok != tt.want {
			t.Errorf("%s %v temperature %v: sent %v", tt.model, tt.reasoning, tt.temp, ok)
		}
		srv.Close()
	}
}
