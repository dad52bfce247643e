package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/llm"
)

// The deployments of a model OpenAI serves only on the Responses API
// (gpt-5.5-pro: $30/M input, $180/M output in the catalog), called there
// by default; "pro-chat" forces Chat Completions on it.
func newResponsesUpstreamEnv(t *testing.T, edit ...func(*config.Config)) (*env, *tap) {
	return newTapEnv(t, func(c *config.Config) {
		c.Deployments["gpt-5.5-pro"] = &config.Deployment{Name: "gpt-5.5-pro", Provider: "openai", Model: "gpt-5.5-pro",
			Capabilities: []llm.Capability{"tools", "json_mode", "json_schema", "vision", "streaming", "reasoning"}}
		c.Deployments["pro-chat"] = &config.Deployment{Name: "pro-chat", Provider: "openai", Model: "gpt-5.5-pro", API: config.APIChatCompletions,
			Capabilities: []llm.Capability{"tools", "streaming", "reasoning"}}
		for _, f := range edit {
			f(c)
		}
	})
}

// proCost is the cost of usage on gpt-5.5-pro at its catalog price.
func proCost(input, output int64) float64 { return float64(input)*30/1e6 + float64(output)*180/1e6 }

// upstreamResponses reports whether the last upstream request went to
// /v1/responses (and none to /chat/completions).
func upstreamResponses(t *testing.T, tp *tap) {
	t.Helper()
	reqs := tp.requests()
	if len(reqs) == 0 || !strings.HasSuffix(reqs[len(reqs)-1].path, "/v1/responses") {
		t.Fatalf("upstream requests %v: want the last to /v1/responses", paths(reqs))
	}
	for _, r := range reqs {
		if strings.Contains(r.path, "/chat/completions") {
			t.Errorf("a request went to %s", r.path)
		}
	}
}

func paths(reqs []tapped) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.path)
	}
	return out
}

// TestResponsesUpstreamChatCompletions: an openai-go Chat Completions
// client asking for gpt-5.5-pro is served over the Responses API, plain,
// streamed (usage included) and with a JSON schema; the cost header is
// the usage at the model's price.
func TestResponsesUpstreamChatCompletions(t *testing.T) {
	t.Parallel()
	e, tp := newResponsesUpstreamEnv(t)
	var hr *http.Response
	got, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-5.5-pro",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.SystemMessage("Be brief."), openai.UserMessage("Why is the sky blue?")},
		Seed:     openai.Int(7), LogitBias: map[string]int64{"50256": -100}},
		option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	upstreamResponses(t, tp)
	body := tp.lastBody(t, "/v1/responses")
	if string(body["instructions"]) != `"Be brief."` || string(body["store"]) != "false" || string(body["include"]) != `["reasoning.encrypted_content"]` {
		t.Errorf("upstream body instructions %s store %s include %s", body["instructions"], body["store"], body["include"])
	}
	if got.Choices[0].Message.Content == "" || got.Choices[0].FinishReason != "stop" || got.Usage.CompletionTokensDetails.ReasoningTokens == 0 {
		t.Errorf("answer %s", got.RawJSON())
	}
	if hr.Header.Get("x-switchyard-deployment") != "gpt-5.5-pro" {
		t.Errorf("deployment %q", hr.Header.Get("x-switchyard-deployment"))
	}
	if route := hr.Header.Get("x-switchyard-route"); !strings.Contains(route, "logit_bias") || !strings.Contains(route, "seed") {
		t.Errorf("x-switchyard-route %q: want logit_bias and seed named dropped", route)
	}
	if _, ok := body["seed"]; ok {
		t.Error("seed sent to the Responses API")
	}
	wantCost(t, hr, proCost(got.Usage.PromptTokens, got.Usage.CompletionTokens))

	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-5.5-pro",
		Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Tell me about rivers.")},
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}})
	var acc openai.ChatCompletionAccumulator
	for stream.Next() {
		acc.AddChunk(stream.Current())
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if acc.Choices[0].Message.Content == "" || acc.Choices[0].FinishReason != "stop" || acc.Usage.PromptTokens == 0 || acc.Usage.CompletionTokens == 0 {
		t.Errorf("streamed answer %+v usage %+v", acc.Choices, acc.Usage)
	}
	upstreamResponses(t, tp)

	schema := map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}},
		"required": []string{"city"}, "additionalProperties": false}
	js, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-5.5-pro",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Name a city.")},
		ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
			JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: "city", Schema: schema, Strict: openai.Bool(true)}}}})
	if err != nil {
		t.Fatal(err)
	}
	var city struct{ City string }
	if err := json.Unmarshal([]byte(js.Choices[0].Message.Content), &city); err != nil {
		t.Errorf("answer %q is not the schema's JSON: %v", js.Choices[0].Message.Content, err)
	}
	if f := string(tp.lastBody(t, "/v1/responses")["text"]); !strings.Contains(f, `"format":{"type":"json_schema","name":"city"`) {
		t.Errorf("upstream text %s", f)
	}
}

