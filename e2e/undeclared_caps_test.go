package e2e

import (
	"net/http"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
)

// An operator who lists OpenAI's embeddings and moderation models among
// the deployments without declaring capabilities gets what the catalog
// knows of them: they still embed and moderate, and no chat goes to them
// (auto-cheap would put the free moderation model first otherwise).
func TestUndeclaredEmbeddingsAndModerationModelsServeNoChat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		c.Deployments["text-embedding-3-small"].Capabilities = nil
		c.Deployments["omni-moderation-latest"].Capabilities = nil
	})
	for _, model := range []string{"auto-cheap", "auto", "auto-best"} {
		var hr *http.Response
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
			Model:    model,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Say hello to my friend.")},
		}, option.WithResponseInto(&hr))
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		switch d := hr.Header.Get("x-switchyard-deployment"); d {
		case "text-embedding-3-small", "omni-moderation-latest", "":
			t.Errorf("%s: served by %q (route %s)", model, d, hr.Header.Get("x-switchyard-route"))
		}
	}
	for _, rec := range e.recorded(t, 3) {
		if rec.Attempts != 1 {
			t.Errorf("%s: %d attempts, want 1 (no call to a model that serves no chat)", rec.Model, rec.Attempts)
		}
	}
	emb, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{Model: "text-embedding-3-small",
		Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("hello")}})
	if err != nil || len(emb.Data) != 1 {
		t.Fatalf("embeddings: %v %+v", err, emb)
	}
	mod, err := e.Client.Moderations.New(ctxT(t), openai.ModerationNewParams{
		Input: openai.ModerationNewParamsInputUnion{OfString: openai.String("I want to kill them.")}})
	if err != nil || len(mod.Results) != 1 || !mod.Results[0].Flagged {
		t.Fatalf("moderations: %v %+v", err, mod)
	}
}
