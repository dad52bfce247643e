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
	"switchyard/llm"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// Open-weight reasoning models on a host without a reasoning parser write
// their chain of thought in the content between <think> tags (the sim's
// ThinkTags profiles, sim/openai/think_tags.go, streamed in 5-byte pieces
// that cut the tags). These tests run each client API through the router
// to such a host: the reasoning reaches each client in its own shape, or
// not at all, and never as text.

// thinkTagsEnv is a router with deployments r1 (deepseek-ai/DeepSeek-R1-
// Distill-Qwen-32B, think_tags unset: by the model id), r1-0528 (whose
// template opens the block in the prompt) with think_tags on, and
// r1-0528-auto (the same model, unset), and r1-responses (r1 reached on
// the host's /v1/responses), on a vLLM-like sim.
func thinkTagsEnv(t *testing.T) *env {
	t.Helper()
	cat := sim.NewCatalog(sim.Profile{Model: "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", Reasoning: true, ThinkTags: true},
		sim.Profile{Model: "DeepSeek-R1-0528", Reasoning: true, ThinkTags: true, PromptOpensThink: true})
	srv := httptest.NewServer(simopenai.New(cat, nil))
	t.Cleanup(srv.Close)
	return newEnv(t, func(c *config.Config) {
		c.Providers["vllm"] = &config.Provider{Name: "vllm", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		caps := []llm.Capability{llm.CapStreaming, llm.CapTools, llm.CapReasoning, llm.CapJSONMode}
		for name, d := range map[string]*config.Deployment{
			"r1":           {Provider: "vllm", Model: "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"},
			"r1-0528":      {Provider: "vllm", Model: "DeepSeek-R1-0528", ThinkTags: "on"},
			"r1-0528-auto": {Provider: "vllm", Model: "DeepSeek-R1-0528"},
			"r1-responses": {Provider: "vllm", Model: "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", API: "responses"},
		} {
			d.Name, d.Capabilities = name, caps
			c.Deployments[name] = d
		}
	})
}

// thinkTagsReasoning is the sim's chain of thought for the prompt "Is 91
// prime?".
const thinkTagsReasoning = `The user asks: "Is 91 prime?". I can answer directly.` + "\n"

// A Chat Completions client, complete and streamed, gets the reasoning
// as reasoning_content and an answer free of tags; usage is the host's
// (the reasoning counted in completion_tokens) whether or not the client
// sees it. With think_tags on, an answer whose template opened the block
// in the prompt is split at its </think>; left unset, its content comes
// as the host wrote it.
func TestThinkTagsChat(t *testing.T) {
	t.Parallel()
	e := thinkTagsEnv(t)
	for _, model := range []string{"r1", "r1-0528"} {
		for _, stream := range []bool{false, true} {
			params := openai.ChatCompletionNewParams{Model: model, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")}}
			if stream {
				params.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
			}
			got, rc := askDeepSeek(t, e, params, stream)
			text := got.Choices[0].Message.Content
			if rc != thinkTagsReasoning || text == "" || strings.Contains(text, "think>") || strings.Contains(text, "The user asks") {
				t.Errorf("%s stream %v: reasoning_content %q, content %q", model, stream, rc, text)
			}
			if got.Usage.CompletionTokens < 8 {
				t.Errorf("%s stream %v: completion tokens %d, the reasoning not counted", model, stream, got.Usage.CompletionTokens)
			}
		}
	}
	got, rc := askDeepSeek(t, e, openai.ChatCompletionNewParams{Model: "r1-0528-auto",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")}}, true)
	if text := got.Choices[0].Message.Content; rc != "" || !strings.HasPrefix(text, thinkTagsReasoning+"</think>\n\n") {
		t.Errorf("think_tags unset, no opening tag: reasoning_content %q, content %q", rc, text)
	}
}

// A Responses client asking for a reasoning summary gets the reasoning
// as the reasoning item's summary, streamed and complete; one that does
// not ask gets none of it, and no tags in the text.
func TestThinkTagsResponses(t *testing.T) {
	t.Parallel()
	e := thinkTagsEnv(t)
	params := checkThinkTagsSummary(t, e, "r1")
	params.Reasoning = shared.ReasoningParam{}
	got, err := e.Client.Responses.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Output) != 1 || got.Output[0].Type != "message" || strings.Contains(got.OutputText(), "think>") || strings.Contains(got.OutputText(), "The user asks") {
		t.Errorf("without a summary: %s", got.RawJSON())
	}
}

// checkThinkTagsSummary asks model on the Responses API for a reasoning
// summary, streamed and complete, and checks the think block came as the
// reasoning item and nowhere in the text; it returns the request.
func checkThinkTagsSummary(t *testing.T, e *env, model string) responses.ResponseNewParams {
	t.Helper()
	want := strings.TrimSuffix(thinkTagsReasoning, "\n")
	params := responses.ResponseNewParams{Model: model,
		Input:     responses.ResponseNewParamsInputUnion{OfString: openai.String("Is 91 prime?")},
		Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow, Summary: shared.ReasoningSummaryAuto}}
	rs, _, streamed := streamedReasoning(t, e, params)
	if len(rs.Summary) != 1 || strings.TrimSpace(rs.Summary[0].Text) != want || strings.TrimSpace(streamed) != want {
		t.Errorf("%s streamed: reasoning %s, summary deltas %q", model, rs.RawJSON(), streamed)
	}
	got, err := e.Client.Responses.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	if got.Output[0].Type != "reasoning" || strings.Contains(got.OutputText(), "think>") || strings.Contains(got.OutputText(), "The user asks") || got.OutputText() == "" {
		t.Errorf("%s complete: %s", model, got.RawJSON())
	}
	return params
}

// An Anthropic client that asks for thinking gets the reasoning as a
// thinking block before the text, complete and streamed; one that does
// not gets the text alone.
func TestThinkTagsAnthropic(t *testing.T) {
	t.Parallel()
	e := thinkTagsEnv(t)
	c := anthropicClient(e, "demo-key")
	for _, model := range []string{"r1", "r1-0528"} {
		for _, streamed := range []bool{false, true} {
			params := userMessage(model, "Is 91 prime?", 4096)
			params.Thinking = sdk.ThinkingConfigParamOfEnabled(2048)
			msg := anthropicAsk(t, c, params, streamed)
			if len(msg.Content) != 2 || msg.Content[0].Type != "thinking" || msg.Content[1].Type != "text" ||
				msg.Content[0].Thinking != thinkTagsReasoning || strings.Contains(msg.Content[1].Text, "think>") {
				t.Errorf("%s streamed %v: answer %+v", model, streamed, msg.Content)
			}
			msg = anthropicAsk(t, c, userMessage(model, "Is 91 prime?", 4096), streamed)
			if len(msg.Content) != 1 || msg.Content[0].Type != "text" || strings.Contains(msg.Content[0].Text, "think>") ||
				strings.Contains(msg.Content[0].Text, "The user asks") {
				t.Errorf("%s streamed %v, without thinking: answer %+v", model, streamed, msg.Content)
			}
		}
	}
}

// A JSON-mode answer behind a <think> block reaches a Chat client as the
// JSON alone, streamed and not.
func TestThinkTagsJSONMode(t *testing.T) {
	t.Parallel()
	e := thinkTagsEnv(t)
	for _, stream := range []bool{false, true} {
		params := openai.ChatCompletionNewParams{Model: "r1",
			Messages:       []openai.ChatCompletionMessageParamUnion{openai.UserMessage("List two primes as JSON.")},
			ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONObject: &shared.ResponseFormatJSONObjectParam{}}}
		got, rc := askDeepSeek(t, e, params, stream)
		if text := got.Choices[0].Message.Content; rc == "" || !json.Valid([]byte(text)) {
			t.Errorf("stream %v: reasoning_content %q, content %q", stream, rc, text)
		}
	}
}
