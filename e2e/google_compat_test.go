package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
	simgemini "switchyard/sim/gemini"
	simopenai "switchyard/sim/openai"
)

// Gemini 3 behind Google's OpenAI compatibility endpoint signs its tool
// calls (extra_content.google.thought_signature) and refuses a tool loop
// whose current-turn call comes back without the signature (400
// "Function call is missing a thought_signature in functionCall
// parts…", an array-shaped body). These tests run tool loops through the
// router on a kind openai deployment whose base_url is that endpoint's
// path on the sim, which does both.

// googleCompatEnv is a router with a gemini-3-flash-preview deployment
// on the sim's Google compatibility path ("gemini-compat", and
// "gemini-compat-omit" configured thought_signatures: omit), a gpt-4.1
// on its OpenAI path ("compat") and a native Gemini deployment of the
// same model ("gemini-native"), every upstream tapped; a client names
// the deployment.
func googleCompatEnv(t *testing.T) (*env, *tap) {
	t.Helper()
	tp := &tap{}
	oai := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "gemini-3-flash-preview", Reasoning: true}, sim.Profile{Model: "gpt-4.1"}), nil)))
	t.Cleanup(oai.Close)
	gem := httptest.NewServer(tp.wrap(simgemini.New(sim.NewCatalog(sim.Profile{Model: "gemini-3-flash-preview", Reasoning: true}), nil)))
	t.Cleanup(gem.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["google"] = &config.Provider{Name: "google", Kind: config.KindOpenAI, BaseURL: oai.URL + "/v1beta/openai", APIKey: "sk-sim"}
		c.Providers["compat"] = &config.Provider{Name: "compat", Kind: config.KindOpenAI, BaseURL: oai.URL + "/v1", APIKey: "sk-sim"}
		c.Providers["gemnative"] = &config.Provider{Name: "gemnative", Kind: config.KindGemini, BaseURL: gem.URL, APIKey: "sim"}
		for name, d := range map[string]*config.Deployment{
			"gemini-compat":      {Provider: "google", Model: "gemini-3-flash-preview"},
			"gemini-compat-omit": {Provider: "google", Model: "gemini-3-flash-preview", ThoughtSignatures: "omit"},
			"compat":             {Provider: "compat", Model: "gpt-4.1"},
			"gemini-native":      {Provider: "gemnative", Model: "gemini-3-flash-preview"},
		} {
			d.Name = name
			c.Deployments[name] = d
		}
	})
	return e, tp
}

