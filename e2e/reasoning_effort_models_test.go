package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// newEffortEnv is a router in front of an OpenAI simulator serving
// o4-mini, o3 and gpt-6.1-sol (each refusing a reasoning effort it does
// not take with OpenAI's 400), behind a tap: deployments "o4m", "o3r"
// and "sol61" (api unset: auto).
func newEffortEnv(t *testing.T) (*env, *tap) {
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(
		sim.Profile{Model: "o4-mini", Reasoning: true}, sim.Profile{Model: "o3", Reasoning: true, MaxOutputTokens: 100000},
		sim.Profile{Model: "gpt-6.1-sol", Reasoning: true}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["openai-effort"] = &config.Provider{Name: "openai-effort", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["o4m"] = &config.Deployment{Name: "o4m", Provider: "openai-effort", Model: "o4-mini"}
		c.Deployments["o3r"] = &config.Deployment{Name: "o3r", Provider: "openai-effort", Model: "o3"}
		c.Deployments["sol61"] = &config.Deployment{Name: "sol61", Provider: "openai-effort", Model: "gpt-6.1-sol"}
	})
	return e, tp
}

// An openai-go client written for GPT-6 asks reasoning_effort max of an
// o4-mini deployment: it is answered, complete and streamed, the
// upstream got high (the strongest o4-mini takes), and
// x-switchyard-route names reasoning_effort dropped.
func TestReasoningEffortMaxToO4Mini(t *testing.T) {
	t.Parallel()
	e, tp := newEffortEnv(t)
	for _, streamed := range []bool{false, true} {
		text, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
			Model: "o4m", ReasoningEffort: shared.ReasoningEffortMax,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")},
		}, streamed)
		if err != nil {
			t.Fatalf("streamed=%v: %v", streamed, err)
		}
		if got := string(tp.lastBody(t, "/chat/completions")["reasoning_effort"]); got != `"high"` {
			t.Errorf("streamed=%v: upstream reasoning_effort %s, want \"high\"", streamed, got)
		}
		if route := h.Get("x-switchyard-route"); text == "" || !strings.HasSuffix(route, "; dropped=reasoning_effort") {
			t.Errorf("streamed=%v: route %q, text %q", streamed, route, text)
		}
	}
	// high, which o4-mini takes, goes as it is and nothing is dropped.
	_, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
		Model: "o4m", ReasoningEffort: shared.ReasoningEffortHigh,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")},
	}, false)
	if err != nil || strings.Contains(h.Get("x-switchyard-route"), "dropped") {
		t.Errorf("high: %v, route %q", err, h.Get("x-switchyard-route"))
	}
}

// reasoning_effort none asked of a gpt-6.1-sol deployment (which takes
// none of it) is sent low, so the temperature it takes only at none is
// dropped too; with function tools, which GPT-6.1 Sol serves only on the
// Responses API, the request goes there at effort low. A Responses API
// client's none is sent low as well.
func TestReasoningEffortNoneToGPT61Sol(t *testing.T) {
	t.Parallel()
	e, tp := newEffortEnv(t)
	text, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
		Model: "sol61", ReasoningEffort: shared.ReasoningEffortNone, Temperature: openai.Float(0.2),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	body := tp.lastBody(t, "/chat/completions")
	if string(body["reasoning_effort"]) != `"low"` || body["temperature"] != nil {
		t.Errorf("upstream reasoning_effort %s temperature %s", body["reasoning_effort"], body["temperature"])
	}
	if route := h.Get("x-switchyard-route"); text == "" || !strings.HasSuffix(route, "; dropped=reasoning_effort,temperature") {
		t.Errorf("route %q, text %q", route, text)
	}

	var hr *http.Response
	resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
		Model: "sol61", ReasoningEffort: shared.ReasoningEffortNone,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("call get_weather for Oslo")},
		Tools:    []openai.ChatCompletionToolUnionParam{weatherTool},
	}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if got := tp.lastPath(t); got != "/v1/responses" {
		t.Errorf("tools: upstream %s, want /v1/responses", got)
	}
	if got := string(tp.lastBody(t, "/v1/responses")["reasoning"]); !strings.Contains(got, `"effort":"low"`) {
		t.Errorf("tools: upstream reasoning %s", got)
	}
	if route := hr.Header.Get("x-switchyard-route"); !strings.Contains(route, "api=responses") || !strings.Contains(route, "dropped=reasoning_effort") {
		t.Errorf("tools: route %q", route)
	}
	if len(resp.Choices[0].Message.ToolCalls) != 1 {
		t.Errorf("tools: answer %+v", resp.Choices[0])
	}

	r, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{
		Model: "sol61", Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("Is 91 prime?")},
		Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortNone},
	}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(tp.lastBody(t, "/v1/responses")["reasoning"]); r.OutputText() == "" || !strings.Contains(got, `"effort":"low"`) {
		t.Errorf("responses client: upstream reasoning %s, text %q", got, r.OutputText())
	}
	if route := hr.Header.Get("x-switchyard-route"); !strings.Contains(route, "dropped=reasoning_effort") {
		t.Errorf("responses client: route %q", route)
	}
}

// An Anthropic client's large thinking budget (max's level) routed to an
// o3 deployment is answered: the upstream got high, the strongest o3
// takes, and x-switchyard-route names reasoning_effort dropped.
func TestAnthropicLargeThinkingBudgetToO3(t *testing.T) {
	t.Parallel()
	e, tp := newEffortEnv(t)
	params := userMessage("o3r", "Is 91 prime?", 66000)
	params.Thinking = sdk.ThinkingConfigParamOfEnabled(64000)
	var hr *http.Response
	c := anthropicClient(e, "demo-key")
	// Streamed: the SDK refuses max_tokens this large unstreamed.
	s := c.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&hr))
	var msg sdk.Message
	for s.Next() {
		if err := msg.Accumulate(s.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if got := string(tp.lastBody(t, "/chat/completions")["reasoning_effort"]); got != `"high"` {
		t.Errorf("upstream reasoning_effort %s, want \"high\"", got)
	}
	if route := hr.Header.Get("x-switchyard-route"); len(msg.Content) == 0 || !strings.Contains(route, "dropped=reasoning_effort") {
		t.Errorf("route %q, content %+v", route, msg.Content)
	}
}
