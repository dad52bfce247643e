package e2e

import (
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// A tool loop begun on another provider (OpenAI's call_… ids) and routed
// to a Mistral model (an OpenAI-compatible host) reaches it with ids of
// nine letters and digits, each call paired with its result: Mistral
// refuses any other ("Tool call id was call_… but must be a-z, A-Z, 0-9,
// with a length of 9."). A deployment of another model gets the ids as
// the client sent them.
func TestMistralToolCallIDs(t *testing.T) {
	t.Parallel()
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "mistral-small-latest"}, sim.Profile{Model: "gpt-4.1"}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["compat"] = &config.Provider{Name: "compat", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["mistral-small"] = &config.Deployment{Name: "mistral-small", Provider: "compat", Model: "mistral-small-latest"}
		c.Deployments["compat-gpt"] = &config.Deployment{Name: "compat-gpt", Provider: "compat", Model: "gpt-4.1"}
		c.Routes["mistral"] = &config.Route{Name: "mistral", Deployments: []string{"mistral-small"}}
		c.Routes["compat"] = &config.Route{Name: "compat", Deployments: []string{"compat-gpt"}}
	})
	const id = "call_PTLP8xhu3uwZk4l3nlnrrJha"
	call := openai.ChatCompletionMessageToolCallUnionParam{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
		ID: id, Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "get_weather", Arguments: `{"city":"Oslo"}`}}}
	ask := func(model string) (callID, resultID string) {
		params := openai.ChatCompletionNewParams{Model: model, Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
			Messages: []openai.ChatCompletionMessageParamUnion{
				openai.UserMessage("What is the weather in Oslo?"),
				{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{call}}},
				openai.ToolMessage(`{"temperature_c": 4}`, id),
			}}
		if _, err := e.Client.Chat.Completions.New(ctxT(t), params); err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		var msgs []struct {
			ToolCalls []struct {
				ID string `json:"id"`
			} `json:"tool_calls"`
			ToolCallID string `json:"tool_call_id"`
		}
		if err := json.Unmarshal(tp.lastBody(t, "/chat/completions")["messages"], &msgs); err != nil || len(msgs) != 3 || len(msgs[1].ToolCalls) != 1 {
			t.Fatalf("%s: upstream messages %+v (%v)", model, msgs, err)
		}
		return msgs[1].ToolCalls[0].ID, msgs[2].ToolCallID
	}
	c, r := ask("mistral")
	if !regexp.MustCompile(`^[a-zA-Z0-9]{9}$`).MatchString(c) || r != c {
		t.Errorf("Mistral got call id %q, result id %q: want the same nine letters and digits", c, r)
	}
	if c, r := ask("compat"); c != id || r != id {
		t.Errorf("another model got %q, %q: want the client's id", c, r)
	}
}
