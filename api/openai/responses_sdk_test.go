package openai_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/api/openai/openaitest"
	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// sdkClient is an openai-go client of a handler over b.
func sdkClient(t *testing.T, b *fakeBackend) sdk.Client {
	t.Helper()
	srv := httptest.NewServer(mux(b, 0))
	t.Cleanup(srv.Close)
	return sdk.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("k"), option.WithMaxRetries(0))
}

var weatherTool = responses.ToolUnionParam{OfFunction: &responses.FunctionToolParam{
	Name:        "get_weather",
	Description: sdk.String("Current weather for a city"),
	Parameters:  map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []string{"city"}},
}}

// toolAnswer is an answer that calls get_weather.
func toolAnswer() *llm.Response {
	m := llm.Message{Role: llm.RoleAssistant}
	m.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "get_weather", Arguments: `{"city":"Lima"}`}})
	return &llm.Response{Model: "up-model", Choices: []llm.Choice{{Message: m, FinishReason: llm.FinishToolCalls}},
		Usage: &llm.Usage{PromptTokens: 20, CompletionTokens: 8, TotalTokens: 28, CachedPromptTokens: 4}}
}

func TestSDKResponsesText(t *testing.T) {
	var got *llm.Request
	b := &fakeBackend{Served: llm.Served{Deployment: "d1"}, ChatFunc: func(_ context.Context, req *llm.Request) (*llm.Response, error) {
		got = req
		return openaitest.Text("Lima."), nil
	}}
	var hr *http.Response
	c := sdkClient(t, b)
	resp, err := c.Responses.New(context.Background(), responses.ResponseNewParams{
		Model:           "auto",
		Instructions:    sdk.String("Be terse."),
		Input:           responses.ResponseNewParamsInputUnion{OfString: sdk.String("Capital of Peru?")},
		MaxOutputTokens: sdk.Int(64),
		Temperature:     sdk.Float(0.2),
		Metadata:        map[string]string{"team": "a"},
	}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if resp.OutputText() != "Lima." || resp.Status != responses.ResponseStatusCompleted || !strings.HasPrefix(resp.ID, "resp_") {
		t.Fatalf("response: %q %q %q", resp.OutputText(), resp.Status, resp.ID)
	}
	if resp.Model != "up-model" || resp.Instructions.OfString != "Be terse." || resp.MaxOutputTokens != 64 || resp.Temperature != 0.2 || resp.Metadata["team"] != "a" {
		t.Errorf("echo: model %q instructions %q max %d temperature %v metadata %v", resp.Model, resp.Instructions.OfString, resp.MaxOutputTokens, resp.Temperature, resp.Metadata)
	}
	if u := resp.Usage; u.InputTokens != 3 || u.OutputTokens != 1 || u.TotalTokens != 4 {
		t.Errorf("usage %+v", u)
	}
	if hr.Header.Get("x-switchyard-deployment") != "d1" || hr.Header.Get("x-switchyard-cost-usd") == "" {
		t.Errorf("headers %v", hr.Header)
	}
	if len(got.Messages) != 2 || got.Messages[0].Role != llm.RoleSystem || got.Messages[1].Text() != "Capital of Peru?" || *got.MaxTokens != 64 {
		t.Errorf("canonical request %+v", got)
	}
}

// A function call comes back as a function_call item; sent back with its
// output, it is the assistant's tool call and the tool's answer.
func TestSDKResponsesFunctionCallRoundTrip(t *testing.T) {
	var second *llm.Request
	b := &fakeBackend{ChatFunc: func(_ context.Context, req *llm.Request) (*llm.Response, error) {
		if len(req.Messages) == 1 {
			return toolAnswer(), nil
		}
		second = req
		return openaitest.Text("19 degrees in Lima."), nil
	}}
	c := sdkClient(t, b)
	input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Weather in Lima?", responses.EasyInputMessageRoleUser)}
	params := responses.ResponseNewParams{Model: "m", Tools: []responses.ToolUnionParam{weatherTool},
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
	resp, err := c.Responses.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Output) != 1 || resp.Output[0].Type != "function_call" {
		t.Fatalf("output %+v", resp.Output)
	}
	fc := resp.Output[0].AsFunctionCall()
	if fc.CallID != "call_1" || fc.Name != "get_weather" || fc.Arguments != `{"city":"Lima"}` || fc.Status != "completed" {
		t.Fatalf("function call %+v", fc)
	}
	if resp.Usage.InputTokensDetails.CachedTokens != 4 || len(resp.Tools) != 1 || resp.Tools[0].Name != "get_weather" {
		t.Errorf("usage %+v tools %+v", resp.Usage, resp.Tools)
	}
	fcp := fc.ToParam()
	params.Input.OfInputItemList = append(input, responses.ResponseInputItemUnionParam{OfFunctionCall: &fcp},
		responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{
			CallID: sdk.String(fc.CallID), Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: sdk.String(`{"temp_c":19}`)}}})
	resp, err = c.Responses.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if resp.OutputText() != "19 degrees in Lima." {
		t.Errorf("second answer %q", resp.OutputText())
	}
	if len(second.Messages) != 3 {
		t.Fatalf("second request: %d messages", len(second.Messages))
	}
	call, result := second.Messages[1], second.Messages[2]
	if call.Role != llm.RoleAssistant || len(call.ToolCalls()) != 1 || call.ToolCalls()[0].ID != "call_1" ||
		result.Role != llm.RoleTool || result.ToolCallID() != "call_1" || result.Text() != `{"temp_c":19}` {
		t.Errorf("second request messages: %+v %+v", call, result)
	}
}

