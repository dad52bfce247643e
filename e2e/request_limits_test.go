package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// The Messages API takes any number of stop_sequences; OpenAI's chat
// format takes at most 4 and Gemini's at most 5. A route passes over the
// deployments that cannot take the request's, instead of sending them
// and answering their 400 about a 'stop' parameter the client never sent.
func TestStopSequencesBeyondAnUpstreamsLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	five := []string{"answering", "zz1", "zz2", "zz3", "zz4"}
	for _, tt := range []struct {
		stops []string
		not   []string // deployments that must not answer
	}{
		{five, []string{"gpt-4o-mini", "azure-gpt-4o-mini", "gpt-4o", "o3-mini"}},
		{append(five, "zz5"), []string{"gpt-4o-mini", "azure-gpt-4o-mini", "gpt-4o", "o3-mini", "gemini-2.5-flash", "gemini-2.5-pro"}},
	} {
		for _, streamed := range []bool{false, true} {
			params := userMessage("auto", "Hi", 200)
			params.StopSequences = tt.stops
			var resp *http.Response
			var err error
			if streamed {
				s := c.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&resp))
				for s.Next() {
				}
				err = s.Err()
			} else {
				_, err = c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
			}
			if err != nil {
				t.Fatalf("%d stop sequences, streamed=%v: %v", len(tt.stops), streamed, err)
			}
			if dep := resp.Header.Get("x-switchyard-deployment"); dep == "" || strings.Contains(strings.Join(tt.not, ","), dep) {
				t.Errorf("%d stop sequences, streamed=%v: served by %q, which cannot take them", len(tt.stops), streamed, dep)
			}
		}
	}

	// A deployment pinned without fallback: the router's 400, in
	// Anthropic's shape, says what is wrong.
	params := userMessage("gpt-4o-mini", "Hi", 200)
	params.StopSequences = five
	_, err := c.Messages.New(ctxT(t), params, sdkoption.WithHeader("x-switchyard-fallback", "none"))
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), "at most 4 stop sequences") || strings.Contains(apiErr.Error(), "upstream") {
		t.Fatalf("want the router's 400 on the stop sequences, got %v", err)
	}
}

// n > 1 through a route: Anthropic's API returns one choice per request,
// so a route passes over its deployments (the summarization category puts
// claude-haiku-4-5 first) instead of answering their 400 on n.
func TestChoicesThroughARoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	var resp *http.Response
	out, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
		Model: "auto", N: openai.Int(2),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Summarize this text in two sentences: The river flows through the valley, feeding farms and towns along its banks for centuries.")},
	}, option.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if dep := resp.Header.Get("x-switchyard-deployment"); len(out.Choices) != 2 || strings.HasPrefix(dep, "claude") {
		t.Errorf("%d choices from %q", len(out.Choices), dep)
	}
	// Named directly, an Anthropic deployment still refuses it on n.
	_, err = e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
		Model: "claude-haiku-4-5", N: openai.Int(2), Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
	})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "n" {
		t.Fatalf("want a 400 on n, got %v", err)
	}
}

// A spoken answer (modalities with audio) only OpenAI's wire format
// gives: a route passes over the others, which would answer in text
// alone, and one named directly is a 400 on modalities.
func TestAudioOutputThroughARoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	params := openai.ChatCompletionNewParams{
		Model: "auto", Modalities: []string{"text", "audio"},
		Audio:    openai.ChatCompletionAudioParam{Voice: openai.ChatCompletionAudioParamVoiceUnion{OfString: openai.String("alloy")}, Format: "wav"},
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Summarize this text in two sentences: The river flows through the valley, feeding farms and towns along its banks for centuries.")},
	}
	var resp *http.Response
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&resp)); err != nil {
		t.Fatal(err)
	}
	if dep := resp.Header.Get("x-switchyard-deployment"); strings.HasPrefix(dep, "claude") || strings.HasPrefix(dep, "gemini") {
		t.Errorf("a spoken answer asked of %s", dep)
	}
	params.Model = "gemini-2.5-flash"
	_, err := e.Client.Chat.Completions.New(ctxT(t), params)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "modalities" {
		t.Fatalf("want a 400 on modalities, got %v", err)
	}
}

