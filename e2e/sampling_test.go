package e2e

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

const proof = "Prove that the square root of 2 is irrational, step by step."

// chatWith sends one chat completion with openai-go, complete or
// streamed, and returns the answer's text, finish reason and headers.
func chatWith(t *testing.T, e *env, params openai.ChatCompletionNewParams, streamed bool) (string, string, http.Header, error) {
	t.Helper()
	var resp *http.Response
	if !streamed {
		out, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&resp))
		if err != nil {
			return "", "", nil, err
		}
		return out.Choices[0].Message.Content, out.Choices[0].FinishReason, resp.Header, nil
	}
	s := e.Client.Chat.Completions.NewStreaming(ctxT(t), params, option.WithResponseInto(&resp))
	var text strings.Builder
	finish := ""
	for s.Next() {
		for _, c := range s.Current().Choices {
			text.WriteString(c.Delta.Content)
			if c.FinishReason != "" {
				finish = c.FinishReason
			}
		}
	}
	if err := s.Err(); err != nil {
		return "", "", nil, err
	}
	return text.String(), finish, resp.Header, nil
}

// A reasoning prompt with a temperature goes through auto to o3-mini,
// which refuses any temperature but 1 (the simulator as OpenAI does): the
// adapter drops it and the route header says so.
func TestTemperatureToAReasoningModel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, streamed := range []bool{false, true} {
		text, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
			Model: "auto", Temperature: openai.Float(0.3), MaxTokens: openai.Int(300),
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(proof)},
		}, streamed)
		if err != nil {
			t.Fatalf("streamed=%v: %v", streamed, err)
		}
		if dep, route := h.Get("x-switchyard-deployment"), h.Get("x-switchyard-route"); dep != "o3-mini" || text == "" || !strings.HasSuffix(route, "; dropped=temperature") {
			t.Errorf("streamed=%v: served by %q, route %q, text %q", streamed, dep, route, text)
		}
	}
	// A deployment that takes any temperature gets it, and nothing is dropped.
	_, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
		Model: "gpt-4o", Temperature: openai.Float(0.3),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(proof)},
	}, false)
	if err != nil || strings.Contains(h.Get("x-switchyard-route"), "dropped") {
		t.Errorf("gpt-4o: %v, route %q", err, h.Get("x-switchyard-route"))
	}
}

// o3-mini named with the sampling hints it refuses answers: they are
// dropped (named in the route header), temperature 1 is kept, and
// max_tokens goes as max_completion_tokens.
func TestSamplingHintsDroppedForANamedReasoningModel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	text, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
		Model: "o3-mini", PresencePenalty: openai.Float(0.5), FrequencyPenalty: openai.Float(0.2), TopP: openai.Float(0.5),
		Temperature: openai.Float(1), LogitBias: map[string]int64{"50256": -100}, MaxTokens: openai.Int(200), Seed: openai.Int(7),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hello there")},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	if route := h.Get("x-switchyard-route"); text == "" || !strings.HasSuffix(route, "; dropped=top_p,presence_penalty,frequency_penalty,logit_bias") {
		t.Errorf("route %q, text %q", route, text)
	}
}

// withO4Mini adds an OpenAI provider simulating o4-mini (which refuses
// stop, where o3-mini takes it) and a route preferring it to o3-mini.
func withO4Mini(t *testing.T) func(*config.Config) {
	srv := httptest.NewServer(simopenai.New(sim.NewCatalog(sim.Profile{Model: "o4-mini", Reasoning: true, MaxOutputTokens: 65536}), nil))
	t.Cleanup(srv.Close)
	return func(cfg *config.Config) {
		cfg.Providers["openai-2"] = &config.Provider{Name: "openai-2", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sim-key"}
		cfg.Deployments["o4-mini"] = &config.Deployment{Name: "o4-mini", Provider: "openai-2", Model: "o4-mini",
			Price: config.Price{Input: 1.1, Output: 4.4}}
		cfg.Routes["reasoners"] = &config.Route{Name: "reasoners", Deployments: []string{"o4-mini", "o3-mini"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	}
}

// stop is not dropped (the answer would change): a route passes over
// o4-mini, which refuses it, for o3-mini, which takes it and ends its
// answer there; o4-mini named with stop is the router's 400 on stop,
// naming the model, as OpenAI's would be; logprobs, which no OpenAI
// reasoning model returns, skips both (o4-mini declares nothing).
func TestStopAndLogprobsSkipReasoningModelsThatRefuseThem(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withO4Mini(t))
	ask := func(model string, edit func(*openai.ChatCompletionNewParams)) (string, string, http.Header, error) {
		p := openai.ChatCompletionNewParams{Model: model, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(proof)}}
		if edit != nil {
			edit(&p)
		}
		return chatWith(t, e, p, false)
	}
	_, _, h, err := ask("reasoners", nil)
	if err != nil || h.Get("x-switchyard-deployment") != "o4-mini" {
		t.Fatalf("without stop: %v, served by %q", err, h.Get("x-switchyard-deployment"))
	}
	full, _, _, err := ask("o3-mini", nil)
	if err != nil || len(strings.Fields(full)) < 6 {
		t.Fatalf("o3-mini: %v, %q", err, full)
	}
	word := strings.Fields(full)[4]
	stop := func(p *openai.ChatCompletionNewParams) {
		p.Stop = openai.ChatCompletionNewParamsStopUnion{OfStringArray: []string{word}}
	}
	text, finish, h, err := ask("reasoners", stop)
	if err != nil || h.Get("x-switchyard-deployment") != "o3-mini" || text != full[:strings.Index(full, word)] || finish != "stop" {
		t.Errorf("with stop %q: %v, served by %q, %q (%s)", word, err, h.Get("x-switchyard-deployment"), text, finish)
	}
	for _, tt := range []struct {
		model, param, msg string
		edit              func(*openai.ChatCompletionNewParams)
	}{
		{"o4-mini", "stop", "serves model o4-mini, which does not take 'stop'", stop},
		{"o4-mini", "logprobs", "serves model o4-mini, which does not take 'logprobs'", func(p *openai.ChatCompletionNewParams) { p.Logprobs = openai.Bool(true) }},
		{"reasoners", "logprobs", "no deployment of route reasoners can serve this request", func(p *openai.ChatCompletionNewParams) { p.Logprobs = openai.Bool(true) }},
	} {
		_, _, _, err := ask(tt.model, tt.edit)
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != tt.param || !strings.Contains(apiErr.Message, tt.msg) || strings.Contains(apiErr.Message, "upstream") {
			t.Errorf("%s with %s: want the router's 400 on %s, got %v", tt.model, tt.param, tt.param, err)
		}
	}
}

// stop reaches every wire format and is honoured there: the answer ends
// before the stop sequence, which it leaves out, with finish_reason stop,
// complete and streamed.
func TestStopReachesEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	const prompt = "Tell me about rivers and the towns along them."
	for _, dep := range chatDeployments {
		full, _, _, err := chatWith(t, e, openai.ChatCompletionNewParams{Model: dep, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(prompt)}}, false)
		if err != nil || len(strings.Fields(full)) < 6 {
			t.Fatalf("%s: %v, %q", dep, err, full)
		}
		word := strings.Fields(full)[4]
		for _, streamed := range []bool{false, true} {
			text, finish, _, err := chatWith(t, e, openai.ChatCompletionNewParams{
				Model: dep, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(prompt)},
				Stop: openai.ChatCompletionNewParamsStopUnion{OfStringArray: []string{"zz-never", word}},
			}, streamed)
			if want := full[:strings.Index(full, word)]; err != nil || text != want || finish != "stop" {
				t.Errorf("%s streamed=%v stop %q: %v, %q (%s), want %q", dep, streamed, word, err, text, finish, want)
			}
		}
	}
}

