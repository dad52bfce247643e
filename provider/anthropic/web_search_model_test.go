package anthropic

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/sim"
	simanthropic "switchyard/sim/anthropic"
)

// A Chat client's web_search_options on a Claude model without the web
// search tool (the first Claude 3.5 Sonnet), which refuses it ("tool type
// 'web_search_20250305' is not supported for this model", as the
// simulator does), is left out and the answer comes without a search
// (the gateway names it dropped: SearchLeftOut); on a model with the tool
// it runs.
func TestWebSearchOptionsLeftOut(t *testing.T) {
	h := simanthropic.New(sim.NewCatalog(sim.Profile{Model: "claude-3-5-sonnet-20240620", MaxOutputTokens: 8192, TokensPerSecond: 2000},
		sim.Profile{Model: "claude-3-5-haiku-20241022", MaxOutputTokens: 8192, TokensPerSecond: 2000}), &sim.Faults{})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := clientFor(t, srv.URL, testKey)
	for model, searched := range map[string]bool{"claude-3-5-sonnet-20240620": false, "claude-3-5-haiku-20241022": true} {
		req := &llm.Request{Model: model, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "What is new in Paris today?")},
			Extra: map[string]json.RawMessage{"web_search_options": json.RawMessage(`{}`)}}
		resp, err := llmtest.Complete(context.Background(), c, req)
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if got := resp.Usage.WebSearchRequests > 0; got != searched {
			t.Errorf("%s: searched %v, want %v", model, got, searched)
		}
	}
}
