package e2e

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/anthropics/anthropic-sdk-go/v2/packages/ssestream"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
)

// The official Anthropic Go SDK, pointed at the router, must work as
// against api.anthropic.com, whatever wire format the deployment that
// answers speaks.

func anthropicClient(e *env, key string, opts ...sdkoption.RequestOption) sdk.Client {
	return sdk.NewClient(append([]sdkoption.RequestOption{sdkoption.WithBaseURL(e.URL), sdkoption.WithAPIKey(key), sdkoption.WithMaxRetries(0)}, opts...)...)
}

func userMessage(model, prompt string, maxTokens int64) sdk.MessageNewParams {
	return sdk.MessageNewParams{
		Model: sdk.Model(model), MaxTokens: maxTokens,
		Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock(prompt))},
	}
}

func TestAnthropicSDKEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			params := userMessage(dep, "What is the capital of France?", 200)
			params.System = []sdk.TextBlockParam{{Text: "You are terse."}}
			var resp *http.Response
			msg, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(msg.ID, "msg_") || msg.Role != "assistant" || msg.Type != "message" {
				t.Errorf("message %+v", msg)
			}
			if msg.StopReason != sdk.StopReasonEndTurn || len(msg.Content) != 1 || msg.Content[0].Type != "text" || msg.Content[0].Text == "" {
				t.Errorf("content %+v, stop %q", msg.Content, msg.StopReason)
			}
			if msg.Usage.InputTokens == 0 || msg.Usage.OutputTokens == 0 || msg.Model == "" {
				t.Errorf("usage %+v, model %q", msg.Usage, msg.Model)
			}
			h := resp.Header
			if h.Get("x-switchyard-deployment") != dep || h.Get("request-id") == "" || h.Get("request-id") != h.Get("x-switchyard-request-id") {
				t.Errorf("headers: deployment %q request-id %q x-switchyard-request-id %q", h.Get("x-switchyard-deployment"), h.Get("request-id"), h.Get("x-switchyard-request-id"))
			}
			if h.Get("x-switchyard-cost-usd") == "" {
				t.Error("no x-switchyard-cost-usd")
			}
		})
	}
}

func TestAnthropicSDKStreamEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, dep := range append(chatDeployments, "gpt-5.3-codex") {
		t.Run(dep, func(t *testing.T) {
			stream := c.Messages.NewStreaming(ctxT(t), userMessage(dep, "Write a few sentences about trains.", 300))
			defer stream.Close()
			var acc sdk.Message
			var text string
			var startInput int64
			types := map[string]int{}
			for stream.Next() {
				ev := stream.Current()
				types[ev.Type]++
				if ev.Type == "message_start" {
					startInput = ev.Message.Usage.InputTokens
				}
				if err := acc.Accumulate(ev); err != nil {
					t.Fatal(err)
				}
				if ev.Type == "content_block_delta" && ev.Delta.Type == "text_delta" {
					text += ev.Delta.Text
				}
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"} {
				if types[want] == 0 {
					t.Errorf("no %s event (%v)", want, types)
				}
			}
			if types["message_start"] != 1 || types["message_stop"] != 1 || types["content_block_delta"] < 2 {
				t.Errorf("events %v", types)
			}
			if text == "" || acc.StopReason != sdk.StopReasonEndTurn || len(acc.Content) != 1 || acc.Content[0].Text != text {
				t.Errorf("text %q, accumulated %+v", text, acc)
			}
			if acc.Usage.InputTokens == 0 || acc.Usage.OutputTokens == 0 {
				t.Errorf("accumulated usage %+v", acc.Usage)
			}
			// Clients such as Claude Code read the prompt's size from
			// message_start (context display, auto-compaction): it holds
			// Claude's own count when Claude reports it there, else the
			// router's estimate, and message_delta the upstream's count.
			if in := acc.Usage.InputTokens; dep == "claude-haiku-4-5" && startInput != in {
				t.Errorf("message_start input_tokens %d from a Claude upstream, final %d: want Claude's own count", startInput, in)
			} else if startInput < in/2 || startInput > 2*in+8 {
				t.Errorf("message_start input_tokens %d, final %d: want an estimate near it", startInput, in)
			}
		})
	}
}

