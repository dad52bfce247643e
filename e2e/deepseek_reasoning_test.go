package e2e

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// DeepSeek's thinking mode writes its reasoning in reasoning_content and
// refuses a tool loop whose assistant messages do not carry it back (400
// "Missing `reasoning_content` field in the assistant message at message
// index 1…"). These tests run tool loops through the router on a
// deepseek-reasoner deployment of the sim, which does both.

// deepSeekEnv is a router with a deepseek-reasoner deployment (route
// "deepseek") on a tapped sim.
func deepSeekEnv(t *testing.T) (*env, *tap) {
	t.Helper()
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "deepseek-reasoner", Reasoning: true}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["deepseek"] = &config.Provider{Name: "deepseek", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["deepseek-reasoner"] = &config.Deployment{Name: "deepseek-reasoner", Provider: "deepseek", Model: "deepseek-reasoner"}
		c.Routes["deepseek"] = &config.Route{Name: "deepseek", Deployments: []string{"deepseek-reasoner"}}
	})
	return e, tp
}

// sentReasoning returns the reasoning_content of each message of the last
// chat request upstream ("absent" where a message has none).
func sentReasoning(t *testing.T, tp *tap) []string {
	t.Helper()
	var msgs []map[string]json.RawMessage
	if err := json.Unmarshal(tp.lastBody(t, "/chat/completions")["messages"], &msgs); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = "absent"
		if raw, ok := m["reasoning_content"]; ok {
			if err := json.Unmarshal(raw, &out[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

// askDeepSeek sends params, complete or streamed, and returns the answer
// with the reasoning_content the client read: the message's, or the
// deltas' joined.
func askDeepSeek(t *testing.T, e *env, params openai.ChatCompletionNewParams, stream bool) (*openai.ChatCompletion, string) {
	t.Helper()
	if !stream {
		got, err := e.Client.Chat.Completions.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		var rc string
		if f, ok := got.Choices[0].Message.JSON.ExtraFields["reasoning_content"]; ok {
			if err := json.Unmarshal([]byte(f.Raw()), &rc); err != nil {
				t.Fatal(err)
			}
		}
		return got, rc
	}
	s := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
	var acc openai.ChatCompletionAccumulator
	var rc strings.Builder
	for s.Next() {
		ch := s.Current()
		acc.AddChunk(ch)
		if len(ch.Choices) == 0 {
			continue
		}
		if f, ok := ch.Choices[0].Delta.JSON.ExtraFields["reasoning_content"]; ok && f.Raw() != "null" {
			var piece string
			if err := json.Unmarshal([]byte(f.Raw()), &piece); err != nil {
				t.Fatal(err)
			}
			rc.WriteString(piece)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return &acc.ChatCompletion, rc.String()
}

// An OpenAI client's tool loop on a DeepSeek thinking deployment,
// complete and streamed: the client reads reasoning_content as DeepSeek
// writes it, sends it back on its assistant message (DeepSeek's request
// shape), and the second turn reaches DeepSeek with it and is answered.
func TestDeepSeekChatToolLoop(t *testing.T) {
	t.Parallel()
	e, tp := deepSeekEnv(t)
	for _, stream := range []bool{false, true} {
		params := openai.ChatCompletionNewParams{Model: "deepseek", Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Use get_weather for Oslo")}}
		first, rc := askDeepSeek(t, e, params, stream)
		calls := first.Choices[0].Message.ToolCalls
		if len(calls) != 1 || rc != `The user asks: "Use get_weather for Oslo". I should call get_weather.` {
			t.Fatalf("stream %v: calls %d, reasoning_content %q", stream, len(calls), rc)
		}
		if strings.Contains(first.Choices[0].Message.Content, "The user asks") {
			t.Errorf("stream %v: the reasoning is in the content", stream)
		}
		asst := first.Choices[0].Message.ToAssistantMessageParam()
		asst.SetExtraFields(map[string]any{"reasoning_content": rc})
		params.Messages = append(params.Messages, openai.ChatCompletionMessageParamUnion{OfAssistant: &asst}, openai.ToolMessage(`{"temp_c": 4}`, calls[0].ID))
		second, rc2 := askDeepSeek(t, e, params, stream)
		if second.Choices[0].Message.Content == "" || !strings.Contains(rc2, "The tool answered") {
			t.Errorf("stream %v: second turn %q, reasoning %q", stream, second.Choices[0].Message.Content, rc2)
		}
		if got := sentReasoning(t, tp); len(got) != 3 || got[1] != rc {
			t.Errorf("stream %v: upstream reasoning_content %q", stream, got)
		}
	}
}

// The same loop from a client that drops reasoning_content (openai-go's
// ToParam keeps no extra field): the router kept the reasoning behind the
// first turn's tool call and sends it back, complete and streamed.
func TestDeepSeekToolLoopRouterKept(t *testing.T) {
	t.Parallel()
	e, tp := deepSeekEnv(t)
	for _, stream := range []bool{false, true} {
		prompt := map[bool]string{false: "Use get_weather for Oslo", true: "Use get_weather for Bergen"}[stream]
		params := openai.ChatCompletionNewParams{Model: "deepseek", Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(prompt)}}
		first, rc := askDeepSeek(t, e, params, stream)
		calls := first.Choices[0].Message.ToolCalls
		if len(calls) != 1 || rc == "" {
			t.Fatalf("stream %v: %d calls, reasoning %q", stream, len(calls), rc)
		}
		params.Messages = append(params.Messages, first.Choices[0].Message.ToParam(), openai.ToolMessage(`{"temp_c": 4}`, calls[0].ID))
		if second, _ := askDeepSeek(t, e, params, stream); second.Choices[0].Message.Content == "" {
			t.Errorf("stream %v: no answer to the second turn", stream)
		}
		if got := sentReasoning(t, tp); len(got) != 3 || got[0] != "absent" || got[1] != rc || got[2] != "absent" {
			t.Errorf("stream %v: upstream reasoning_content %q, want the kept %q on the assistant turn", stream, got, rc)
		}
	}
}

// An Anthropic client thinking on a DeepSeek deployment sees the
// reasoning as a thinking block (unsigned: DeepSeek signs none), before
// the tool_use; sent back with the tool's result, it reaches DeepSeek as
// the assistant message's reasoning_content, and the loop goes on,
// thinking shown again, complete and streamed.
func TestDeepSeekAnthropicToolLoop(t *testing.T) {
	t.Parallel()
	e, tp := deepSeekEnv(t)
	c := anthropicClient(e, "demo-key")
	for _, streamed := range []bool{false, true} {
		params := userMessage("deepseek", "Use get_weather for Oslo", 4096)
		params.Thinking = sdk.ThinkingConfigParamOfEnabled(2048)
		params.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "get_weather",
			InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}}}}}
		msg := anthropicAsk(t, c, params, streamed)
		if len(msg.Content) != 2 || msg.Content[0].Type != "thinking" || msg.Content[1].Type != "tool_use" ||
			msg.Content[0].Thinking != `The user asks: "Use get_weather for Oslo". I should call get_weather.` {
			t.Fatalf("streamed %v: answer %+v", streamed, msg.Content)
		}
		params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewToolResultBlock(msg.Content[1].ID, "4C", false)))
		next := anthropicAsk(t, c, params, streamed)
		if len(next.Content) < 2 || next.Content[0].Type != "thinking" || !strings.Contains(next.Content[0].Thinking, "The tool answered") || next.Content[1].Type != "text" {
			t.Errorf("streamed %v: next answer %+v", streamed, next.Content)
		}
		if got := sentReasoning(t, tp); len(got) != 3 || got[1] != msg.Content[0].Thinking {
			t.Errorf("streamed %v: upstream reasoning_content %q", streamed, got)
		}
	}
}

