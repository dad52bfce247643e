package e2e

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
)

// Documents inside tool results (a tool that read a PDF), from every
// client API to every upstream kind, each as its API takes them: a
// document block inside the tool_result on Claude, inline data after the
// function responses on Gemini, a file part of a user message after the
// tool messages on Chat Completions (which refuses a file in a tool
// message), an input_file in the function_call_output on the Responses
// API (fiber#121's probe of the four).

// fileOutput is a function_call_output answering callID with text and
// the file part.
func fileOutput(callID string, file responses.ResponseInputFileContentParam) responses.ResponseInputItemUnionParam {
	return responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{
		CallID: openai.String(callID),
		Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{
			OfResponseFunctionCallOutputItemArray: responses.ResponseFunctionCallOutputItemListParam{
				{OfInputText: &responses.ResponseInputTextContentParam{Text: "The report:"}},
				{OfInputFile: &file},
			},
		},
	}}
}

// resultPDFSent is what each shape deployment's upstream is sent of
// tiny.pdf in a tool result, in the place its API takes it.
func resultPDFSent(dep, pdf string) string {
	switch dep {
	case "claude-haiku-4-5":
		return `"content":[{"type":"text","text":"The report:"},{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"` + pdf + `"}`
	case "gemini-2.5-flash":
		return `"inlineData":{"mimeType":"application/pdf","data":"` + pdf + `"}`
	case "resp-gpt-4o-mini":
		return `"output":[{"type":"input_text","text":"The report:"},{"type":"input_file","filename":"tiny.pdf","file_data":"data:application/pdf;base64,` + pdf + `"}]`
	}
	return `{"role":"user","content":[{"type":"file","file":{"filename":"tiny.pdf","file_data":"data:application/pdf;base64,` + pdf + `"}}]}`
}

// respShapeEnv is newTapEnv with resp-gpt-4o-mini, gpt-4o-mini on the
// Responses API.
func respShapeEnv(t *testing.T) (*env, *tap) {
	return newTapEnv(t, withRespDeployment)
}

var readTool = []responses.ToolUnionParam{{OfFunction: &responses.FunctionToolParam{Name: "read",
	Parameters: map[string]any{"type": "object", "properties": map[string]any{}}}}}

func TestResponsesFunctionOutputFileReachesEveryUpstream(t *testing.T) {
	t.Parallel()
	e, tp := respShapeEnv(t)
	pdf := tinyPDF(t)
	input := []responses.ResponseInputItemUnionParam{
		responses.ResponseInputItemParamOfMessage("Read the report and summarize it.", responses.EasyInputMessageRoleUser),
		responses.ResponseInputItemParamOfFunctionCall(`{}`, "call_r", "read"),
		fileOutput("call_r", responses.ResponseInputFileContentParam{Filename: openai.String("tiny.pdf"),
			FileData: openai.String("data:application/pdf;base64," + pdf)}),
	}
	for _, dep := range shapeDeployments {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := responses.ResponseNewParams{Model: dep, Tools: readTool,
					Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
				if text := responsesAnswer(t, e.Client, params, streamed); text == "" {
					t.Error("no text in the answer")
				}
				reqs := tp.requests()
				if sent, want := string(reqs[len(reqs)-1].body), resultPDFSent(dep, pdf); !strings.Contains(sent, want) {
					t.Errorf("%s was not sent %.200s…: %.600s", dep, want, sent)
				}
			})
		}
	}
}

