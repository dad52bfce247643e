package e2e

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// OpenRouter's reasoning models write reasoning_details and want them
// back on the assistant messages of a tool loop; Gemini 3 there refuses
// a loop without them (400 "Provider returned error" … "Gemini models
// require OpenRouter reasoning details to be preserved in each
// request."). These tests run tool loops through the router on a kind
// openai deployment on the sim's OpenRouter path, which does both; the
// deployment says reasoning_details: send, the sim's URL not being
// openrouter.ai.

// openRouterEnv is a router with google/gemini-3-flash-preview on the
// sim's OpenRouter path ("openrouter-gemini") and gpt-4.1 on its OpenAI
// path ("compat"), tapped.
func openRouterEnv(t *testing.T) (*env, *tap) {
	t.Helper()
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "google/gemini-3-flash-preview", Reasoning: true}, sim.Profile{Model: "gpt-4.1"}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["openrouter"] = &config.Provider{Name: "openrouter", Kind: config.KindOpenAI, BaseURL: srv.URL + "/api/v1", APIKey: "sk-or-sim"}
		c.Providers["compat"] = &config.Provider{Name: "compat", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["openrouter-gemini"] = &config.Deployment{Name: "openrouter-gemini", Provider: "openrouter", Model: "google/gemini-3-flash-preview", ReasoningDetails: "send"}
		c.Deployments["compat"] = &config.Deployment{Name: "compat", Provider: "compat", Model: "gpt-4.1"}
	})
	return e, tp
}

// askDetails sends params, complete or streamed, and returns the answer
// with the reasoning_details the client read: the message's, or the
// deltas' pieces (the router sends the merged array once).
func askDetails(t *testing.T, e *env, params openai.ChatCompletionNewParams, stream bool) (*openai.ChatCompletion, string) {
	t.Helper()
	if !stream {
		got, err := e.Client.Chat.Completions.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		return got, got.Choices[0].Message.JSON.ExtraFields["reasoning_details"].Raw()
	}
	s := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
	var acc openai.ChatCompletionAccumulator
	details := ""
	for s.Next() {
		ch := s.Current()
		acc.AddChunk(ch)
		if len(ch.Choices) > 0 {
			if f, ok := ch.Choices[0].Delta.JSON.ExtraFields["reasoning_details"]; ok {
				details = f.Raw()
			}
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return &acc.ChatCompletion, details
}

// upstreamDetails returns the reasoning_details of each message of the
// last chat request to path ("" where a message has none).
func upstreamDetails(t *testing.T, tp *tap, path string) []string {
	t.Helper()
	var msgs []struct {
		Details json.RawMessage `json:"reasoning_details"`
	}
	if err := json.Unmarshal(tp.lastBody(t, path)["messages"], &msgs); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = string(m.Details)
	}
	return out
}

// An OpenAI client's tool loop on Gemini 3 through OpenRouter, complete
// and streamed: the client reads reasoning_details (the stream's pieces
// merged) beside the call; sent back by the client (OpenRouter's SDK
// shape) or dropped (openai-go's ToParam), they reach OpenRouter on the
// assistant message, holding the call's signature, and the second turn
// is answered. OpenAI's API, later in the same conversation, gets none.
func TestOpenRouterToolLoopKeepsReasoningDetails(t *testing.T) {
	t.Parallel()
	e, tp := openRouterEnv(t)
	cities := []string{"Oslo", "Bergen", "Tromso", "Bodo"}
	n := 0
	for _, stream := range []bool{false, true} {
		for _, sendsBack := range []bool{true, false} {
			params := openai.ChatCompletionNewParams{Model: "openrouter-gemini", Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Use get_weather for " + cities[n])}}
			n++
			first, details := askDetails(t, e, params, stream)
			calls := first.Choices[0].Message.ToolCalls
			if len(calls) != 1 {
				t.Fatalf("stream %v: calls %+v", stream, calls)
			}
			sig := simopenai.ThoughtSignature(calls[0].Function.Name, calls[0].Function.Arguments)
			if !strings.Contains(details, `"data":"`+sig+`"`) || !strings.Contains(details, `"text":"I should call get_weather."`) {
				t.Errorf("stream %v: the client read reasoning_details %s", stream, details)
			}
			asst := first.Choices[0].Message.ToAssistantMessageParam()
			if sendsBack {
				asst.SetExtraFields(map[string]any{"reasoning_details": json.RawMessage(details)})
			}
			params.Messages = append(params.Messages, openai.ChatCompletionMessageParamUnion{OfAssistant: &asst}, openai.ToolMessage(`{"temp_c": 4}`, calls[0].ID))
			second, _ := askDetails(t, e, params, stream)
			if second.Choices[0].Message.Content == "" {
				t.Errorf("stream %v, sent back %v: second turn %+v", stream, sendsBack, second.Choices[0].Message)
			}
			if got := upstreamDetails(t, tp, "/api/v1/chat/completions"); len(got) != 3 || !strings.Contains(got[1], sig) {
				t.Errorf("stream %v, sent back %v: upstream reasoning_details %q", stream, sendsBack, got)
			}
			if stream && sendsBack {
				params.Model = "compat"
				if _, err := e.Client.Chat.Completions.New(ctxT(t), params); err != nil {
					t.Fatalf("on OpenAI's API: %v", err)
				}
				if got := upstreamDetails(t, tp, "/v1/chat/completions"); len(got) != 3 || got[1] != "" {
					t.Errorf("OpenAI's API was sent reasoning_details %q", got)
				}
			}
		}
	}
}

// An Anthropic client's tool loop on the same deployment: the router
// kept the answer's reasoning_details behind its call and sends them
// back, complete and streamed.
func TestOpenRouterAnthropicToolLoop(t *testing.T) {
	t.Parallel()
	e, tp := openRouterEnv(t)
	c := anthropicClient(e, "demo-key")
	for _, streamed := range []bool{false, true} {
		use := anthropicWeatherLoop(t, c, "openrouter-gemini", streamed)
		sig := simopenai.ThoughtSignature(use.Name, string(use.Input))
		if got := upstreamDetails(t, tp, "/api/v1/chat/completions"); len(got) != 3 || !strings.Contains(got[1], sig) {
			t.Errorf("streamed %v: upstream reasoning_details %q", streamed, got)
		}
	}
}
