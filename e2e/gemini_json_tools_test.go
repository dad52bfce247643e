package e2e

import (
	"errors"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"
)

// Gemini before 3 refuses a JSON answer beside tools it may call (400
// "Function calling with a response mime type: 'application/json' is
// unsupported"; the simulator refuses it so). An OpenAI client asking
// gemini-2.5-flash for both gets the router's 400 on response_format,
// never the upstream's; with tool_choice none Gemini takes the pair and
// the request is served.
func TestJSONWithToolsOnGemini25(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	params := func(choice string) openai.ChatCompletionNewParams {
		p := openai.ChatCompletionNewParams{
			Model:    "gemini-2.5-flash",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the weather in Paris?")},
			Tools: []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
				Name: "get_weather", Parameters: shared.FunctionParameters{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}},
			})},
			ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
				JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: "answer", Schema: map[string]any{"type": "object"}},
			}},
		}
		if choice != "" {
			p.ToolChoice = openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String(choice)}
		}
		return p
	}
	_, err := e.Client.Chat.Completions.New(ctxT(t), params(""))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "response_format" || apiErr.Code != "unsupported_parameter" ||
		!strings.Contains(apiErr.Message, "beside tools it may call") || strings.Contains(apiErr.Message, "upstream") {
		t.Fatalf("tools and a schema on gemini-2.5-flash: want the router's 400 on response_format, got %v", err)
	}
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params("none")); err != nil {
		t.Errorf("tool_choice none with a schema: %v", err)
	}
}
