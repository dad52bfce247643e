package e2e

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
)

// personSchema is an OpenAI strict schema; Anthropic's native structured
// outputs take it as it is.
var personSchema = map[string]any{
	"type": "object",
	"properties": map[string]any{
		"name": map[string]any{"type": "string"},
		"age":  map[string]any{"type": "integer"},
	},
	"required":             []string{"name", "age"},
	"additionalProperties": false,
}

// checkPerson requires text to be the JSON of a person, alone: no fence,
// no prose.
func checkPerson(t *testing.T, text string) {
	t.Helper()
	var got struct {
		Name *string `json:"name"`
		Age  *int    `json:"age"`
	}
	d := json.NewDecoder(strings.NewReader(text))
	d.DisallowUnknownFields()
	if err := d.Decode(&got); err != nil || got.Name == nil || got.Age == nil || d.More() {
		t.Errorf("answer %q does not follow the schema (%v)", text, err)
	}
}

func personFormat() openai.ChatCompletionNewParamsResponseFormatUnion {
	return openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
		JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: "person", Schema: personSchema, Strict: openai.Bool(true)},
	}}
}

// TestStructuredOutputOpenAISDKToClaude: openai-go's json_schema
// response_format on a Claude deployment is answered by native structured
// output, so the JSON comes alone, complete or streamed. A deployment set
// to structured_output: prompt gets the instruction, and the simulated
// Claude fences its JSON as the real one often does: the router drops the
// fence, streamed too, so the client's parse works; json_object (always
// by instruction on Claude) likewise.
func TestStructuredOutputOpenAISDKToClaude(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		d := *c.Deployments["claude-haiku-4-5"]
		d.Name, d.StructuredOutput = "claude-prompted", "prompt"
		c.Deployments[d.Name] = &d
	})
	params := openai.ChatCompletionNewParams{
		Model:          "claude-haiku-4-5",
		Messages:       []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Extract: Ada Lovelace, 36 years old.")},
		ResponseFormat: personFormat(),
	}
	resp, err := e.Client.Chat.Completions.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	checkPerson(t, resp.Choices[0].Message.Content)
	streamed := func(model string) string {
		params.Model = model
		stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
		defer stream.Close()
		var acc openai.ChatCompletionAccumulator
		for stream.Next() {
			acc.AddChunk(stream.Current())
		}
		if err := stream.Err(); err != nil || len(acc.Choices) != 1 {
			t.Fatalf("%s stream: %v, %+v", model, err, acc.ChatCompletion)
		}
		return acc.Choices[0].Message.Content
	}
	checkPerson(t, streamed("claude-haiku-4-5"))
	checkPerson(t, streamed("claude-prompted"))
	params.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONObject: &shared.ResponseFormatJSONObjectParam{}}
	params.Messages = []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Extract as JSON: Ada Lovelace, 36 years old.")}
	if got := streamed("claude-haiku-4-5"); !json.Valid([]byte(got)) || strings.Contains(got, "```") {
		t.Errorf("json_object streamed %q, want bare JSON", got)
	}
}

// TestStructuredOutputAnthropicSDK: anthropic-sdk-go's
// output_config.format reaches a Claude deployment natively and an OpenAI
// one as response_format json_schema; both answer the schema's JSON
// alone. A schema the API refuses is refused with its words, whatever the
// deployment.
func TestStructuredOutputAnthropicSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, dep := range []string{"claude-haiku-4-5", "gpt-4o-mini", "gemini-2.5-flash"} {
		t.Run(dep, func(t *testing.T) {
			params := userMessage(dep, "Extract: Ada Lovelace, 36 years old.", 200)
			params.OutputConfig = sdk.OutputConfigParam{Format: sdk.JSONOutputFormatParam{Schema: personSchema}}
			msg, err := c.Messages.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			if len(msg.Content) != 1 || msg.StopReason != sdk.StopReasonEndTurn {
				t.Fatalf("content %+v, stop %q", msg.Content, msg.StopReason)
			}
			checkPerson(t, msg.Content[0].Text)
			stream := c.Messages.NewStreaming(ctxT(t), params)
			acc := accumulateMessage(t, stream)
			if len(acc.Content) != 1 {
				t.Fatalf("stream: %+v", acc.Content)
			}
			checkPerson(t, acc.Content[0].Text)
		})
	}
	params := userMessage("gpt-4o-mini", "Extract: Ada Lovelace.", 200)
	params.OutputConfig = sdk.OutputConfigParam{Format: sdk.JSONOutputFormatParam{Schema: map[string]any{"type": "object", "properties": map[string]any{"n": map[string]any{"type": "integer", "minimum": 1}}, "additionalProperties": false}}}
	_, err := c.Messages.New(ctxT(t), params)
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), "output_config.format.schema: For 'integer' type, property 'minimum' is not supported") {
		t.Errorf("refused schema: %v", err)
	}
}