// TestResponsesUpstreamToolLoop: an OpenAI Chat Completions client's tool
// loop with reasoning on gpt-5.5-pro. The client cannot send the
// reasoning back; the router keeps the first turn's reasoning item and
// the second turn carries it to the simulator, which verifies it is the
// one it issued (it refuses any other).
func TestResponsesUpstreamToolLoop(t *testing.T) {
	t.Parallel()
	e, tp := newResponsesUpstreamEnv(t)
	weather := openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{Name: "get_weather",
		Parameters: shared.FunctionParameters{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []string{"city"}}})
	msgs := []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Use get_weather for Paris.")}
	params := openai.ChatCompletionNewParams{Model: "gpt-5.5-pro", ReasoningEffort: shared.ReasoningEffortHigh,
		Tools: []openai.ChatCompletionToolUnionParam{weather}, Messages: msgs}
	first, err := e.Client.Chat.Completions.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	calls := first.Choices[0].Message.ToolCalls
	if len(calls) != 1 || first.Choices[0].FinishReason != "tool_calls" || strings.Contains(first.RawJSON(), "openai-reasoning") {
		t.Fatalf("first turn %s", first.RawJSON())
	}
	if string(tp.lastBody(t, "/v1/responses")["reasoning"]) != `{"effort":"high"}` {
		t.Errorf("upstream reasoning %s", tp.lastBody(t, "/v1/responses")["reasoning"])
	}
	params.Messages = append(msgs, first.Choices[0].Message.ToParam(), openai.ToolMessage(`{"temp_c":18}`, calls[0].ID))
	var hr *http.Response
	second, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if second.Choices[0].Message.Content == "" {
		t.Errorf("second turn %s", second.RawJSON())
	}
	var sent struct {
		Input []struct {
			Type             string `json:"type"`
			ID               string `json:"id"`
			EncryptedContent string `json:"encrypted_content"`
			CallID           string `json:"call_id"`
		} `json:"input"`
	}
	if err := json.Unmarshal(tp.requests()[len(tp.requests())-1].body, &sent); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, it := range sent.Input {
		kinds = append(kinds, it.Type)
	}
	if got := strings.Join(kinds, ","); got != "message,reasoning,function_call,function_call_output" {
		t.Fatalf("second turn input items %s", got)
	}
	if rs := sent.Input[1]; !strings.HasPrefix(rs.ID, "rs_") || !strings.HasPrefix(rs.EncryptedContent, "gAAAAAB") || sent.Input[2].CallID != calls[0].ID {
		t.Errorf("reasoning item sent back %+v, call %+v", rs, sent.Input[2])
	}
	wantCost(t, hr, proCost(second.Usage.PromptTokens, second.Usage.CompletionTokens))
}

