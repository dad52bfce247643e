package e2e

import (
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// The reasoning an OpenAI-compatible host writes beside its answer
// (DeepSeek's reasoning_content; Kimi and Qwen, whose APIs take OpenAI's
// batches, write it so too) reaches a batch's client as it reaches a live
// one: a Chat Completions client sees it, an Anthropic client that did
// not ask for thinking does not; forwarded or run by the router.
func TestBatchReasoningShownAsLive(t *testing.T) {
	t.Parallel()
	for name, flavour := range batchFlavours {
		t.Run(name, func(t *testing.T) {
			e, srv, _ := deepSeekBatchEnv(t, flavour)
			done := awaitBatch(t, e.Client, newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions,
				chatLine("r", "deepseek-reasoner", "Capital of Peru?"), nil).ID, openai.BatchStatusCompleted)
			if done.RequestCounts.Completed != 1 {
				t.Fatalf("completed = %s", done.RawJSON())
			}
			if got, _ := lineMessage(t, fileLines(t, e.Client, done.OutputFileID)["r"])["reasoning_content"].(string); got == "" {
				t.Errorf("chat line without its reasoning_content")
			}
			c := anthropicClient(e, respKeyA)
			r := runMessageBatch(t, c, batchItem("m", "deepseek-reasoner", "Capital of Chile?"))["m"]
			if content := r.Result.Message.Content; r.Result.Type != "succeeded" || len(content) != 1 || content[0].Type != "text" {
				t.Errorf("message batch result %s, want its text alone", r.RawJSON())
			}
			wantProviderBatches(t, strings.TrimPrefix(srv.URL, "http://"), "", name, 2)
		})
	}
}

// deepSeekBatchEnv is a router whose deployment deepseek-reasoner, on a
// tapped simulator of its own (returned), takes provider batches;
// batches run as flavour says.
func deepSeekBatchEnv(t *testing.T, flavour func(*config.Config)) (*env, *httptest.Server, *tap) {
	t.Helper()
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "deepseek-reasoner", Reasoning: true}), nil)))
	t.Cleanup(srv.Close)
	e := batchFlavourEnv(t, flavour, func(c *config.Config) {
		c.Providers["deepseek"] = &config.Provider{Name: "deepseek", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["deepseek-reasoner"] = &config.Deployment{Name: "deepseek-reasoner", Provider: "deepseek", Model: "deepseek-reasoner",
			Capabilities: []llm.Capability{llm.CapStreaming, llm.CapBatch, llm.CapReasoning, llm.CapTools}}
	})
	return e, srv, tp
}

// sentReasoningOf reports whether a request tp saw after its first since
// (a live chat, or a provider batch's input file) carried the reasoning
// the simulated DeepSeek wrote calling get_weather for city.
func sentReasoningOf(tp *tap, since int, city string) bool {
	want := `"reasoning_content":"The user asks: \"Use get_weather for ` + city + `\". I should call get_weather."`
	for _, r := range tp.requests()[since:] {
		if strings.Contains(string(r.body), want) {
			return true
		}
	}
	return false
}

// A tool loop crosses between batches and live requests on a host that
// wants its reasoning back with the tool results (DeepSeek, Kimi), for an
// Anthropic client that does not see it: a batch's tool call leaves its
// reasoning kept for the live turn that answers it, and a batch line
// answering a live tool call is sent with the reasoning kept for it, as a
// live loop is.
func TestBatchToolLoopKeepsReasoning(t *testing.T) {
	t.Parallel()
	for name, flavour := range batchFlavours {
		t.Run(name, func(t *testing.T) {
			e, srv, tp := deepSeekBatchEnv(t, flavour)
			c := anthropicClient(e, respKeyA)
			ask := func(city string) sdk.MessageNewParams {
				p := userMessage("deepseek-reasoner", "Use get_weather for "+city, 4096)
				p.Tools = []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "get_weather",
					InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}}}}}
				return p
			}
			inBatch := func(p sdk.MessageNewParams) sdk.Message {
				t.Helper()
				item := sdk.MessageBatchNewParamsRequest{CustomID: "r", Params: sdk.MessageBatchNewParamsRequestParams{
					Model: p.Model, MaxTokens: p.MaxTokens, Messages: p.Messages, Tools: p.Tools}}
				r := runMessageBatch(t, c, item)["r"]
				if r.Result.Type != "succeeded" {
					t.Fatalf("batch result %s", r.RawJSON())
				}
				return r.Result.Message
			}
			answer := func(p sdk.MessageNewParams, m sdk.Message) sdk.MessageNewParams {
				t.Helper()
				calls := toolUses(m)
				if len(calls) != 1 {
					t.Fatalf("answer %s, want a tool call", m.RawJSON())
				}
				p.Messages = append(p.Messages, m.ToParam(), sdk.NewUserMessage(sdk.NewToolResultBlock(calls[0].ID, "4C", false)))
				return p
			}
			// a batch's call answered live
			p := ask("Oslo")
			next := answer(p, inBatch(p))
			since := len(tp.requests())
			if _, err := c.Messages.New(ctxT(t), next); err != nil {
				t.Errorf("the live turn after a batch's tool call: %v", err)
			}
			if !sentReasoningOf(tp, since, "Oslo") {
				t.Error("the live turn after a batch's tool call reached the host without the call's reasoning")
			}
			// a live call answered in a batch
			p = ask("Bergen")
			live, err := c.Messages.New(ctxT(t), p)
			if err != nil {
				t.Fatal(err)
			}
			since = len(tp.requests())
			if m := inBatch(answer(p, *live)); len(m.Content) == 0 {
				t.Errorf("the batch's turn after a live tool call: %s", m.RawJSON())
			}
			if !sentReasoningOf(tp, since, "Bergen") {
				t.Error("the batch's turn after a live tool call reached the host without the call's reasoning")
			}
			wantProviderBatches(t, strings.TrimPrefix(srv.URL, "http://"), "", name, 2)
		})
	}
}
