package e2e

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// screenshotOutput is a function_call_output answering callID with text
// and an image (a data URL), as an agent's screenshot tool sends it.
func screenshotOutput(callID, dataURL string) responses.ResponseInputItemUnionParam {
	return responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{
		CallID: openai.String(callID),
		Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{
			OfResponseFunctionCallOutputItemArray: responses.ResponseFunctionCallOutputItemListParam{
				{OfInputText: &responses.ResponseInputTextContentParam{Text: "The screen:"}},
				{OfInputImage: &responses.ResponseInputImageContentParam{ImageURL: openai.String(dataURL)}},
			},
		},
	}}
}

// A Responses client's function_call_output holding an image (two calls
// of one turn, the first answered with a screenshot) is answered by
// every upstream kind, complete and streamed, and the image reaches it:
// in the tool_result on Claude, after the function responses on Gemini,
// in a user message after the tool messages on Chat Completions, in the
// function_call_output on the Responses API.
func TestResponsesFunctionOutputImageReachesEveryUpstream(t *testing.T) {
	t.Parallel()
	e, tp := respShapeEnv(t)
	png := base64.StdEncoding.EncodeToString(tinyPNG(t))
	input := []responses.ResponseInputItemUnionParam{
		responses.ResponseInputItemParamOfMessage("What is on my screen, and what time is it?", responses.EasyInputMessageRoleUser),
		responses.ResponseInputItemParamOfFunctionCall(`{}`, "call_s", "screenshot"),
		responses.ResponseInputItemParamOfFunctionCall(`{"city":"Lima"}`, "call_t", "get_time"),
		screenshotOutput("call_s", "data:image/png;base64,"+png),
		functionOutput("call_t", `{"time":"09:30"}`),
	}
	tools := []responses.ToolUnionParam{
		{OfFunction: &responses.FunctionToolParam{Name: "screenshot", Parameters: map[string]any{"type": "object", "properties": map[string]any{}}}},
		{OfFunction: &responses.FunctionToolParam{Name: "get_time", Parameters: map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}}}},
	}
	for _, dep := range shapeDeployments {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := responses.ResponseNewParams{Model: dep, Tools: tools,
					Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
				if text := responsesAnswer(t, e.Client, params, streamed); text == "" {
					t.Error("no text in the answer")
				}
				reqs := tp.requests()
				if sent := string(reqs[len(reqs)-1].body); !strings.Contains(sent, png) {
					t.Errorf("the image did not reach %s: %s", dep, sent)
				}
			})
		}
	}
}

// responsesAnswer asks the Responses API, complete or streamed, and
// returns the answer's text.
func responsesAnswer(t *testing.T, c openai.Client, params responses.ResponseNewParams, streamed bool) string {
	t.Helper()
	if !streamed {
		out, err := c.Responses.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		return out.OutputText()
	}
	s := c.Responses.NewStreaming(ctxT(t), params)
	text := ""
	for s.Next() {
		if ev := s.Current(); ev.Type == "response.completed" {
			text = ev.Response.OutputText()
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return text
}