// Audio and file content parts pass through to OpenAI-format upstreams
// and map to Gemini's inline data; the Anthropic adapter takes text,
// images and PDF documents only, no audio. A route passes over it, and
// named directly it is a 400 saying so.
func TestAudioPartsThroughARoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	parts := []openai.ChatCompletionContentPartUnionParam{
		openai.TextContentPart("Summarize this text in two sentences: The river flows through the valley, feeding farms and towns."),
		openai.InputAudioContentPart(openai.ChatCompletionContentPartInputAudioInputAudioParam{Data: "UklGRiQAAABXQVZF", Format: "wav"}),
	}
	params := openai.ChatCompletionNewParams{Model: "auto", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(parts)}}
	var resp *http.Response
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&resp)); err != nil {
		t.Fatal(err)
	}
	if dep := resp.Header.Get("x-switchyard-deployment"); strings.HasPrefix(dep, "claude") {
		t.Errorf("an audio part sent to %s", dep)
	}
	params.Model = "claude-haiku-4-5"
	_, err := e.Client.Chat.Completions.New(ctxT(t), params)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "no audio") {
		t.Fatalf("want a 400 saying audio parts cannot go there, got %v", err)
	}
}

// A tool_choice that forces a call the request cannot make is the
// router's 400 on tool_choice whatever the deployment; it was answered
// in text by OpenAI-format and Gemini deployments, refused by Claude.
func TestToolChoiceWithoutTheTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	tool := openai.ChatCompletionFunctionTool(openai.FunctionDefinitionParam{Name: "get_weather", Parameters: openai.FunctionParameters{"type": "object", "properties": map[string]any{}}})
	for _, dep := range chatDeployments {
		for _, tt := range []struct {
			tools  []openai.ChatCompletionToolUnionParam
			choice openai.ChatCompletionToolChoiceOptionUnionParam
			param  string
		}{
			{nil, openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String("required")}, "tool_choice"},
			{[]openai.ChatCompletionToolUnionParam{tool}, openai.ToolChoiceOptionFunctionToolChoice(openai.ChatCompletionNamedToolChoiceFunctionParam{Name: "get_time"}), "tool_choice.function.name"},
		} {
			_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
				Model: dep, Tools: tt.tools, ToolChoice: tt.choice, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
			})
			var apiErr *openai.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != tt.param || strings.Contains(apiErr.Message, "upstream") {
				t.Errorf("%s: want the router's 400 on %s, got %v", dep, tt.param, err)
			}
		}
	}
}