func TestSDKResponsesStream(t *testing.T) {
	b := &fakeBackend{StreamFunc: func(ctx context.Context, req *llm.Request) (llm.Stream, error) {
		if !req.IncludeUsage {
			t.Error("the stream did not ask for usage")
		}
		last := openaitest.TextChunk(" world")
		last.Choices[0].FinishReason = llm.FinishStop
		return llmtest.NewStream(ctx, llmtest.Chunks(openaitest.TextChunk("Hello"), last,
			&llm.Chunk{Usage: &llm.Usage{PromptTokens: 5, CompletionTokens: 2, TotalTokens: 7}})...), nil
	}}
	c := sdkClient(t, b)
	stream := c.Responses.NewStreaming(context.Background(), responses.ResponseNewParams{
		Model: "m", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("hi")}})
	var types []string
	var text string
	var final responses.Response
	seq := int64(0)
	for stream.Next() {
		ev := stream.Current()
		types = append(types, ev.Type)
		if ev.SequenceNumber != seq {
			t.Errorf("%s: sequence_number %d, want %d", ev.Type, ev.SequenceNumber, seq)
		}
		seq++
		switch ev.Type {
		case "response.output_text.delta":
			text += ev.Delta
		case "response.completed":
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	want := "response.created response.in_progress response.output_item.added response.content_part.added " +
		"response.output_text.delta response.output_text.delta response.output_text.done response.content_part.done " +
		"response.output_item.done response.completed"
	if strings.Join(types, " ") != want {
		t.Errorf("events:\n%s\nwant\n%s", strings.Join(types, " "), want)
	}
	if text != "Hello world" || final.OutputText() != "Hello world" || final.Status != "completed" || final.Usage.TotalTokens != 7 {
		t.Errorf("text %q final %q status %q usage %+v", text, final.OutputText(), final.Status, final.Usage)
	}
}

func TestSDKResponsesStreamFunctionCall(t *testing.T) {
	b := &fakeBackend{StreamFunc: func(ctx context.Context, req *llm.Request) (llm.Stream, error) {
		return llmtest.NewStream(ctx, llmtest.Chunks(
			&llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{ID: "call_9", Type: "function", Name: "get_weather"}}}}}},
			&llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{Arguments: `{"city":`}}}}}},
			&llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{Arguments: `"Lima"}`}}}, FinishReason: llm.FinishToolCalls}}},
		)...), nil
	}}
	c := sdkClient(t, b)
	stream := c.Responses.NewStreaming(context.Background(), responses.ResponseNewParams{Model: "m",
		Tools: []responses.ToolUnionParam{weatherTool}, Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("Weather in Lima?")}})
	var args, doneArgs string
	var final responses.Response
	for stream.Next() {
		switch ev := stream.Current(); ev.Type {
		case "response.function_call_arguments.delta":
			args += ev.Delta
		case "response.function_call_arguments.done":
			doneArgs = ev.Arguments
		case "response.completed":
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if args != `{"city":"Lima"}` || doneArgs != args {
		t.Errorf("arguments: deltas %q done %q", args, doneArgs)
	}
	if len(final.Output) != 1 || final.Output[0].AsFunctionCall().CallID != "call_9" || final.Output[0].AsFunctionCall().Arguments != args {
		t.Errorf("final output %+v", final.Output)
	}
}

// A stream cut after it began ends with response.failed and an error
// event, which the SDK raises.
func TestSDKResponsesStreamFailure(t *testing.T) {
	b := &fakeBackend{StreamFunc: func(ctx context.Context, req *llm.Request) (llm.Stream, error) {
		return llmtest.NewStream(ctx, append(llmtest.Chunks(openaitest.TextChunk("Hel")),
			llmtest.Event{Err: llm.Errorf(llm.KindUpstream, "the upstream cut the stream")})...), nil
	}}
	c := sdkClient(t, b)
	stream := c.Responses.NewStreaming(context.Background(), responses.ResponseNewParams{
		Model: "m", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("hi")}})
	var failed bool
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "response.failed" {
			failed = ev.Response.Status == "failed" && ev.Response.Error.Message == "the upstream cut the stream" && ev.Response.OutputText() == "Hel"
		}
	}
	err := stream.Err()
	if !failed || err == nil || !strings.Contains(err.Error(), "the upstream cut the stream") {
		t.Fatalf("failed event seen %v, stream error %v", failed, err)
	}
}