// A file named by id in a function_call_output: one the router holds
// reaches every provider as its bytes, never its id; one it does not
// hold (another tenant's) is passed on to an OpenAI-format deployment
// only, and naming a Claude deployment for it is the router's 400.
func TestResponsesFunctionOutputFileID(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	f := uploadPDF(t, e.Client)
	pdf := tinyPDF(t)
	params := func(model string) responses.ResponseNewParams {
		return responses.ResponseNewParams{Model: model, Tools: readTool,
			Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{
				responses.ResponseInputItemParamOfMessage("Read the report and summarize it.", responses.EasyInputMessageRoleUser),
				responses.ResponseInputItemParamOfFunctionCall(`{}`, "call_r", "read"),
				fileOutput("call_r", responses.ResponseInputFileContentParam{FileID: openai.String(f.ID)}),
			}}}
	}
	for _, tc := range fileProviders {
		t.Run(tc.deployment, func(t *testing.T) {
			if resp, err := e.Client.Responses.New(ctxT(t), params(tc.deployment)); err != nil || resp.OutputText() == "" {
				t.Fatalf("answer: %v", err)
			}
			sent := ul.last(t, tc.provider)
			for _, want := range pdfSent(tc.provider, pdf) {
				if !strings.Contains(sent, want) {
					t.Errorf("%s was not sent %.200s", tc.provider, want)
				}
			}
			if strings.Contains(sent, f.ID) {
				t.Errorf("%s was sent the router's file id", tc.provider)
			}
		})
	}
	other := e.clientWith(respKeyB)
	_, err := other.Responses.New(ctxT(t), params("claude-haiku-4-5"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "file_id" || !strings.Contains(apiErr.Message, "no file by file_id") {
		t.Errorf("another tenant's file in a result, on claude: %v (param %q), want the router's 400 on file_id", err, paramOf(apiErr))
	}
	_, err = other.Responses.New(ctxT(t), params("gpt-4o-mini"))
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || !strings.Contains(apiErr.Message, f.ID) {
		t.Errorf("another tenant's file in a result, on gpt-4o-mini: %v, want OpenAI's 404", err)
	}
	if sent := ul.last(t, "openai"); strings.Contains(sent, pdf[:40]) || !strings.Contains(sent, `{"file_id":"`+f.ID+`"}`) {
		t.Errorf("another tenant's file: OpenAI was sent %.400s", sent)
	}
}

// An Anthropic client's tool_result holding a PDF document and text
// reaches every upstream kind, complete and streamed: Claude gets the
// tool_result as sent, the document inside it.
func TestMessagesToolResultDocumentReachesEveryUpstream(t *testing.T) {
	t.Parallel()
	e, tp := respShapeEnv(t)
	c := anthropicClient(e, "demo-key")
	pdf := tinyPDF(t)
	result := sdk.ToolResultBlockParam{ToolUseID: "toolu_r", Content: []sdk.ToolResultBlockParamContentUnion{
		{OfText: &sdk.TextBlockParam{Text: "The report:"}},
		{OfDocument: &sdk.DocumentBlockParam{Source: sdk.DocumentBlockParamSourceUnion{OfBase64: &sdk.Base64PDFSourceParam{Data: pdf}}}},
	}}
	for _, dep := range shapeDeployments {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := sdk.MessageNewParams{Model: sdk.Model(dep), MaxTokens: 300,
					Tools: []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "read", InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{}}}}},
					Messages: []sdk.MessageParam{
						sdk.NewUserMessage(sdk.NewTextBlock("Read the report and summarize it.")),
						sdk.NewAssistantMessage(sdk.NewToolUseBlock("toolu_r", map[string]any{}, "read")),
						sdk.NewUserMessage(sdk.ContentBlockParamUnion{OfToolResult: &result}),
					}}
				if text := anthropicAnswer(t, c, params, streamed); text == "" {
					t.Error("no text in the answer")
				}
				reqs := tp.requests()
				sent := string(reqs[len(reqs)-1].body)
				want := strings.Replace(resultPDFSent(dep, pdf), `"filename":"tiny.pdf"`, `"filename":"document.pdf"`, 1)
				if !strings.Contains(sent, want) {
					t.Errorf("%s was not sent %.200s…: %.600s", dep, want, sent)
				}
			})
		}
	}
}

// A Chat Completions client's tool message holding a file part is
// refused in OpenAI's own words, whichever deployment it names: Chat
// Completions takes files in user messages only.
func TestChatToolMessageFileRefusedAsOpenAIDoes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range []string{"gpt-4o-mini", "claude-haiku-4-5"} {
		params := openai.ChatCompletionNewParams{Model: dep, Messages: []openai.ChatCompletionMessageParamUnion{
			openai.UserMessage("Read the report."),
			{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{
				{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{ID: "call_r",
					Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "read", Arguments: "{}"}}}}}},
			openai.ToolMessage("The report:", "call_r"),
		}}
		file := map[string]any{"type": "file", "file": map[string]any{"filename": "tiny.pdf", "file_data": "data:application/pdf;base64," + tinyPDF(t)}}
		_, err := e.Client.Chat.Completions.New(ctxT(t), params,
			option.WithJSONSet("messages.2.content", []any{map[string]any{"type": "text", "text": "The report:"}, file}))
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "messages[2].content[1]" || apiErr.Code != "invalid_value" ||
			apiErr.Message != "Invalid value: 'file'. Supported values are: 'text', 'refusal', 'image_url', and 'input_audio'." {
			t.Errorf("%s: %v, want OpenAI's 400", dep, err)
		}
	}
}

