package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// newToolsEffortEnv is a router in front of an OpenAI simulator serving
// gpt-5.6-terra and gpt-6-sol (which refuse function tools on Chat
// Completions unless at reasoning_effort none, as OpenAI does), behind a
// tap: deployments "terra" and "sol" with api unset (auto),
// "terra-chat" with api chat_completions; route "chat-only" holds
// terra-chat alone.
func newToolsEffortEnv(t *testing.T) (*env, *tap) {
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(
		sim.Profile{Model: "gpt-5.6-terra", Reasoning: true}, sim.Profile{Model: "gpt-6-sol", Reasoning: true}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["openai-next"] = &config.Provider{Name: "openai-next", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["terra"] = &config.Deployment{Name: "terra", Provider: "openai-next", Model: "gpt-5.6-terra"}
		c.Deployments["sol"] = &config.Deployment{Name: "sol", Provider: "openai-next", Model: "gpt-6-sol"}
		c.Deployments["terra-chat"] = &config.Deployment{Name: "terra-chat", Provider: "openai-next", Model: "gpt-5.6-terra", API: config.APIChatCompletions}
		c.Routes["chat-only"] = &config.Route{Name: "chat-only", Deployments: []string{"terra-chat"}}
	})
	return e, tp
}

// lastPath is the path of the tap's last upstream request.
func (tp *tap) lastPath(t *testing.T) string {
	t.Helper()
	reqs := tp.requests()
	if len(reqs) == 0 {
		t.Fatal("no upstream request")
	}
	return reqs[len(reqs)-1].path
}

// An openai-go Chat Completions client's function tools on an api auto
// gpt-5.6-terra deployment, at the model's default effort (none asked)
// and at high, reach the Responses API — the one the model takes them on
// — (x-switchyard-route says api=responses), and the SDK gets its tool
// call, complete and streamed.
func TestToolsEffortChatClientOnResponses(t *testing.T) {
	t.Parallel()
	e, tp := newToolsEffortEnv(t)
	for _, effort := range []shared.ReasoningEffort{"", shared.ReasoningEffortHigh} {
		params := openai.ChatCompletionNewParams{Model: "terra", ReasoningEffort: effort,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("call get_weather for Oslo")},
			Tools:    []openai.ChatCompletionToolUnionParam{weatherTool}}
		var hr *http.Response
		resp, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr))
		if err != nil {
			t.Fatalf("effort %q: %v", effort, err)
		}
		if got := hr.Header.Get("x-switchyard-route"); !strings.Contains(got, "deployment=terra; api=responses") {
			t.Errorf("effort %q: x-switchyard-route %q", effort, got)
		}
		if got := tp.lastPath(t); got != "/v1/responses" {
			t.Errorf("effort %q: upstream %s, want /v1/responses", effort, got)
		}
		body := tp.lastBody(t, "/v1/responses")
		if !strings.Contains(string(body["tools"]), `"name":"get_weather"`) || effort != "" && !strings.Contains(string(body["reasoning"]), `"effort":"high"`) {
			t.Errorf("effort %q: upstream tools %s reasoning %s", effort, body["tools"], body["reasoning"])
		}
		if resp.Choices[0].FinishReason != "tool_calls" || len(resp.Choices[0].Message.ToolCalls) != 1 || resp.Choices[0].Message.ToolCalls[0].Function.Name != "get_weather" {
			t.Errorf("effort %q: answer %+v", effort, resp.Choices[0])
		}
		stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
		acc := openai.ChatCompletionAccumulator{}
		for stream.Next() {
			acc.AddChunk(stream.Current())
		}
		if err := stream.Err(); err != nil {
			t.Fatal(err)
		}
		stream.Close()
		if len(acc.Choices) != 1 || len(acc.Choices[0].Message.ToolCalls) != 1 || acc.Choices[0].Message.ToolCalls[0].ID == "" {
			t.Errorf("effort %q: streamed %+v", effort, acc.ChatCompletion)
		}
		if got := tp.lastPath(t); got != "/v1/responses" {
			t.Errorf("effort %q, streamed: upstream %s", effort, got)
		}
	}
}

// At reasoning_effort none the same request stays on Chat Completions,
// which takes the tools there, and gets its tool call.
func TestToolsEffortNoneStaysOnChat(t *testing.T) {
	t.Parallel()
	e, tp := newToolsEffortEnv(t)
	resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "sol", ReasoningEffort: shared.ReasoningEffortNone,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("call get_weather for Oslo")},
		Tools:    []openai.ChatCompletionToolUnionParam{weatherTool}})
	if err != nil {
		t.Fatal(err)
	}
	if got := tp.lastPath(t); got != "/v1/chat/completions" {
		t.Errorf("upstream %s, want /v1/chat/completions", got)
	}
	if got := string(tp.lastBody(t, "/v1/chat/completions")["reasoning_effort"]); got != `"none"` {
		t.Errorf("reasoning_effort sent %s", got)
	}
	if len(resp.Choices[0].Message.ToolCalls) != 1 {
		t.Errorf("answer %+v", resp.Choices[0])
	}
}

