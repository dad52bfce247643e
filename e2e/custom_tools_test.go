package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"
)

// Custom tools (free-text input, a Lark grammar here, as Codex's
// apply_patch) reach every kind of deployment: OpenAI's as custom tools,
// Claude's and Gemini's as a function of one string parameter whose calls
// come back as custom calls (the grammar unenforced, named dropped).

const patchGrammar = `start: begin_patch hunk+ end_patch
begin_patch: "*** Begin Patch" LF
end_patch: "*** End Patch" LF?`

const patchPrompt = "Use apply_patch to add hello.txt."

var customDeployments = []string{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"}

func responsesPatchTool() responses.ToolUnionParam {
	return responses.ToolUnionParam{OfCustom: &responses.CustomToolParam{Name: "apply_patch", Description: openai.String("Edit files."),
		Format: shared.CustomToolInputFormatUnionParam{OfGrammar: &shared.CustomToolInputFormatGrammarParam{Syntax: "lark", Definition: patchGrammar}}}}
}

// The Responses API round trip: create → custom_tool_call (complete and
// streamed) → custom_tool_call_output → an answer that uses it; and the
// same output sent after previous_response_id, which must carry the call.
func TestResponsesCustomToolRoundTrip(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), nil)
	for _, dep := range customDeployments {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage(patchPrompt, responses.EasyInputMessageRoleUser)}
				params := responses.ResponseNewParams{Model: dep, Tools: []responses.ToolUnionParam{responsesPatchTool()},
					Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
				var call responses.ResponseCustomToolCall
				var respID string
				var h http.Header
				if streamed {
					call, respID, h = streamedCustomCall(t, e, params)
				} else {
					var hr *http.Response
					resp, err := e.Client.Responses.New(ctxT(t), params, option.WithResponseInto(&hr))
					if err != nil {
						t.Fatal(err)
					}
					if len(resp.Output) != 1 || resp.Output[0].Type != "custom_tool_call" {
						t.Fatalf("output %s", resp.RawJSON())
					}
					call, respID, h = resp.Output[0].AsCustomToolCall(), resp.ID, hr.Header
				}
				if call.Name != "apply_patch" || call.CallID == "" || !strings.HasPrefix(call.ID, "ctc_") || call.Input == "" {
					t.Fatalf("call %+v", call)
				}
				if route, grammarDropped := h.Get("x-switchyard-route"), dep != "gpt-4o-mini"; strings.Contains(route, "grammar") != grammarDropped {
					t.Errorf("route %q: grammar named dropped %v, want %v", route, !grammarDropped, grammarDropped)
				}
				output := responses.ResponseInputItemParamOfCustomToolCallOutput(call.CallID, "patch applied: hello.txt")
				p := call.ToParam()
				params.Input.OfInputItemList = append(input, responses.ResponseInputItemUnionParam{OfCustomToolCall: &p}, output)
				resp, err := e.Client.Responses.New(ctxT(t), params)
				if err != nil {
					t.Fatal(err)
				}
				if resp.Status != "completed" || !strings.Contains(resp.OutputText(), "patch applied") {
					t.Fatalf("answer after the output: %q (%s)", resp.OutputText(), resp.Status)
				}
				next := responses.ResponseNewParams{Model: dep, Tools: params.Tools, PreviousResponseID: openai.String(respID),
					Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{output}}}
				if resp, err = e.Client.Responses.New(ctxT(t), next); err != nil {
					var ae *openai.Error
					errors.As(err, &ae)
					t.Fatalf("after previous_response_id: %v %s", err, ae.RawJSON())
				}
				if !strings.Contains(resp.OutputText(), "patch applied") {
					t.Fatalf("after previous_response_id: %q", resp.OutputText())
				}
			})
		}
	}
}

