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
	for name, flavour := range batchFlavours {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(simopenai.New(sim.NewCatalog(sim.Profile{Model: "deepseek-reasoner", Reasoning: true}), nil))
			t.Cleanup(srv.Close)
			e := batchFlavourEnv(t, flavour, func(c *config.Config) {
				c.Providers["deepseek"] = &config.Provider{Name: "deepseek", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
				c.Deployments["deepseek-reasoner"] = &config.Deployment{Name: "deepseek-reasoner", Provider: "deepseek", Model: "deepseek-reasoner",
					Capabilities: []llm.Capability{llm.CapStreaming, llm.CapBatch, llm.CapReasoning}}
			})
			done := awaitBatch(t, e.Client, newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions,
				chatLine("r", "deepseek-reasoner", "Capital of Peru?"), nil).ID, openai.BatchStatusCompleted)
			if done.RequestCounts.Completed != 1 {
				t.Fatalf("completed = %s", done.RawJSON())
			}
			if got, _ := lineMessage(t, fileLines(t, e.Client, done.OutputFileID)["r"])["reasoning_content"].(string); got == "" {
				t.Errorf("chat line without its reasoning_content")
			}
			c := anthropicClient(e, respKeyA)
			created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
				batchItem("m", "deepseek-reasoner", "Capital of Chile?")}})
			if err != nil {
				t.Fatal(err)
			}
			awaitMessageBatch(t, c, created.ID)
			r := messageResults(t, c, created.ID)["m"]
			if content := r.Result.Message.Content; r.Result.Type != "succeeded" || len(content) != 1 || content[0].Type != "text" {
				t.Errorf("message batch result %s, want its text alone", r.RawJSON())
			}
			want := 0
			if name == "forwarded" {
				want = 2
			}
			if n := simBatchesOf(t, strings.TrimPrefix(srv.URL, "http://"), "", nil); n.Created != want {
				t.Errorf("the host saw %+v, want %d batches", n, want)
			}
		})
	}
}