// A Chat Completions client's tool message holding an image_url part,
// which OpenAI takes, reaches every upstream kind where it takes a
// result's images: a user message after the tool messages on Chat
// Completions (where the model sees it), the tool_result on Claude, the
// function_call_output on the Responses API, inline data on Gemini.
func TestChatToolMessageImageReachesEveryUpstream(t *testing.T) {
	t.Parallel()
	e, tp := respShapeEnv(t)
	png := base64.StdEncoding.EncodeToString(tinyPNG(t))
	shot := []any{map[string]any{"type": "text", "text": "The screen:"},
		map[string]any{"type": "image_url", "image_url": map[string]any{"url": "data:image/png;base64," + png}}}
	for _, dep := range shapeDeployments {
		t.Run(dep, func(t *testing.T) {
			params := openai.ChatCompletionNewParams{Model: dep,
				Tools: []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(openai.FunctionDefinitionParam{Name: "screenshot",
					Parameters: openai.FunctionParameters{"type": "object", "properties": map[string]any{}}})},
				Messages: []openai.ChatCompletionMessageParamUnion{
					openai.UserMessage("What is on my screen?"),
					{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{
						{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{ID: "call_s",
							Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "screenshot", Arguments: "{}"}}}}}},
					openai.ToolMessage("The screen:", "call_s"),
				}}
			c, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithJSONSet("messages.2.content", shot))
			if err != nil || len(c.Choices) == 0 || c.Choices[0].Message.Content == "" {
				t.Fatalf("answer: %v", err)
			}
			reqs := tp.requests()
			if sent := string(reqs[len(reqs)-1].body); !strings.Contains(sent, png) {
				t.Errorf("the image did not reach %s: %.600s", dep, sent)
			}
		})
	}
}

// An Anthropic client's tool_result naming a file the router holds by
// its file id: the document inside the result gets the file's bytes (its
// title kept), on Claude inside the tool_result, on an OpenAI deployment
// after the tool message; the id reaches no provider.
func TestMessagesToolResultFileID(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	c := anthropicClient(e, respKeyA)
	f := uploadAnthropicPDF(t, c)
	pdf := tinyPDF(t)
	doc := titledFileDocument(f.ID)
	result := sdk.ToolResultBlockParam{ToolUseID: "toolu_r", Content: []sdk.ToolResultBlockParamContentUnion{
		{OfText: &sdk.TextBlockParam{Text: "The report:"}}, {OfDocument: doc.OfDocument},
	}}
	for _, tc := range fileProviders[:2] {
		t.Run(tc.deployment, func(t *testing.T) {
			msg, err := c.Messages.New(ctxT(t), sdk.MessageNewParams{Model: sdk.Model(tc.deployment), MaxTokens: 200,
				Tools: []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "read", InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{}}}}},
				Messages: []sdk.MessageParam{
					sdk.NewUserMessage(sdk.NewTextBlock("Read the report and summarize it.")),
					sdk.NewAssistantMessage(sdk.NewToolUseBlock("toolu_r", map[string]any{}, "read")),
					sdk.NewUserMessage(sdk.ContentBlockParamUnion{OfToolResult: &result}),
				}})
			if err != nil || len(msg.Content) == 0 {
				t.Fatalf("answer: %v", err)
			}
			sent := ul.last(t, tc.provider)
			checkTitledFileSent(t, tc.provider, pdf, f.ID, sent)
			if tc.provider == "anthropic" && !strings.Contains(sent, `"content":[{"type":"text","text":"The report:"},{"type":"document"`) {
				t.Errorf("the document is not in the tool_result: %.600s", sent)
			}
		})
	}
}
