package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// The demo's route code-agent serves gpt-5.3-codex on OpenAI's Responses
// API: a Responses client's web search comes back searched and cited; a
// Chat Completions client's question is sent to /v1/responses too (the
// model is served only there) and answered as chat.
func TestDemoCodeAgent(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	var hr *http.Response
	resp, err := e.Client.Responses.New(ctxT(t), webSearchParams("code-agent", "What is the weather in Paris today?"), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if d := hr.Header.Get("x-switchyard-deployment"); d != "gpt-5.3-codex" || resp.Model != "gpt-5.3-codex" {
		t.Errorf("served by %q (model %q)", d, resp.Model)
	}
	checkWebSearch(t, "code-agent", resp.Output)
	upstreamResponses(t, tp)

	chat, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "code-agent",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write a Go function that reverses a string.")}}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if d := hr.Header.Get("x-switchyard-deployment"); d != "gpt-5.3-codex" || !strings.Contains(chat.Choices[0].Message.Content, "gpt-5.3-codex") {
		t.Errorf("chat served by %q: %s", d, chat.RawJSON())
	}
	upstreamResponses(t, tp)
}
