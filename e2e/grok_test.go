package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// withGrok adds an openai provider simulating xAI's Grok models behind a
// tap (grok-4.3 with the reasoning dial, grok-4-1-fast-reasoning without
// it, grok-4.20-0309-non-reasoning, which takes stop), none declaring a
// capability, and a route preferring grok-4.3 to the non-reasoning one.
func withGrok(t *testing.T) (func(*config.Config), *tap) {
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(
		sim.Profile{Model: "grok-4.3", Reasoning: true, MaxOutputTokens: 65536},
		sim.Profile{Model: "grok-4-1-fast-reasoning", Reasoning: true, MaxOutputTokens: 30000},
		sim.Profile{Model: "grok-4.20-0309-non-reasoning", MaxOutputTokens: 30000},
	), nil)))
	t.Cleanup(srv.Close)
	return func(cfg *config.Config) {
		cfg.Providers["xai"] = &config.Provider{Name: "xai", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sim-key"}
		for _, m := range []string{"grok-4.3", "grok-4-1-fast-reasoning", "grok-4.20-0309-non-reasoning"} {
			cfg.Deployments[m] = &config.Deployment{Name: m, Provider: "xai", Model: m, Price: config.Price{Input: 1.25, Output: 2.5}}
		}
		cfg.Routes["grok"] = &config.Route{Name: "grok", Deployments: []string{"grok-4.3", "grok-4.20-0309-non-reasoning"},
			Policy: config.Policy{Strategy: config.StrategyOrdered}}
	}, tp
}

// An OpenAI client's presence_penalty 0 and reasoning_effort high reach a
// Grok deployment as it takes them: the penalty, which every current Grok
// refuses, is left out; the effort goes to grok-4.3, which has the dial,
// and is left out for grok-4-1-fast-reasoning, which reasons without it;
// the route header names what was left out. Complete and streamed.
func TestGrokRefusedParamsDropped(t *testing.T) {
	t.Parallel()
	edit, tp := withGrok(t)
	e := newEnv(t, edit)
	for _, tt := range []struct {
		model, effort, dropped string
	}{
		{"grok-4.3", `"high"`, "; dropped=presence_penalty"},
		{"grok-4-1-fast-reasoning", "", "; dropped=reasoning_effort,presence_penalty"},
	} {
		for _, streamed := range []bool{false, true} {
			text, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
				Model: tt.model, PresencePenalty: openai.Float(0), ReasoningEffort: openai.ReasoningEffortHigh,
				Temperature: openai.Float(0.7), MaxTokens: openai.Int(300),
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(proof)},
			}, streamed)
			if err != nil {
				t.Fatalf("%s streamed=%v: %v", tt.model, streamed, err)
			}
			if route := h.Get("x-switchyard-route"); text == "" || h.Get("x-switchyard-deployment") != tt.model || !strings.HasSuffix(route, tt.dropped) {
				t.Errorf("%s streamed=%v: served by %q, route %q, text %q", tt.model, streamed, h.Get("x-switchyard-deployment"), route, text)
			}
			body := tp.lastBody(t, "/chat/completions")
			if _, ok := body["presence_penalty"]; ok {
				t.Errorf("%s: presence_penalty sent: %s", tt.model, body["presence_penalty"])
			}
			if got := string(body["reasoning_effort"]); got != tt.effort {
				t.Errorf("%s: reasoning_effort %q sent, want %q", tt.model, got, tt.effort)
			}
			if string(body["temperature"]) != "0.7" || string(body["max_tokens"]) != "300" {
				t.Errorf("%s: temperature %s, max_tokens %s: Grok takes them", tt.model, body["temperature"], body["max_tokens"])
			}
		}
	}
}

// stop, which Grok's reasoning models refuse and the router cannot drop
// (the answer would run on), sends a route past grok-4.3 to
// grok-4.20-0309-non-reasoning, which takes it and ends its answer there;
// grok-4.3 named with stop is the router's 400 on stop, never xAI's.
func TestGrokStopRoutesAway(t *testing.T) {
	t.Parallel()
	edit, tp := withGrok(t)
	e := newEnv(t, edit)
	ask := func(model string, stop []string) (string, string, http.Header, error) {
		p := openai.ChatCompletionNewParams{Model: model, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(proof)}}
		if stop != nil {
			p.Stop = openai.ChatCompletionNewParamsStopUnion{OfStringArray: stop}
		}
		return chatWith(t, e, p, false)
	}
	_, _, h, err := ask("grok", nil)
	if err != nil || h.Get("x-switchyard-deployment") != "grok-4.3" {
		t.Fatalf("without stop: %v, served by %q", err, h.Get("x-switchyard-deployment"))
	}
	full, _, _, err := ask("grok-4.20-0309-non-reasoning", nil)
	if err != nil || len(strings.Fields(full)) < 6 {
		t.Fatalf("grok-4.20-0309-non-reasoning: %v, %q", err, full)
	}
	word := strings.Fields(full)[4]
	text, finish, h, err := ask("grok", []string{word})
	if err != nil || h.Get("x-switchyard-deployment") != "grok-4.20-0309-non-reasoning" || text != full[:strings.Index(full, word)] || finish != "stop" {
		t.Errorf("with stop %q: %v, served by %q, %q (%s)", word, err, h.Get("x-switchyard-deployment"), text, finish)
	}
	var stopSent []string
	if err := json.Unmarshal(tp.lastBody(t, "/chat/completions")["stop"], &stopSent); err != nil || len(stopSent) != 1 || stopSent[0] != word {
		t.Errorf("stop sent as %q (%v)", stopSent, err)
	}
	sent := len(tp.requests())
	_, _, _, err = ask("grok-4.3", []string{word})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "stop" || !strings.Contains(apiErr.Message, "grok-4.3, which does not take 'stop'") {
		t.Errorf("grok-4.3 with stop: want the router's 400 on stop, got %v", err)
	}
	if len(tp.requests()) != sent {
		t.Error("a request with stop reached grok-4.3")
	}
}

// An Anthropic client's extended thinking reaches Grok as its effort
// where the model has the dial (a 2048-token budget is low on grok-4.3)
// and is left out, named in the route header, where the model reasons
// without it (grok-4-1-fast-reasoning), which answers rather than 400.
func TestGrokThinkingFromAnthropicClient(t *testing.T) {
	t.Parallel()
	edit, tp := withGrok(t)
	e := newEnv(t, edit)
	c := anthropicClient(e, "demo-key")
	for _, tt := range []struct {
		model, effort, dropped string
	}{
		{"grok-4.3", `"low"`, "; attempt=1"},
		{"grok-4-1-fast-reasoning", "", "; dropped=reasoning_effort"},
	} {
		params := userMessage(tt.model, "Is 91 prime?", 4096)
		params.Thinking = sdk.ThinkingConfigParamOfEnabled(2048)
		var resp *http.Response
		msg, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("%s: %v", tt.model, err)
		}
		if len(msg.Content) == 0 || !strings.HasSuffix(resp.Header.Get("x-switchyard-route"), tt.dropped) {
			t.Errorf("%s: route %q, content %+v", tt.model, resp.Header.Get("x-switchyard-route"), msg.Content)
		}
		body := tp.lastBody(t, "/chat/completions")
		if got := string(body["reasoning_effort"]); got != tt.effort {
			t.Errorf("%s: reasoning_effort %q sent, want %q", tt.model, got, tt.effort)
		}
	}
}