// What the router leaves out for a request with reasoning is named in the
// route header too: the reasoning controls for a model that cannot reason,
// and the sampling hints Claude's thinking does not take.
func TestDroppedReasoningControlsAreNamed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, tt := range []struct {
		model, want string
	}{
		{"gpt-4o", "; dropped=reasoning"},
		{"claude-sonnet-4-5", "; dropped=temperature,top_p"},
		{"gemini-2.5-flash", "; attempt=1"}, // thinks by its model id: nothing dropped
	} {
		text, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
			Model: tt.model, ReasoningEffort: openai.ReasoningEffortHigh,
			Temperature: openai.Float(0.3), TopP: openai.Float(0.5),
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(proof)},
		}, false)
		if err != nil {
			t.Fatalf("%s: %v", tt.model, err)
		}
		if route := h.Get("x-switchyard-route"); text == "" || !strings.HasSuffix(route, tt.want) {
			t.Errorf("%s: route %q, want it to end %q", tt.model, route, tt.want)
		}
	}
}

// Gemini 2.5 and later refuse presencePenalty and frequencyPenalty
// ("Penalty is not enabled for models/gemini-2.5-flash"), which OpenAI
// clients often set: the adapter leaves them out, as sampling hints, and
// x-switchyard-route names them dropped, whether the request names the
// deployment or reaches it through a route.
func TestPenaltiesDroppedForGemini(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, model := range []string{"gemini-2.5-flash", "gemini-2.5-pro"} {
		var resp *http.Response
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: model,
			PresencePenalty: openai.Float(0.5), FrequencyPenalty: openai.Float(0.3),
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there")}}, option.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if r := resp.Header.Get("x-switchyard-route"); !strings.HasSuffix(r, "; dropped=presence_penalty,frequency_penalty") {
			t.Errorf("%s: x-switchyard-route %q does not name the penalties dropped", model, r)
		}
	}
}

// Chat Completions fields the router does not model reach OpenAI and Azure
// deployments as sent, and no other kind: a Claude or Gemini deployment
// answers without them, and x-switchyard-route names those that shape the
// answer (logit_bias, service_tier…) as dropped, in key order; both run
// web_search_options as their own web search. Bookkeeping fields (store, metadata, prompt_cache_key…) change
// no answer and are not named.
func TestUnmodeledFieldsNamedDropped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, tt := range []struct{ model, want string }{
		{"claude-haiku-4-5", "; dropped=logit_bias"},              // its web search runs web_search_options
		{"gemini-2.5-flash", "; dropped=logit_bias,service_tier"}, // as googleSearch
		{"gpt-4o-mini", ""},
	} {
		var resp *http.Response
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: tt.model,
			Messages:    []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there")},
			LogitBias:   map[string]int64{"50256": -100},
			Store:       openai.Bool(true),
			Metadata:    shared.Metadata{"team": "a"},
			ServiceTier: openai.ChatCompletionNewParamsServiceTierDefault,
		}, option.WithResponseInto(&resp), option.WithJSONSet("web_search_options", map[string]any{}))
		if err != nil {
			t.Fatalf("%s: %v", tt.model, err)
		}
		r := resp.Header.Get("x-switchyard-route")
		if tt.want == "" && strings.Contains(r, "dropped=") || tt.want != "" && !strings.HasSuffix(r, tt.want) {
			t.Errorf("%s: x-switchyard-route %q, want it to end %q", tt.model, r, tt.want)
		}
	}
}