// streamedCustomCall streams params and returns the custom call of the
// output_item.done event, checking that its input is the concatenation
// of its item's input deltas and what input.done said.
func streamedCustomCall(t *testing.T, e *env, params responses.ResponseNewParams) (responses.ResponseCustomToolCall, string, http.Header) {
	t.Helper()
	var hr *http.Response
	stream := e.Client.Responses.NewStreaming(ctxT(t), params, option.WithResponseInto(&hr))
	defer stream.Close()
	var deltas, done, id string
	var call responses.ResponseCustomToolCall
	for stream.Next() {
		switch ev := stream.Current(); ev.Type {
		case "response.custom_tool_call_input.delta":
			deltas += ev.Delta
		case "response.custom_tool_call_input.done":
			done = ev.Input
		case "response.output_item.done":
			if ev.Item.Type == "custom_tool_call" {
				call = ev.Item.AsCustomToolCall()
			}
		case "response.completed":
			id = ev.Response.ID
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if call.Input != deltas || call.Input != done || id == "" {
		t.Errorf("input %q, deltas %q, done %q (response %q)", call.Input, deltas, done, id)
	}
	return call, id, hr.Header
}

// Chat Completions: a custom tool's call, complete and streamed, and its
// result sent back, on an OpenAI and a Claude deployment.
func TestChatCustomToolRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	tool := openai.ChatCompletionCustomTool(openai.ChatCompletionCustomToolCustomParam{Name: "apply_patch",
		Format: openai.ChatCompletionCustomToolCustomFormatUnionParam{OfGrammar: &openai.ChatCompletionCustomToolCustomFormatGrammarParam{
			Grammar: openai.ChatCompletionCustomToolCustomFormatGrammarGrammarParam{Syntax: "lark", Definition: patchGrammar}}}})
	for _, dep := range []string{"gpt-4o-mini", "claude-haiku-4-5"} {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := openai.ChatCompletionNewParams{Model: dep, Tools: []openai.ChatCompletionToolUnionParam{tool},
					Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(patchPrompt)}}
				id, input := chatCustomCall(t, e, params, streamed)
				if id == "" || input == "" {
					t.Fatalf("call %q input %q", id, input)
				}
				asst := openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{{
					OfCustom: &openai.ChatCompletionMessageCustomToolCallParam{ID: id,
						Custom: openai.ChatCompletionMessageCustomToolCallCustomParam{Name: "apply_patch", Input: input}}}}}
				params.Messages = append(params.Messages, openai.ChatCompletionMessageParamUnion{OfAssistant: &asst},
					openai.ToolMessage("patch applied", id))
				text, finish, _, err := chatWith(t, e, params, streamed)
				if err != nil || finish != "stop" || !strings.Contains(text, "patch applied") {
					t.Fatalf("answer: %v %q %q", err, finish, text)
				}
			})
		}
	}
}

// chatCustomCall asks params and returns the one custom call's id and
// input, from the message or from the chunks' "custom" objects.
func chatCustomCall(t *testing.T, e *env, params openai.ChatCompletionNewParams, streamed bool) (id, input string) {
	t.Helper()
	if !streamed {
		resp, err := e.Client.Chat.Completions.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		calls := resp.Choices[0].Message.ToolCalls
		if len(calls) != 1 || calls[0].Type != "custom" || resp.Choices[0].FinishReason != "tool_calls" {
			t.Fatalf("calls %s", resp.RawJSON())
		}
		c := calls[0].AsCustom()
		return c.ID, c.Custom.Input
	}
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
	defer stream.Close()
	for stream.Next() {
		for _, ch := range stream.Current().Choices {
			for _, tc := range ch.Delta.ToolCalls {
				var custom struct{ Input string }
				if tc.Type != "custom" || json.Unmarshal([]byte(tc.JSON.ExtraFields["custom"].Raw()), &custom) != nil {
					t.Fatalf("fragment %s", tc.RawJSON())
				}
				id += tc.ID
				input += custom.Input
			}
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	return id, input
}

// A batch with custom-tool lines forwarded to OpenAI's Batch API and to
// Anthropic's Message Batches: each line's call comes back custom (the
// Claude line's, a call of the function its tool was sent as, raised).
func TestBatchCustomToolsForwarded(t *testing.T) {
	t.Parallel()
	e := forwardEnv(t)
	line := func(id, model string) string {
		return `{"custom_id":"` + id + `","method":"POST","url":"/v1/chat/completions","body":{"model":"` + model +
			`","messages":[{"role":"user","content":"` + patchPrompt + `"}],"tools":[{"type":"custom","custom":{"name":"apply_patch","format":{"type":"grammar","grammar":{"syntax":"lark","definition":"start: /.+/"}}}}]}}` + "\n"
	}
	created := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, line("gpt", "gpt-4o-mini")+line("claude", "claude-haiku-4-5"), nil)
	done := awaitBatch(t, e.Client, created.ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 2 || done.ErrorFileID != "" {
		t.Fatalf("completed = %s", done.RawJSON())
	}
	if n := simBatchesOf(t, e.SimAddr, "anthropic", nil); n.Created != 1 || n.Lines != 1 {
		t.Fatalf("Anthropic saw %+v, want one Message Batch of the claude line", n)
	}
	out := fileLines(t, e.Client, done.OutputFileID)
	for _, id := range []string{"gpt", "claude"} {
		_, body, _ := lineBody(out[id])
		b, _ := json.Marshal(body)
		var resp openai.ChatCompletion
		if err := json.Unmarshal(b, &resp); err != nil || len(resp.Choices) != 1 {
			t.Fatalf("line %s = %v", id, out[id])
		}
		calls := resp.Choices[0].Message.ToolCalls
		if len(calls) != 1 || calls[0].Type != "custom" || calls[0].AsCustom().Custom.Name != "apply_patch" || calls[0].AsCustom().Custom.Input == "" {
			t.Errorf("line %s: calls %s", id, b)
		}
	}
}
