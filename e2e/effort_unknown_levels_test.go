package e2e

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// A deployment declared reasoning whose model's effort levels the router
// does not know (an OpenAI-compatible server's own model) is sent the
// nearest of low, medium and high, which every reasoning model on
// OpenAI's wire takes, not the client's level as it came: an openai-go
// client's max, xhigh, none and minimal (complete and streamed) go as
// high or low, named dropped=reasoning_effort; a level of the three goes
// as asked, nothing named.
func TestEffortToModelOfUnknownLevels(t *testing.T) {
	t.Parallel()
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "acme-reasoner-7b", Reasoning: true}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["acme"] = &config.Provider{Name: "acme", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["acme"] = &config.Deployment{Name: "acme", Provider: "acme", Model: "acme-reasoner-7b",
			Capabilities: []llm.Capability{llm.CapReasoning, llm.CapStreaming}}
	})
	for _, tc := range []struct {
		asked    shared.ReasoningEffort
		streamed bool
		want     string
		dropped  bool
	}{
		{shared.ReasoningEffortMax, false, `"high"`, true},
		{shared.ReasoningEffortXhigh, true, `"high"`, true},
		{shared.ReasoningEffortNone, false, `"low"`, true},
		{shared.ReasoningEffortMinimal, true, `"low"`, true},
		{shared.ReasoningEffortMedium, false, `"medium"`, false},
	} {
		text, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
			Model: "acme", ReasoningEffort: tc.asked,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")},
		}, tc.streamed)
		if err != nil {
			t.Fatalf("%s streamed=%v: %v", tc.asked, tc.streamed, err)
		}
		if got := string(tp.lastBody(t, "/chat/completions")["reasoning_effort"]); got != tc.want {
			t.Errorf("%s streamed=%v: upstream reasoning_effort %s, want %s", tc.asked, tc.streamed, got, tc.want)
		}
		route := h.Get("x-switchyard-route")
		if text == "" || strings.HasSuffix(route, "; dropped=reasoning_effort") != tc.dropped {
			t.Errorf("%s streamed=%v: route %q, text %q", tc.asked, tc.streamed, route, text)
		}
	}
}