func TestSDKResponsesErrors(t *testing.T) {
	c := sdkClient(t, &fakeBackend{})
	_, err := c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "m",
		Input:      responses.ResponseNewParamsInputUnion{OfString: sdk.String("hi")},
		ToolChoice: responses.ResponseNewParamsToolChoiceUnion{OfHostedTool: &responses.ToolChoiceTypesParam{Type: responses.ToolChoiceTypesTypeWebSearchPreview}}})
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "tool_choice" || !strings.Contains(apiErr.Message, "web_search_preview") {
		t.Fatalf("hosted tool choice without the tool: %v", err)
	}
	_, err = c.Responses.New(context.Background(), responses.ResponseNewParams{Model: "m", PreviousResponseID: sdk.String("resp_1"),
		Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("hi")}})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "previous_response_id" || apiErr.Code != "unsupported_parameter" {
		t.Fatalf("previous_response_id: %v", err)
	}
	_, err = c.Responses.Get(context.Background(), "resp_1", responses.ResponseGetParams{})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Code != "response_not_stored" {
		t.Fatalf("get: %v", err)
	}
	err = c.Responses.Delete(context.Background(), "resp_1")
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Fatalf("delete: %v", err)
	}
}

// The client leaving mid-stream closes the backend's stream.
func TestResponsesStreamClientGone(t *testing.T) {
	gate := make(chan struct{})
	var s *llmtest.Stream
	b := &fakeBackend{StreamFunc: func(ctx context.Context, req *llm.Request) (llm.Stream, error) {
		s = llmtest.NewStream(ctx, llmtest.Event{Chunk: openaitest.TextChunk("a")}, llmtest.Event{Gate: gate, Chunk: openaitest.TextChunk("b")})
		return s, nil
	}}
	srv := httptest.NewServer(mux(b, 0))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/v1/responses", strings.NewReader(`{"model":"m","input":"hi","stream":true}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 512)
	if _, err := resp.Body.Read(buf); err != nil && err != io.EOF {
		t.Fatal(err)
	}
	cancel()
	resp.Body.Close()
	close(gate)
	srv.Close() // waits for the handler
	if !s.Closed() {
		t.Error("the backend's stream was not closed")
	}
}