func anthropicWeatherTool() sdk.ToolUnionParam {
	return sdk.ToolUnionParamOfTool(sdk.ToolInputSchemaParam{Properties: map[string]any{
		"location": map[string]any{"type": "string"},
	}, Required: []string{"location"}}, "get_weather")
}

// A tool call round trip, complete and streamed, on an OpenAI deployment
// and on the Anthropic one: the tool_use block's input is an object the
// SDK decodes, and the SDK's own ToParam and tool_result send it back.
func TestAnthropicSDKToolUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, dep := range []string{"gpt-4o-mini", "gpt-5.3-codex", "claude-haiku-4-5", "gemini-2.5-flash"} {
		for _, streamed := range []bool{false, true} {
			name := dep + map[bool]string{false: "/complete", true: "/stream"}[streamed]
			t.Run(name, func(t *testing.T) {
				params := userMessage(dep, "What is the weather in Paris?", 256)
				params.Tools = []sdk.ToolUnionParam{anthropicWeatherTool()}
				params.ToolChoice = sdk.ToolChoiceUnionParam{OfAny: &sdk.ToolChoiceAnyParam{}}
				msg := anthropicAsk(t, c, params, streamed)
				if msg.StopReason != sdk.StopReasonToolUse {
					t.Fatalf("stop %q, content %+v", msg.StopReason, msg.Content)
				}
				use := toolUseOf(msg)
				if use == nil || use.Name != "get_weather" || use.ID == "" || !bytes.Contains(use.Input, []byte(`"location"`)) {
					t.Fatalf("no tool_use block with a location: %+v", msg.Content)
				}
				answerToolUse(t, c, params, msg, use.ID, "18 degrees and sunny", streamed)
			})
		}
	}
}

// accumulateMessage reads an Anthropic stream to its end into one message (the SDK's
// Message.Accumulate), failing t on an error, and closes it.
func accumulateMessage(t *testing.T, stream *ssestream.Stream[sdk.MessageStreamEventUnion]) sdk.Message {
	t.Helper()
	defer stream.Close()
	var acc sdk.Message
	for stream.Next() {
		if err := acc.Accumulate(stream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	return acc
}

// answerToolUse sends params continued by msg, a tool_use turn, and the
// result of its call id, and checks that the model then answers.
func answerToolUse(t *testing.T, c sdk.Client, params sdk.MessageNewParams, msg sdk.Message, id, result string, streamed bool) {
	t.Helper()
	params.ToolChoice = sdk.ToolChoiceUnionParam{}
	params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewToolResultBlock(id, result, false)))
	msg = anthropicAsk(t, c, params, streamed)
	if msg.StopReason != sdk.StopReasonEndTurn || len(msg.Content) == 0 || msg.Content[0].Text == "" {
		t.Errorf("answer after the tool result: %+v", msg)
	}
}

// anthropicAsk sends params, streamed (accumulated with the SDK's
// Message.Accumulate) or not, and returns the message.
func anthropicAsk(t *testing.T, c sdk.Client, params sdk.MessageNewParams, streamed bool) sdk.Message {
	t.Helper()
	if !streamed {
		msg, err := c.Messages.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		return *msg
	}
	stream := c.Messages.NewStreaming(ctxT(t), params)
	defer stream.Close()
	acc := accumulateMessage(t, stream)
	return acc
}

func TestAnthropicSDKErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: "sk-team-secret"}}
	})
	c := anthropicClient(e, "sk-team-secret")
	tests := []struct {
		name   string
		params sdk.MessageNewParams
		client sdk.Client
		status int
		typ    string
	}{
		{"unknown model", userMessage("no-such-model", "Hi", 10), c, 404, "not_found_error"},
		{"max_tokens 0", userMessage("auto", "Hi", 0), c, 400, "invalid_request_error"},
		{"temperature out of range", userMessage("auto", "Hi", 10), anthropicClient(e, "sk-team-secret", sdkoption.WithJSONSet("temperature", 1.5)), 400, "invalid_request_error"},
		{"bad key", userMessage("auto", "Hi", 10), anthropicClient(e, "sk-wrong"), 401, "authentication_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, streamed := range []bool{false, true} {
				var err error
				if streamed {
					stream := tt.client.Messages.NewStreaming(ctxT(t), tt.params)
					for stream.Next() {
					}
					err = stream.Err()
					stream.Close()
				} else {
					_, err = tt.client.Messages.New(ctxT(t), tt.params)
				}
				var apiErr *sdk.Error
				if !errors.As(err, &apiErr) {
					t.Fatalf("streamed=%v: err %v, want an *anthropic.Error", streamed, err)
				}
				if apiErr.StatusCode != tt.status || string(apiErr.Type()) != tt.typ || !strings.HasPrefix(apiErr.RequestID, "req_") {
					t.Errorf("streamed=%v: status %d type %q request id %q (%v)", streamed, apiErr.StatusCode, apiErr.Type(), apiErr.RequestID, err)
				}
			}
		})
	}
}

// A stream cut after it began reaches the SDK as an error (an error
// event, no message_stop), and is recorded as a failed stream.
func TestAnthropicCutStreamIsAnError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		for _, d := range c.Deployments {
			d.Continuation = "none"
		}
	})
	c := anthropicClient(e, "demo-key")
	for _, dep := range []string{"gpt-4o-mini", "claude-haiku-4-5"} {
		stream := c.Messages.NewStreaming(ctxT(t), userMessage(dep, "Tell me a long story [[sim:cut]]", 500))
		n := 0
		for stream.Next() {
			n++
		}
		stream.Close()
		if stream.Err() == nil || n == 0 {
			t.Errorf("%s: stream of %d events ended with %v, want an error after the start", dep, n, stream.Err())
		}
		resp, body := postH(t, e.URL+"/v1/messages", anthropicBody(dep, "Tell me a long story [[sim:cut]]", true), map[string]string{"x-api-key": "k"})
		if resp.StatusCode != 200 || bytes.Contains(body, []byte("message_stop")) || !bytes.Contains(body, []byte("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":")) {
			t.Errorf("%s: raw stream: status %d body %s", dep, resp.StatusCode, body)
		}
	}
	failed := 0
	for _, r := range e.recorded(t, 4) {
		if r.StreamFailed {
			failed++
		}
	}
	if failed != 4 {
		t.Errorf("%d stream failures recorded, want 4", failed)
	}
}

func anthropicBody(model, prompt string, stream bool) []byte {
	return []byte(`{"model":"` + model + `","max_tokens":500,"stream":` + map[bool]string{false: "false", true: "true"}[stream] +
		`,"messages":[{"role":"user","content":"` + prompt + `"}]}`)
}

// The same prompt through the Anthropic and the OpenAI endpoints gets the
// same routing decision: the same category and confidence, rule, tier and
// deployment. A route's weighted split draws from the request id, so on
// a route with a split the pick is left out of the comparison.
func TestAnthropicRoutingMatchesOpenAI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for cat, prompts := range categoryPrompts {
		for _, prompt := range prompts {
			var aResp, oResp *http.Response
			if _, err := c.Messages.New(ctxT(t), userMessage("auto", prompt, 300), sdkoption.WithResponseInto(&aResp)); err != nil {
				t.Fatalf("%s %q: anthropic: %v", cat, prompt, err)
			}
			if _, err := e.Client.Chat.Completions.New(ctxT(t), userChat("auto", prompt), option.WithResponseInto(&oResp)); err != nil {
				t.Fatalf("%s %q: openai: %v", cat, prompt, err)
			}
			a, o := aResp.Header.Get("x-switchyard-route"), oResp.Header.Get("x-switchyard-route")
			if da, do := decisionOf(a), decisionOf(o); da != do || da == "" {
				t.Errorf("%s %q: x-switchyard-route: anthropic %q, openai %q", cat, prompt, a, o)
			}
			if !strings.Contains(a, "split=") && aResp.Header.Get("x-switchyard-deployment") != oResp.Header.Get("x-switchyard-deployment") {
				t.Errorf("%s %q: deployments differ", cat, prompt)
			}
		}
	}
}

func TestAnthropicCountTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	short, err := c.Messages.CountTokens(ctxT(t), sdk.MessageCountTokensParams{Model: "auto",
		Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Hi"))}})
	if err != nil {
		t.Fatal(err)
	}
	long, err := c.Messages.CountTokens(ctxT(t), sdk.MessageCountTokensParams{Model: "auto",
		System:   sdk.MessageCountTokensParamsSystemUnion{OfString: sdk.String("You are a careful assistant who answers in full sentences.")},
		Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 20)))}})
	if err != nil {
		t.Fatal(err)
	}
	if short.InputTokens <= 0 || long.InputTokens < short.InputTokens+180 {
		t.Errorf("count_tokens: short %d, long %d", short.InputTokens, long.InputTokens)
	}
}

// decisionOf is an x-switchyard-route value without the weighted split's
// pick (the split and deployment fields) when the route has a split.
func decisionOf(route string) string {
	if !strings.Contains(route, "split=") {
		return route
	}
	var kept []string
	for _, f := range strings.Split(route, "; ") {
		if !strings.HasPrefix(f, "split=") && !strings.HasPrefix(f, "deployment=") {
			kept = append(kept, f)
		}
	}
	return strings.Join(kept, "; ")
}

// The model list answers the Anthropic SDK in its shape (it sends
// anthropic-version) and the OpenAI SDK in OpenAI's, on the same path.
// A stop at one of stop_sequences reads stop_sequence with the sequence
// when the deployment says which matched (an Anthropic one), complete or
// streamed; an OpenAI deployment, whose API does not say, reads end_turn.
func TestAnthropicStopSequence(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, tt := range []struct {
		dep, reason, seq string
	}{{"claude-haiku-4-5", "stop_sequence", "answering"}, {"gpt-4o-mini", "end_turn", ""}} {
		for _, streamed := range []bool{false, true} {
			params := userMessage(tt.dep, "What is the capital of France?", 200)
			params.StopSequences = []string{"answering"}
			msg := anthropicAsk(t, c, params, streamed)
			if string(msg.StopReason) != tt.reason || msg.StopSequence != tt.seq {
				t.Errorf("%s streamed=%v: stop_reason %q stop_sequence %q, want %q %q (text %q)", tt.dep, streamed, msg.StopReason, msg.StopSequence, tt.reason, tt.seq, msg.Content[0].Text)
			}
		}
	}
}

// A client that leaves a stream mid-answer is recorded as a canceled
// (abandoned) request, not a failed stream, as on the OpenAI endpoint.
func TestAnthropicStreamAbandoned(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultStall, Model: "gpt-4o-mini", Delay: time.Hour, After: 2, Count: 1})
	c := anthropicClient(e, "demo-key")
	ctx, cancel := context.WithCancel(ctxT(t))
	stream := c.Messages.NewStreaming(ctx, userMessage("gpt-4o-mini", "Tell me a long story about rivers.", 500))
	deltas := 0
	for deltas < 1 && stream.Next() {
		if stream.Current().Type == "content_block_delta" {
			deltas++
		}
	}
	if deltas == 0 {
		t.Fatalf("no delta before the stall: %v", stream.Err())
	}
	cancel() // the client leaves while the upstream stalls
	stream.Close()
	rec := e.recorded(t, 1)[0]
	if rec.ErrorKind != llm.KindCanceled || rec.StreamFailed || rec.Deployment != "gpt-4o-mini" {
		t.Errorf("record: error kind %q, stream failed %v, deployment %q", rec.ErrorKind, rec.StreamFailed, rec.Deployment)
	}
}