// An Anthropic SDK client's tools on gpt-6-sol (api auto), without
// thinking (the model's default effort) and with a thinking budget (an
// effort), go to the Responses API; the client gets its tool_use,
// complete and streamed.
func TestToolsEffortAnthropicClient(t *testing.T) {
	t.Parallel()
	e, tp := newToolsEffortEnv(t)
	c := anthropicClient(e, "demo-key")
	params := userMessage("sol", "Use get_weather for Oslo.", 4096)
	params.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "get_weather",
		InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}, Required: []string{"city"}}}}}
	for _, thinking := range []bool{false, true} {
		if thinking {
			params.Thinking = sdk.ThinkingConfigParamOfEnabled(2048)
		}
		for _, streamed := range []bool{false, true} {
			msg := anthropicAsk(t, c, params, streamed)
			if msg.StopReason != sdk.StopReasonToolUse || msg.Content[len(msg.Content)-1].Type != "tool_use" || msg.Content[len(msg.Content)-1].Name != "get_weather" {
				t.Errorf("thinking %v streamed %v: %+v", thinking, streamed, msg.Content)
			}
			if got := tp.lastPath(t); got != "/v1/responses" {
				t.Errorf("thinking %v streamed %v: upstream %s", thinking, streamed, got)
			}
		}
	}
	if got := string(tp.lastBody(t, "/v1/responses")["reasoning"]); !strings.Contains(got, `"effort":"low"`) {
		t.Errorf("a 2048-token budget sent as %s, want effort low", got)
	}
}

// A route whose only deployment calls Chat Completions (api
// chat_completions) cannot serve function tools at gpt-5.6-terra's
// default effort: a 400 at reasoning_effort naming the deployment and
// why, before any upstream call; at effort none it serves them there.
func TestToolsEffortChatOnlyRoute(t *testing.T) {
	t.Parallel()
	e, tp := newToolsEffortEnv(t)
	params := openai.ChatCompletionNewParams{Model: "chat-only",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("call get_weather for Oslo")},
		Tools:    []openai.ChatCompletionToolUnionParam{weatherTool}}
	_, err := e.Client.Chat.Completions.New(ctxT(t), params)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Param != "reasoning_effort" ||
		!strings.Contains(apiErr.Message, "terra-chat serves model gpt-5.6-terra, which OpenAI refuses function tools on Chat Completions") ||
		!strings.Contains(apiErr.Message, "api chat_completions") {
		t.Fatalf("err = %v", err)
	}
	if n := len(tp.requests()); n != 0 {
		t.Errorf("%d upstream requests, want none", n)
	}
	params.ReasoningEffort = shared.ReasoningEffortNone
	var hr *http.Response
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr)); err != nil {
		t.Fatal(err)
	}
	if hr.Header.Get("x-switchyard-deployment") != "terra-chat" || tp.lastPath(t) != "/v1/chat/completions" || strings.Contains(hr.Header.Get("x-switchyard-route"), "api=responses") {
		t.Errorf("effort none: deployment %s upstream %s", hr.Header.Get("x-switchyard-deployment"), tp.lastPath(t))
	}
}

// POST /v1/route explains the choice: for function tools at gpt-5.6's
// default effort, terra (api auto) is a candidate called on the Responses
// API (responses_api).
func TestToolsEffortExplained(t *testing.T) {
	t.Parallel()
	e, _ := newToolsEffortEnv(t)
	body := `{"model":"terra","messages":[{"role":"user","content":"call get_weather for Oslo"}],` +
		`"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{}}}}]}`
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, e.URL+"/v1/route", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer demo-key")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var plan struct {
		Tiers []struct {
			Candidates []struct {
				Deployment   string `json:"deployment"`
				ResponsesAPI bool   `json:"responses_api"`
			} `json:"candidates"`
		} `json:"tiers"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&plan); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	if len(plan.Tiers) == 0 || plan.Tiers[0].Candidates[0].Deployment != "terra" || !plan.Tiers[0].Candidates[0].ResponsesAPI {
		t.Errorf("plan %+v", plan)
	}
}

// A Responses API client's function tools go the same way: to gpt-5.6's
// Responses API through an api auto deployment; on the chat-only route a
// 400 at reasoning.effort (the Responses API's name of the field).
func TestToolsEffortResponsesClient(t *testing.T) {
	t.Parallel()
	e, tp := newToolsEffortEnv(t)
	params := responses.ResponseNewParams{Model: "terra", Tools: []responses.ToolUnionParam{responsesWeather}, Store: openai.Bool(false),
		Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("Use get_weather for Oslo.")}}
	resp, err := e.Client.Responses.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	if got := tp.lastPath(t); got != "/v1/responses" {
		t.Errorf("upstream %s", got)
	}
	if len(resp.Output) == 0 || resp.Output[len(resp.Output)-1].Type != "function_call" {
		t.Errorf("output %+v", resp.Output)
	}
	params.Model = "chat-only"
	_, err = e.Client.Responses.New(ctxT(t), params)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Param != "reasoning.effort" {
		t.Fatalf("chat-only: %v", err)
	}
}