// TestResponsesUpstreamResponsesClient: a stateless Responses API client
// (store false, include reasoning.encrypted_content) in a tool loop on
// gpt-5.5-pro gets OpenAI's reasoning item inside the router's sealed
// one, and sends it back: the upstream gets OpenAI's blob again.
func TestResponsesUpstreamResponsesClient(t *testing.T) {
	t.Parallel()
	e, tp := newResponsesUpstreamEnv(t, withSharedKey)
	input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Call get_weather for Lisbon, please.", responses.EasyInputMessageRoleUser)}
	params := responses.ResponseNewParams{Model: "gpt-5.5-pro", Tools: []responses.ToolUnionParam{responsesWeather},
		Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow},
		Include:   []responses.ResponseIncludable{responses.ResponseIncludableReasoningEncryptedContent},
		Store:     openai.Bool(false), Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
	first, err := e.Client.Responses.New(ctxT(t), params)
	if err != nil {
		var ae *openai.Error
		errors.As(err, &ae)
		t.Fatal(err, ae.RawJSON())
	}
	upstreamResponses(t, tp)
	if len(first.Output) != 2 || first.Output[0].Type != "reasoning" || first.Output[1].Type != "function_call" ||
		!strings.HasPrefix(first.Output[0].AsReasoning().EncryptedContent, "swy1.") {
		t.Fatalf("first turn %s", first.RawJSON())
	}
	rs, call := first.Output[0].AsReasoning().ToParam(), first.Output[1].AsFunctionCall().ToParam()
	params.Input.OfInputItemList = append(input, responses.ResponseInputItemUnionParam{OfReasoning: &rs}, responses.ResponseInputItemUnionParam{OfFunctionCall: &call},
		responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{CallID: openai.String(first.Output[1].CallID),
			Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temp_c": 21}`)}}})
	second, err := e.Client.Responses.New(ctxT(t), params)
	if err != nil {
		var ae *openai.Error
		errors.As(err, &ae)
		t.Fatal(err, ae.RawJSON(), string(tp.requests()[len(tp.requests())-1].body))
	}
	if second.Status != "completed" || second.OutputText() == "" {
		t.Errorf("second turn %s", second.RawJSON())
	}
	if in := string(tp.lastBody(t, "/v1/responses")["input"]); !strings.Contains(in, `"type":"reasoning"`) || !strings.Contains(in, `"encrypted_content":"gAAAAAB`) {
		t.Errorf("upstream input %s: want the simulator's reasoning back", in)
	}
}

// TestResponsesUpstreamAnthropicClient: an anthropic-sdk-go Messages
// client is served by gpt-5.5-pro over the Responses API, streamed and
// not.
func TestResponsesUpstreamAnthropicClient(t *testing.T) {
	t.Parallel()
	e, tp := newResponsesUpstreamEnv(t)
	c := anthropicClient(e, "demo-key")
	msg, err := c.Messages.New(ctxT(t), userMessage("gpt-5.5-pro", "Why is the sea salty?", 400))
	if err != nil {
		t.Fatal(err)
	}
	upstreamResponses(t, tp)
	if msg.StopReason != sdk.StopReasonEndTurn || len(msg.Content) == 0 || msg.Content[len(msg.Content)-1].Text == "" || msg.Usage.OutputTokens == 0 {
		t.Errorf("answer %s", msg.RawJSON())
	}
	if got := string(tp.lastBody(t, "/v1/responses")["max_output_tokens"]); got != "400" {
		t.Errorf("max_output_tokens %s", got)
	}
	stream := c.Messages.NewStreaming(ctxT(t), userMessage("gpt-5.5-pro", "Why is the sea salty?", 400))
	var acc sdk.Message
	for stream.Next() {
		if err := acc.Accumulate(stream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if acc.StopReason != sdk.StopReasonEndTurn || len(acc.Content) == 0 {
		t.Errorf("streamed answer %+v", acc)
	}
}

// TestResponsesOnlyModelForcedOnChatCompletions: a Responses-only model
// configured api: chat_completions gets OpenAI's refusal, mapped to a
// clear 404 the client sees at once, not a hang.
func TestResponsesOnlyModelForcedOnChatCompletions(t *testing.T) {
	t.Parallel()
	e, tp := newResponsesUpstreamEnv(t)
	_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "pro-chat",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hello")}})
	var ae *openai.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound || !strings.Contains(ae.Message, "only supported in v1/responses") {
		t.Fatalf("error %v", err)
	}
	if reqs := tp.requests(); len(reqs) != 1 || !strings.HasSuffix(reqs[0].path, "/v1/chat/completions") {
		t.Errorf("upstream requests %v", paths(reqs))
	}
}

// TestResponsesUpstreamAnthropicThinking: an Anthropic client thinking
// on gpt-5.5-pro in a tool loop (display shown: the reasoning summary is
// asked for) sees the summary as a thinking block without a signature and
// OpenAI's reasoning as a redacted_thinking block, and sends them back: the next turn to gpt-5.5-pro
// carries it as a reasoning item; the same conversation sent to Claude
// carries none of it (Claude would refuse it) and is answered, without
// thinking (Claude thinks in a tool loop only behind its own signed
// thinking).
func TestResponsesUpstreamAnthropicThinking(t *testing.T) {
	t.Parallel()
	e, tp := newResponsesUpstreamEnv(t)
	c := anthropicClient(e, "demo-key")
	params := userMessage("gpt-5.5-pro", "Use get_weather for Oslo.", 4096)
	params.Thinking = sdk.ThinkingConfigParamOfEnabled(2048)
	params.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "get_weather",
		InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}, Required: []string{"city"}}}}}
	msg := anthropicAsk(t, c, params, true)
	if len(msg.Content) < 3 || msg.Content[0].Type != "thinking" || !strings.HasPrefix(msg.Content[0].Thinking, "Reasoning about: Use get_weather") ||
		msg.Content[1].Type != "redacted_thinking" || !strings.HasPrefix(msg.Content[1].Data, "openai-reasoning:rs_") ||
		msg.Content[len(msg.Content)-1].Type != "tool_use" || msg.StopReason != sdk.StopReasonToolUse {
		t.Fatalf("first turn %+v", msg.Content)
	}
	if got := string(tp.lastBody(t, "/v1/responses")["reasoning"]); !strings.Contains(got, `"summary":"auto"`) {
		t.Errorf("reasoning sent upstream %s", got)
	}
	params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewToolResultBlock(msg.Content[len(msg.Content)-1].ID, "Snow, -3C", false)))
	if next := anthropicAsk(t, c, params, false); next.StopReason != sdk.StopReasonEndTurn {
		t.Errorf("second turn %+v", next.Content)
	}
	if in := string(tp.lastBody(t, "/v1/responses")["input"]); !strings.Contains(in, `"type":"reasoning"`) || !strings.Contains(in, `"encrypted_content":"gAAAAAB`) {
		t.Errorf("upstream input %s: want the reasoning back", in)
	}
	params.Model = "claude-sonnet-4-5"
	if next := anthropicAsk(t, c, params, false); next.StopReason != sdk.StopReasonEndTurn || len(next.Content) == 0 {
		t.Errorf("Claude's answer %+v", next.Content)
	}
	body := mustJSON(tp.lastBody(t, "/v1/messages"))
	if strings.Contains(string(body), "openai-reasoning") || strings.Contains(string(body), "gAAAAAB") {
		t.Errorf("OpenAI's reasoning reached Claude: %s", body)
	}
}