// A client that did not ask to see thinking gets none, on a DeepSeek
// deployment that thinks anyway: the Anthropic client without thinking
// has no thinking block (its loop still reaches DeepSeek with the kept
// reasoning).
func TestDeepSeekAnthropicWithoutThinking(t *testing.T) {
	t.Parallel()
	e, tp := deepSeekEnv(t)
	c := anthropicClient(e, "demo-key")
	params := userMessage("deepseek", "Use get_weather for Tromso", 4096)
	params.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "get_weather",
		InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}}}}}
	msg := anthropicAsk(t, c, params, true)
	if len(msg.Content) != 1 || msg.Content[0].Type != "tool_use" {
		t.Fatalf("answer %+v", msg.Content)
	}
	params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewToolResultBlock(msg.Content[0].ID, "4C", false)))
	if next := anthropicAsk(t, c, params, false); len(next.Content) != 1 || next.Content[0].Type != "text" {
		t.Errorf("next answer %+v", next.Content)
	}
	if got := sentReasoning(t, tp); len(got) != 3 || !strings.Contains(got[1], "I should call get_weather") {
		t.Errorf("upstream reasoning_content %q", got)
	}
}

// A Responses client asking for a reasoning summary on a DeepSeek
// deployment gets DeepSeek's reasoning as the reasoning item's summary,
// streamed and complete, and none of it in the answer's text.
func TestDeepSeekResponsesReasoningItem(t *testing.T) {
	t.Parallel()
	e, _ := deepSeekEnv(t)
	params := responses.ResponseNewParams{Model: "deepseek",
		Input:     responses.ResponseNewParamsInputUnion{OfString: openai.String("Is 91 prime?")},
		Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow, Summary: shared.ReasoningSummaryAuto}}
	const want = `The user asks: "Is 91 prime?". I can answer directly.`
	rs, _, streamed := streamedReasoning(t, e, params)
	if len(rs.Summary) != 1 || rs.Summary[0].Text != want || streamed != want {
		t.Errorf("streamed reasoning %s, summary deltas %q", rs.RawJSON(), streamed)
	}
	got, err := e.Client.Responses.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	if got.Output[0].Type != "reasoning" || len(got.Output[0].AsReasoning().Summary) != 1 || strings.Contains(got.OutputText(), "The user asks") {
		t.Errorf("complete: %s", got.RawJSON())
	}
}

