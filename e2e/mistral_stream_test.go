package e2e

import (
	"net/http/httptest"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// Mistral's API refuses stream_options (a 422 extra_forbidden on
// stream_options.include_usage), which the router asks on every streamed
// request, and sends the usage on its last chunk unasked. An openai-go
// client's streamed request, and an Anthropic client's, reach a kind
// openai deployment on the simulated Mistral API, which refuses as
// Mistral does; the deployment says stream_options: omit, the sim's URL
// not being api.mistral.ai. The client gets the answer and its usage.
func TestStreamReachesMistral(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(simopenai.NewMistral(sim.NewCatalog(sim.Profile{Model: "mistral-large-latest"}), nil))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["mistral"] = &config.Provider{Name: "mistral", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["mistral"] = &config.Deployment{Name: "mistral", Provider: "mistral", Model: "mistral-large-latest", StreamOptions: "omit",
			Price: config.Price{Input: 2, Output: 6}}
	})
	s := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{Model: "mistral",
		Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Name a train.")},
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}})
	var acc openai.ChatCompletionAccumulator
	for s.Next() {
		acc.AddChunk(s.Current())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if acc.Choices[0].Message.Content == "" || acc.Usage.PromptTokens == 0 || acc.Usage.CompletionTokens == 0 {
		t.Errorf("answer %q usage %+v", acc.Choices[0].Message.Content, acc.Usage)
	}
	c := anthropicClient(e, "demo-key")
	as := c.Messages.NewStreaming(ctxT(t), userMessage("mistral", "Name a train.", 200))
	var out int64
	for as.Next() {
		if ev := as.Current(); ev.Type == "message_delta" {
			out = ev.Usage.OutputTokens
		}
	}
	if err := as.Err(); err != nil {
		t.Fatal(err)
	}
	if out == 0 {
		t.Error("the Anthropic client's stream reported no output tokens")
	}
}
