package e2e

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
)

// Token input (arrays of token ids, LangChain's default) only an
// OpenAI-format deployment can embed: a route passes over the others,
// and one named directly refuses it clearly, instead of calling it with
// no text at all.
func TestEmbeddingsTokenInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	tokens := openai.EmbeddingNewParamsInputUnion{OfArrayOfTokenArrays: [][]int64{{9906, 1917}, {19045}}}

	t.Run("route", func(t *testing.T) {
		resp, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{Model: "embed", Input: tokens})
		if err != nil || len(resp.Data) != 2 {
			t.Fatalf("%v %+v", err, resp)
		}
	})

	t.Run("gemini named directly", func(t *testing.T) {
		_, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{Model: "gemini-embedding-001", Input: tokens})
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "input" || !strings.Contains(apiErr.Message, "token") {
			t.Fatalf("want a 400 on input that speaks of token input, got %v", err)
		}
	})

	// The OpenAI deployment down: the client gets its 503 (which the SDKs
	// retry), not the Gemini fallback's refusal of input it never got.
	t.Run("route, OpenAI deployment down", func(t *testing.T) {
		e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultUnavailable, Model: "text-embedding-3-small"})
		defer e.Sim.Faults.Clear("text-embedding-3-small")
		_, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{Model: "embed", Input: tokens})
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
			t.Fatalf("want the OpenAI deployment's 503, got %v", err)
		}
		// Text input still fails over to Gemini.
		resp, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{Model: "embed", Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("hello")}})
		if err != nil || resp.Model == "" {
			t.Fatalf("text input: %v %+v", err, resp)
		}
	})
}

// The Embeddings API takes up to 2048 inputs; Gemini's batchEmbedContents
// at most 100 a call. A Gemini deployment answers them all, in order.
func TestEmbeddingsPastGeminisBatchLimit(t *testing.T) {
	t.Parallel()
	// What is tested is the split into calls, not timeouts: three calls
	// of a large answer under -race on a loaded machine can take longer
	// than the deployment's default first-byte timeout (a 504 in CI).
	e := newEnv(t, func(c *config.Config) { c.Deployments["gemini-embedding-001"].TTFTTimeout = 30 * time.Second })
	texts := make([]string, 250)
	for i := range texts {
		texts[i] = fmt.Sprintf("text number %d", i)
	}
	resp, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{Model: "gemini-embedding-001", Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: texts}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != len(texts) || resp.Usage.PromptTokens == 0 {
		t.Fatalf("%d embeddings for %d inputs, usage %+v", len(resp.Data), len(texts), resp.Usage)
	}
	for _, i := range []int{0, 99, 100, 249} {
		one, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{Model: "gemini-embedding-001", Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String(texts[i])}})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Data[i].Index != int64(i) || cosine(resp.Data[i].Embedding, one.Data[0].Embedding) < 0.9999 {
			t.Errorf("embedding %d (index %d) is not that of its text", i, resp.Data[i].Index)
		}
	}
}
