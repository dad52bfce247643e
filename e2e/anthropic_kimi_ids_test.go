package e2e

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// A tool loop of an Anthropic SDK client (Claude Code, say) on a Kimi
// deployment, whose calls have ids the Messages API refuses
// ("functions.get_weather:0"): the client gets tool_use ids the API takes,
// sends them back in its next turn — accepted, complete and streamed —
// and Kimi gets its own ids back, which it checks; the same conversation
// routed to Claude is answered too. Before, the router showed Kimi's ids as
// they were and refused the next turn itself ("tool_use.id: String should
// match pattern '^[a-zA-Z0-9_-]+$'").
func TestAnthropicToolLoopOnKimiIDs(t *testing.T) {
	t.Parallel()
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "kimi-k2.5"}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["moonshot"] = &config.Provider{Name: "moonshot", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["kimi"] = &config.Deployment{Name: "kimi", Provider: "moonshot", Model: "kimi-k2.5"}
	})
	c := anthropicClient(e, "demo-key")
	tool := sdk.ToolUnionParam{OfTool: &sdk.ToolParam{Name: "get_weather", InputSchema: sdk.ToolInputSchemaParam{
		Properties: map[string]any{"city": map[string]any{"type": "string"}}, Required: []string{"city"}}}}
	for _, streamed := range []bool{false, true} {
		params := userMessage("kimi", "What is the weather in Oslo? Use get_weather.", 300)
		params.Tools = []sdk.ToolUnionParam{tool}
		var first sdk.Message
		if streamed {
			stream := c.Messages.NewStreaming(ctxT(t), params)
			for stream.Next() {
				if err := first.Accumulate(stream.Current()); err != nil {
					t.Fatal(err)
				}
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
		} else {
			msg, err := c.Messages.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			first = *msg
		}
		call := first.Content[len(first.Content)-1]
		if call.Type != "tool_use" || strings.ContainsAny(call.ID, ".:") || call.ID == "" {
			t.Fatalf("streamed=%v: tool_use %+v", streamed, call)
		}
		params.Messages = append(params.Messages, first.ToParam(),
			sdk.NewUserMessage(sdk.NewToolResultBlock(call.ID, `{"temperature_c": 4}`, false)))
		for _, model := range []string{"kimi", "claude-haiku-4-5"} {
			params.Model = sdk.Model(model)
			if _, err := c.Messages.New(ctxT(t), params); err != nil {
				t.Fatalf("streamed=%v, next turn on %s: %v", streamed, model, err)
			}
		}
		var sent struct {
			Messages []struct {
				ToolCalls []struct {
					ID string `json:"id"`
				} `json:"tool_calls"`
				ToolCallID string `json:"tool_call_id"`
			} `json:"messages"`
		}
		reqs := tp.requests()
		if err := json.Unmarshal(reqs[len(reqs)-1].body, &sent); err != nil || len(sent.Messages) < 3 {
			t.Fatalf("sent %s (%v)", reqs[len(reqs)-1].body, err)
		}
		if got := sent.Messages[1].ToolCalls; len(got) != 1 || got[0].ID != "functions.get_weather:0" || sent.Messages[2].ToolCallID != "functions.get_weather:0" {
			t.Errorf("streamed=%v: Kimi got its call back as %+v", streamed, sent.Messages)
		}
	}
}