// askCompat sends params, complete or streamed, and returns the answer
// with the thought signature the client read on its first tool call (the
// message's extra_content, or the call's first delta's).
func askCompat(t *testing.T, e *env, params openai.ChatCompletionNewParams, stream bool) (*openai.ChatCompletion, string) {
	t.Helper()
	if !stream {
		got, err := e.Client.Chat.Completions.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		if calls := got.Choices[0].Message.ToolCalls; len(calls) > 0 {
			return got, signatureIn(t, calls[0].AsFunction().JSON.ExtraFields["extra_content"].Raw())
		}
		return got, ""
	}
	s := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
	var acc openai.ChatCompletionAccumulator
	sig := ""
	for s.Next() {
		ch := s.Current()
		acc.AddChunk(ch)
		if len(ch.Choices) > 0 {
			for _, tc := range ch.Choices[0].Delta.ToolCalls {
				if f, ok := tc.JSON.ExtraFields["extra_content"]; ok && tc.Index == 0 {
					sig = signatureIn(t, f.Raw())
				}
			}
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return &acc.ChatCompletion, sig
}

// signatureIn reads google.thought_signature from an extra_content's raw
// JSON ("" for none).
func signatureIn(t *testing.T, raw string) string {
	t.Helper()
	if raw == "" {
		return ""
	}
	var ec struct {
		Google struct {
			ThoughtSignature string `json:"thought_signature"`
		} `json:"google"`
	}
	if err := json.Unmarshal([]byte(raw), &ec); err != nil {
		t.Fatalf("extra_content %s: %v", raw, err)
	}
	return ec.Google.ThoughtSignature
}

// upstreamSignatures returns the extra_content thought signature of each
// tool call of the last chat request to path ("absent" where a call has
// none).
func upstreamSignatures(t *testing.T, tp *tap, path string) []string {
	t.Helper()
	var msgs []struct {
		ToolCalls []struct {
			ExtraContent json.RawMessage `json:"extra_content"`
		} `json:"tool_calls"`
	}
	if err := json.Unmarshal(tp.lastBody(t, path)["messages"], &msgs); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		for _, tc := range m.ToolCalls {
			if tc.ExtraContent == nil {
				out = append(out, "absent")
				continue
			}
			out = append(out, signatureIn(t, string(tc.ExtraContent)))
		}
	}
	return out
}

// An OpenAI client's tool loop on Gemini 3 through Google's compatibility
// endpoint, complete and streamed: the client reads the call's signature
// in extra_content, as Google writes it; whether it sends it back (a
// client written for Google's endpoint) or drops it (openai-go's ToParam
// keeps no extra field), the second turn reaches Google with the model's
// own signature and is answered.
func TestGoogleCompatToolLoop(t *testing.T) {
	t.Parallel()
	e, tp := googleCompatEnv(t)
	cities := []string{"Oslo", "Bergen", "Tromso", "Bodo"}
	n := 0
	for _, stream := range []bool{false, true} {
		for _, sendsBack := range []bool{true, false} {
			params := openai.ChatCompletionNewParams{Model: "gemini-compat", Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Use get_weather for " + cities[n])}}
			n++
			first, sig := askCompat(t, e, params, stream)
			calls := first.Choices[0].Message.ToolCalls
			if len(calls) != 1 {
				t.Fatalf("stream %v: calls %+v", stream, calls)
			}
			if want := simopenai.ThoughtSignature(calls[0].Function.Name, calls[0].Function.Arguments); sig != want {
				t.Errorf("stream %v: the client read signature %q, want the model's %q", stream, sig, want)
			}
			asst := first.Choices[0].Message.ToAssistantMessageParam()
			if sendsBack {
				asst.ToolCalls[0].OfFunction.SetExtraFields(map[string]any{"extra_content": map[string]any{"google": map[string]any{"thought_signature": sig}}})
			}
			params.Messages = append(params.Messages, openai.ChatCompletionMessageParamUnion{OfAssistant: &asst}, openai.ToolMessage(`{"temp_c": 4}`, calls[0].ID))
			second, _ := askCompat(t, e, params, stream)
			if second.Choices[0].Message.Content == "" {
				t.Errorf("stream %v, sent back %v: second turn %+v", stream, sendsBack, second.Choices[0].Message)
			}
			if got := upstreamSignatures(t, tp, "/v1beta/openai/chat/completions"); len(got) != 1 || got[0] != sig {
				t.Errorf("stream %v, sent back %v: upstream signatures %q, want %q", stream, sendsBack, got, sig)
			}
		}
	}
}

// An Anthropic client's tool loop on the same deployment: its tool_use
// block has no place for the signature, which the router kept behind
// the call and sends back, complete and streamed.
func TestGoogleCompatAnthropicToolLoop(t *testing.T) {
	t.Parallel()
	e, tp := googleCompatEnv(t)
	c := anthropicClient(e, "demo-key")
	for _, streamed := range []bool{false, true} {
		use := anthropicWeatherLoop(t, c, "gemini-compat", streamed)
		want := simopenai.ThoughtSignature(use.Name, string(use.Input))
		if got := upstreamSignatures(t, tp, "/v1beta/openai/chat/completions"); len(got) != 1 || got[0] != want {
			t.Errorf("streamed %v: upstream signatures %q, want %q", streamed, got, want)
		}
	}
}

// A conversation that began on Gemini through Google's endpoint and goes
// on elsewhere: to OpenAI's API the call goes without extra_content
// (which OpenAI, and the sim, refuse); to Gemini's native API with the
// same signature as thoughtSignature. A deployment on Google's endpoint
// configured thought_signatures: omit is sent none, and Google's refusal
// (an array-shaped body) reaches the client as a 400 with Google's words.
func TestGoogleCompatSignaturesAcrossHosts(t *testing.T) {
	t.Parallel()
	e, tp := googleCompatEnv(t)
	params := openai.ChatCompletionNewParams{Model: "gemini-compat", Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Use get_weather for Narvik")}}
	first, sig := askCompat(t, e, params, false)
	calls := first.Choices[0].Message.ToolCalls
	if len(calls) != 1 || sig == "" {
		t.Fatalf("first turn: calls %+v, signature %q", calls, sig)
	}
	asst := first.Choices[0].Message.ToAssistantMessageParam()
	asst.ToolCalls[0].OfFunction.SetExtraFields(map[string]any{"extra_content": map[string]any{"google": map[string]any{"thought_signature": sig}}})
	params.Messages = append(params.Messages, openai.ChatCompletionMessageParamUnion{OfAssistant: &asst}, openai.ToolMessage(`{"temp_c": 4}`, calls[0].ID))

	params.Model = "compat"
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params); err != nil {
		t.Fatalf("on OpenAI's API: %v", err)
	}
	if got := upstreamSignatures(t, tp, "/v1/chat/completions"); len(got) != 1 || got[0] != "absent" {
		t.Errorf("OpenAI's API was sent signatures %q", got)
	}

	params.Model = "gemini-native"
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params); err != nil {
		t.Fatalf("on Gemini's API: %v", err)
	}
	var contents []struct {
		Parts []struct {
			FunctionCall     json.RawMessage `json:"functionCall"`
			ThoughtSignature string          `json:"thoughtSignature"`
		} `json:"parts"`
	}
	if err := json.Unmarshal(tp.lastBody(t, "GenerateContent")["contents"], &contents); err != nil {
		t.Fatal(err)
	}
	if len(contents) < 2 || len(contents[1].Parts) != 1 || contents[1].Parts[0].ThoughtSignature != sig {
		t.Errorf("Gemini's API was sent %+v, want the signature %q on the call", contents, sig)
	}

	params.Model = "gemini-compat-omit"
	_, err := e.Client.Chat.Completions.New(ctxT(t), params)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest ||
		!strings.Contains(apiErr.Message, "400: Function call is missing a thought_signature in functionCall parts.") {
		t.Errorf("thought_signatures omit: %v %s", err, apiErr.RawJSON())
	}
}

// anthropicWeatherLoop runs an Anthropic client's two turns of a
// get_weather tool loop on model, streamed or not, and returns the call
// the first answered.
func anthropicWeatherLoop(t *testing.T, c sdk.Client, model string, streamed bool) *sdk.ContentBlockUnion {
	t.Helper()
	city := map[bool]string{false: "Oslo", true: "Bergen"}[streamed]
	params := userMessage(model, "Use get_weather for "+city, 4096)
	params.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "get_weather",
		InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}}}}}
	msg := anthropicAsk(t, c, params, streamed)
	var use *sdk.ContentBlockUnion
	for i := range msg.Content {
		if msg.Content[i].Type == "tool_use" {
			use = &msg.Content[i]
		}
	}
	if use == nil {
		t.Fatalf("streamed %v: answer %+v", streamed, msg.Content)
	}
	params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewToolResultBlock(use.ID, "4C", false)))
	if next := anthropicAsk(t, c, params, streamed); len(next.Content) == 0 || next.Content[len(next.Content)-1].Type != "text" {
		t.Errorf("streamed %v: next answer %+v", streamed, next.Content)
	}
	return use
}
