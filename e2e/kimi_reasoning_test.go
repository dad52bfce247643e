package e2e

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// A tool loop on a Kimi K2.5 deployment (an OpenAI-compatible host: Moonshot,
// OpenRouter…) reaches it with reasoning_content on the assistant's
// tool-call message: Kimi in thinking mode refuses the turn without it
// ("thinking is enabled but reasoning_content is missing in assistant tool
// call message at index 1"). A client that never saw the reasoning (an
// OpenAI SDK) gets "" sent, which Kimi takes.
func TestKimiToolLoopReasoningContent(t *testing.T) {
	t.Parallel()
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "kimi-k2.5"}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["moonshot"] = &config.Provider{Name: "moonshot", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["kimi"] = &config.Deployment{Name: "kimi", Provider: "moonshot", Model: "kimi-k2.5"}
		c.Routes["moonshot-kimi"] = &config.Route{Name: "moonshot-kimi", Deployments: []string{"kimi"}}
	})
	call := openai.ChatCompletionMessageToolCallUnionParam{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
		ID: "functions.get_weather:0", Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "get_weather", Arguments: `{"city":"Oslo"}`}}}
	params := openai.ChatCompletionNewParams{Model: "moonshot-kimi", Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
		Messages: []openai.ChatCompletionMessageParamUnion{
			openai.UserMessage("What is the weather in Oslo?"),
			{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{call}}},
			openai.ToolMessage(`{"temperature_c": 4}`, "functions.get_weather:0"),
		}}
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params); err != nil {
		t.Fatal(err)
	}
	var msgs []map[string]json.RawMessage
	if err := json.Unmarshal(tp.lastBody(t, "/chat/completions")["messages"], &msgs); err != nil || len(msgs) != 3 {
		t.Fatalf("upstream messages %v (%v)", msgs, err)
	}
	if rc, ok := msgs[1]["reasoning_content"]; !ok || string(rc) != `""` {
		t.Errorf("the assistant's tool-call message went without reasoning_content: %v", msgs[1])
	}
}
