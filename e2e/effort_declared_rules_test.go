package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// An openai-go client reaches deployments that declare their levels for
// models the router knows, on a simulated host whose models take just
// those levels: "g51" is gpt-5.1 declaring low to high (no none), "g54"
// gpt-5.4 declaring minimal to high (no none), api auto. The sampling
// and tools rules read the level sent, not the one the id's row would
// send: none asked of g51 is sent low, where gpt-5.1 refuses a
// temperature other than 1, so the router drops it (the row would send
// none, which takes it, and the host would answer 400); minimal asked of
// g54 with function tools is sent minimal, at which OpenAI refuses
// tools on Chat Completions, so the request goes to the Responses API
// (the row would send none, which takes them on Chat).
func TestEffortDeclaredRulesReadSentLevel(t *testing.T) {
	t.Parallel()
	lowHigh := []llm.Effort{llm.EffortLow, llm.EffortMedium, llm.EffortHigh}
	minHigh := []llm.Effort{llm.EffortMinimal, llm.EffortLow, llm.EffortMedium, llm.EffortHigh}
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(
		sim.Profile{Model: "gpt-5.1", Reasoning: true, Efforts: lowHigh},
		sim.Profile{Model: "gpt-5.4", Reasoning: true, Efforts: minHigh}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["host"] = &config.Provider{Name: "host", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["g51"] = &config.Deployment{Name: "g51", Provider: "host", Model: "gpt-5.1", ReasoningEfforts: lowHigh}
		c.Deployments["g54"] = &config.Deployment{Name: "g54", Provider: "host", Model: "gpt-5.4", ReasoningEfforts: minHigh,
			Capabilities: []llm.Capability{llm.CapStreaming, llm.CapTools}}
	})

	for _, streamed := range []bool{false, true} {
		text, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
			Model: "g51", ReasoningEffort: shared.ReasoningEffortNone, Temperature: openai.Float(0.5),
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")},
		}, streamed)
		if err != nil {
			t.Errorf("g51 streamed=%v: %v", streamed, err)
			continue
		}
		body := tp.lastBody(t, "/chat/completions")
		if got := string(body["reasoning_effort"]); got != `"low"` || body["temperature"] != nil {
			t.Errorf("g51 streamed=%v: upstream reasoning_effort %s, temperature %s; want low and none", streamed, got, body["temperature"])
		}
		if route := h.Get("x-switchyard-route"); text == "" || droppedIn(route) != "reasoning_effort,temperature" {
			t.Errorf("g51 streamed=%v: route %q, text %q", streamed, route, text)
		}
	}

	var hr *http.Response
	resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "g54", ReasoningEffort: shared.ReasoningEffortMinimal,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("call get_weather for Oslo")},
		Tools:    []openai.ChatCompletionToolUnionParam{weatherTool}}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatalf("g54: %v", err)
	}
	if got := hr.Header.Get("x-switchyard-route"); !strings.Contains(got, "api=responses") || droppedIn(got) != "" {
		t.Errorf("g54: x-switchyard-route %q", got)
	}
	if got := tp.lastPath(t); got != "/v1/responses" {
		t.Errorf("g54: upstream %s, want /v1/responses", got)
	}
	if got := string(tp.lastBody(t, "/v1/responses")["reasoning"]); !strings.Contains(got, `"effort":"minimal"`) {
		t.Errorf("g54: upstream reasoning %s, want minimal", got)
	}
	if len(resp.Choices) != 1 || len(resp.Choices[0].Message.ToolCalls) != 1 || resp.Choices[0].Message.ToolCalls[0].Function.Name != "get_weather" {
		t.Errorf("g54: answer %+v", resp.Choices)
	}
}