// A deployment configured reasoning_content: send (a host whose thinking
// model wants its reasoning back too, Moonshot's Kimi) is sent the
// client's reasoning_content; one of another model, with no setting, is
// not (OpenAI refuses fields it does not know).
func TestReasoningContentSetting(t *testing.T) {
	t.Parallel()
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "kimi-k2-thinking"}, sim.Profile{Model: "gpt-4.1"}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["compat"] = &config.Provider{Name: "compat", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["kimi-k2"] = &config.Deployment{Name: "kimi-k2", Provider: "compat", Model: "kimi-k2-thinking", ReasoningContent: "send"}
		c.Deployments["compat-gpt"] = &config.Deployment{Name: "compat-gpt", Provider: "compat", Model: "gpt-4.1"}
		c.Routes["kimi"] = &config.Route{Name: "kimi", Deployments: []string{"kimi-k2"}}
		c.Routes["compat"] = &config.Route{Name: "compat", Deployments: []string{"compat-gpt"}}
	})
	call := openai.ChatCompletionMessageToolCallUnionParam{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
		ID: "call_1", Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "get_weather", Arguments: `{"city":"Oslo"}`}}}
	asst := openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{call}}
	asst.SetExtraFields(map[string]any{"reasoning_content": "I should call get_weather."})
	for model, want := range map[string]string{"kimi": "I should call get_weather.", "compat": "absent"} {
		params := openai.ChatCompletionNewParams{Model: openai.ChatModel(model), Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the weather in Oslo?"),
				{OfAssistant: &asst}, openai.ToolMessage(`{"temperature_c": 4}`, "call_1")}}
		if _, err := e.Client.Chat.Completions.New(ctxT(t), params); err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if got := sentReasoning(t, tp); len(got) != 3 || got[1] != want {
			t.Errorf("%s: upstream reasoning_content %q, want %q on the assistant message", model, got, want)
		}
	}
}

// A Responses client's stateless tool loop on a DeepSeek deployment: the
// function_call item has no place for the reasoning, and the router sends
// DeepSeek the reasoning it kept behind the call; sent back as a sealed
// reasoning item (include reasoning.encrypted_content), the item's own.
func TestDeepSeekResponsesToolLoop(t *testing.T) {
	t.Parallel()
	e, tp := deepSeekEnv(t)
	for _, sealed := range []bool{false, true} {
		prompt := map[bool]string{false: "Use get_weather for Oslo", true: "Use get_weather for Bergen"}[sealed]
		input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage(prompt, responses.EasyInputMessageRoleUser)}
		params := responses.ResponseNewParams{Model: "deepseek", Tools: []responses.ToolUnionParam{responsesWeather},
			Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow},
			Store:     openai.Bool(false), Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
		if sealed {
			params.Include = []responses.ResponseIncludable{responses.ResponseIncludableReasoningEncryptedContent}
		}
		first, err := e.Client.Responses.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		var next []responses.ResponseInputItemUnionParam
		var callID string
		for _, it := range first.Output {
			switch it.Type {
			case "reasoning":
				if sealed {
					rs := it.AsReasoning().ToParam()
					next = append(next, responses.ResponseInputItemUnionParam{OfReasoning: &rs})
				}
			case "function_call":
				fc := it.AsFunctionCall()
				callID = fc.CallID
				p := fc.ToParam()
				next = append(next, responses.ResponseInputItemUnionParam{OfFunctionCall: &p})
			}
		}
		if callID == "" {
			t.Fatalf("sealed %v: no call in %s", sealed, first.RawJSON())
		}
		next = append(next, responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{
			CallID: openai.String(callID), Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temp_c": 4}`)}}})
		params.Input.OfInputItemList = append(input, next...)
		second, err := e.Client.Responses.New(ctxT(t), params)
		if err != nil || second.OutputText() == "" {
			t.Fatalf("sealed %v: second turn %v", sealed, err)
		}
		if got := sentReasoning(t, tp); len(got) != 3 || got[1] != `The user asks: "`+prompt+`". I should call get_weather.` {
			t.Errorf("sealed %v: upstream reasoning_content %q", sealed, got)
		}
	}
}