// OpenAI's temperature goes to 2, Anthropic's to 1: a route passes over
// the Anthropic deployments for a temperature above 1 (a creative prompt
// in the demo goes to claude-sonnet-4-5 70% of the time) instead of
// answering their adapter's 400, and one named directly is a 400 on
// temperature.
func TestTemperatureAboveOneThroughARoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	poem := []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write a short poem about the sea at night.")}
	for i := range 6 {
		var resp *http.Response
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "auto", Temperature: openai.Float(1.5), Messages: poem},
			option.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if dep := resp.Header.Get("x-switchyard-deployment"); strings.HasPrefix(dep, "claude") {
			t.Errorf("temperature 1.5 sent to %s", dep)
		}
	}
	_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "claude-haiku-4-5", Temperature: openai.Float(1.5), Messages: poem})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "temperature" {
		t.Fatalf("named directly: want a 400 on temperature, got %v", err)
	}
	// At 1 or below, the Anthropic deployments stay candidates.
	resp, body := post(t, e.URL+"/v1/route", "k", []byte(`{"model":"auto","temperature":1,"messages":[{"role":"user","content":"Write a short poem about the sea at night."}]}`))
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"provider":"anthropic"`) {
		t.Errorf("temperature 1: %d %s", resp.StatusCode, body)
	}
}

// A request of a system prompt alone (or with an empty user turn) is
// answered by OpenAI; Anthropic and Gemini need a user turn, so their
// adapters send the prompt as that turn instead of refusing it, and
// every deployment, through a route or named, answers.
func TestSystemPromptAlone(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, model := range append([]string{"auto"}, chatDeployments...) {
		for _, msgs := range [][]openai.ChatCompletionMessageParamUnion{
			{openai.SystemMessage("You are a poet. Write a haiku about autumn.")},
			{openai.DeveloperMessage("You are a poet. Write a haiku about autumn."), openai.UserMessage("")},
		} {
			out, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: model, Messages: msgs})
			if err != nil {
				t.Errorf("%s: %v", model, err)
				continue
			}
			// The Anthropic and Gemini simulators echo the user turn they got.
			c := out.Choices[0].Message.Content
			if c == "" || (strings.HasPrefix(model, "claude") || strings.HasPrefix(model, "gemini")) && !strings.Contains(c, "haiku") {
				t.Errorf("%s answered %q, not the system prompt", model, c)
			}
		}
	}
}

// max_tokens above a deployment's declared output limit (max_output_tokens)
// is refused by every provider: a route passes over those deployments
// (gpt-4o-mini takes 16384, Claude 64000, Gemini 65536 in the demo), and
// one named directly is a 400 on max_tokens.
func TestMaxTokensAboveAnOutputLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	hi := []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there, how are you?")}
	for range 4 {
		var resp *http.Response
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "auto", MaxTokens: openai.Int(60000), Messages: hi},
			option.WithResponseInto(&resp))
		if err != nil {
			t.Fatal(err)
		}
		if dep := resp.Header.Get("x-switchyard-deployment"); strings.HasPrefix(dep, "gpt-4o") {
			t.Errorf("max_tokens 60000 sent to %s, whose limit is 16384", dep)
		}
	}
	_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-4o-mini", MaxTokens: openai.Int(60000), Messages: hi})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "max_tokens" || !strings.Contains(apiErr.Message, "16384") {
		t.Fatalf("named directly: want a 400 on max_tokens naming the limit, got %v", err)
	}
}

// OpenAI's user (an end-user id) takes 64 characters (a longer one is
// sent hashed: TestLongUserToOpenAI), Anthropic's
// metadata.user_id one of 512 characters: a longer id is left out for an
// Anthropic deployment, which would refuse the request for it; it only
// helps the provider detect abuse, so the answer does not change.
func TestLongUserIDToAnthropic(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, user := range []string{strings.Repeat("u", 512), strings.Repeat("u", 600)} {
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "claude-haiku-4-5", User: openai.String(user),
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi")}})
		if err != nil {
			t.Errorf("user of %d characters: %v", len(user), err)
		}
	}
}

// Anthropic refuses a stop sequence of whitespace alone ("stop_sequences:
// each stop sequence must contain non-whitespace"), which OpenAI clients
// often send (stop: ["\n"]): a route passes over the Anthropic deployments
// for it (a creative prompt goes to claude-sonnet-4-5 70% of the time in
// the demo), one named directly is a 400 on stop, and an Anthropic client
// gets the API's own 400.
func TestWhitespaceStopSequence(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	poem := []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write a short poem about the sea at night.")}
	stop := openai.ChatCompletionNewParamsStopUnion{OfStringArray: []string{"\n"}}
	for range 6 {
		var resp *http.Response
		if _, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "auto", Stop: stop, Messages: poem},
			option.WithResponseInto(&resp)); err != nil {
			t.Fatal(err)
		}
		if dep := resp.Header.Get("x-switchyard-deployment"); strings.HasPrefix(dep, "claude") {
			t.Errorf("a whitespace stop sequence sent to %s", dep)
		}
	}
	_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "claude-haiku-4-5", Stop: stop, Messages: poem})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "stop" {
		t.Fatalf("named directly: want a 400 on stop, got %v", err)
	}
	params := userMessage("auto", "Hi", 100)
	params.StopSequences = []string{"END", " \n"}
	ac := anthropicClient(e, "demo-key")
	_, err = ac.Messages.New(ctxT(t), params)
	var ae *sdk.Error
	if !errors.As(err, &ae) || ae.StatusCode != 400 || !strings.Contains(ae.RawJSON(), "stop_sequences: each stop sequence must contain non-whitespace") {
		t.Fatalf("Anthropic client: want the API's 400, got %v", err)
	}
}
