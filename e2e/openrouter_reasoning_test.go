package e2e

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// Clients written for OpenRouter (Qwen Code, Cline, Roo, Kilo, the AI
// SDK's OpenRouter provider) send its reasoning object on Chat
// Completions in place of reasoning_effort. The router reads it: each
// deployment is sent what its API takes, never the object itself, which
// OpenAI refuses (400 "Unrecognized request argument supplied:
// reasoning", as the sim does).

// askReasoning sends a question to model with the reasoning object
// obj (option.WithJSONSet, the field openai-go does not have).
func askReasoning(t *testing.T, e *env, model string, obj any) (*openai.ChatCompletion, error) {
	t.Helper()
	return e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
		Model:    openai.ChatModel(model),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")},
	}, option.WithJSONSet("reasoning", obj), option.WithMaxRetries(0))
}

// The object's effort reaches an OpenAI reasoning model (o3-mini) as
// reasoning_effort, a budget as the nearest level, and the call is
// answered instead of refused.
func TestOpenRouterReasoningToOpenAI(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	for _, tc := range []struct {
		obj  map[string]any
		want string
	}{
		{map[string]any{"effort": "high"}, `"high"`},
		{map[string]any{"max_tokens": 2000}, `"low"`},
		{map[string]any{"enabled": true}, `"medium"`},
	} {
		if _, err := askReasoning(t, e, "o3-mini", tc.obj); err != nil {
			t.Fatalf("%v: %v", tc.obj, err)
		}
		body := tp.lastBody(t, "/chat/completions")
		if string(body["reasoning_effort"]) != tc.want || body["reasoning"] != nil {
			t.Errorf("%v: upstream reasoning_effort %s, reasoning %s; want %s alone", tc.obj, body["reasoning_effort"], body["reasoning"], tc.want)
		}
	}
}

// On Claude the object's budget is extended thinking, shown to the
// client as reasoning_content (OpenRouter returns reasoning unless
// excluded); excluded, Claude still thinks and the answer holds none of it.
func TestOpenRouterReasoningToClaude(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	for _, exclude := range []bool{false, true} {
		got, err := askReasoning(t, e, "claude-sonnet-4-5", map[string]any{"max_tokens": 4000, "exclude": exclude})
		if err != nil {
			t.Fatal(err)
		}
		body := tp.lastBody(t, "/v1/messages")
		if string(body["thinking"]) != `{"type":"enabled","budget_tokens":4000}` || body["reasoning"] != nil {
			t.Errorf("exclude %v: upstream thinking %s, reasoning %s", exclude, body["thinking"], body["reasoning"])
		}
		_, shown := got.Choices[0].Message.JSON.ExtraFields["reasoning_content"]
		if shown == exclude || got.Choices[0].Message.Content == "" {
			t.Errorf("exclude %v: answer %s", exclude, got.RawJSON())
		}
	}
}

// On Gemini 2.5 the object's effort is the thinking budget of its level.
func TestOpenRouterReasoningToGemini(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	if _, err := askReasoning(t, e, "gemini-2.5-flash", map[string]any{"effort": "medium"}); err != nil {
		t.Fatal(err)
	}
	var body struct {
		GenerationConfig struct {
			ThinkingConfig map[string]any `json:"thinkingConfig"`
		} `json:"generationConfig"`
		Reasoning json.RawMessage `json:"reasoning"`
	}
	reqs := tp.requests()
	if err := json.Unmarshal(reqs[len(reqs)-1].body, &body); err != nil {
		t.Fatal(err)
	}
	if body.GenerationConfig.ThinkingConfig["thinkingBudget"] != float64(8192) || body.Reasoning != nil {
		t.Errorf("upstream thinkingConfig %v, reasoning %s", body.GenerationConfig.ThinkingConfig, body.Reasoning)
	}
}

// exclude keeps a DeepSeek thinking model's reasoning_content out of the
// answer, complete and streamed; without it the client reads it.
func TestOpenRouterReasoningExcludeHidesReasoningContent(t *testing.T) {
	t.Parallel()
	e, _ := deepSeekEnv(t)
	for _, stream := range []bool{false, true} {
		for _, exclude := range []bool{false, true} {
			params := openai.ChatCompletionNewParams{Model: "deepseek",
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")}}
			params.SetExtraFields(map[string]any{"reasoning": map[string]any{"exclude": exclude}})
			got, rc := askDeepSeek(t, e, params, stream)
			if (rc == "") != exclude || got.Choices[0].Message.Content == "" {
				t.Errorf("stream %v, exclude %v: reasoning_content %q, content %q", stream, exclude, rc, got.Choices[0].Message.Content)
			}
		}
	}
}

// A bad object is refused with OpenAI's 400 naming the member.
func TestOpenRouterReasoningRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for obj, param := range map[string]string{`{"effort":"extreme"}`: "reasoning.effort", `{"effort":"high","max_tokens":2000}`: "reasoning"} {
		_, err := askReasoning(t, e, "o3-mini", json.RawMessage(obj))
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != param || !strings.Contains(apiErr.Message, "'"+param+"'") {
			t.Errorf("%s: %v", obj, err)
		}
	}
}
