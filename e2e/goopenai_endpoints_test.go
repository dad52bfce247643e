package e2e

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	goai "github.com/sashabaranov/go-openai"
)

// TestGoOpenAIEndpoints drives the other endpoints go-openai's users
// call: embeddings (floats and base64) from OpenAI's and Gemini's
// models, moderations, the legacy completions, and the model list.
func TestGoOpenAIEndpoints(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := goClient(e.URL, "demo-key")
	for _, model := range []string{"text-embedding-3-small", "gemini-embedding-001", "embed"} {
		t.Run("embeddings/"+model, func(t *testing.T) { goEmbeddings(t, c, model) })
	}
	t.Run("moderations", func(t *testing.T) {
		resp, err := c.Moderations(ctxT(t), goai.ModerationRequest{Model: goai.ModerationOmniLatest, Input: "I want to kill them."})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Results) != 1 || !resp.Results[0].Flagged || !resp.Results[0].Categories.Violence || resp.Results[0].CategoryScores.Violence < 0.5 ||
			!strings.HasPrefix(resp.ID, "modr-") || resp.Model != "omni-moderation-latest" {
			t.Errorf("%+v", resp)
		}
	})
	// go-openai refuses chat models' names (gpt-4o-mini) on completions
	// before sending; the others are the router's to serve.
	for _, model := range []string{"gpt-3.5-turbo-instruct", "azure-gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"} {
		t.Run("completions/"+model, func(t *testing.T) { goCompletions(t, c, model) })
	}
	t.Run("models", func(t *testing.T) {
		list, err := c.ListModels(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range list.Models {
			ids = append(ids, m.ID)
			if m.Object != "model" || m.OwnedBy == "" {
				t.Errorf("model %+v", m)
			}
		}
		for _, want := range append([]string{"auto", "text-embedding-3-small"}, chatDeployments...) {
			if !slices.Contains(ids, want) {
				t.Errorf("list lacks %s: %v", want, ids)
			}
		}
		m, err := c.GetModel(ctxT(t), "gemini-2.5-flash")
		if err != nil || m.ID != "gemini-2.5-flash" || m.Object != "model" {
			t.Errorf("GetModel: %+v, %v", m, err)
		}
		_, err = c.GetModel(ctxT(t), "no-such-model")
		goAPIError(t, err, 404, "invalid_request_error", "model_not_found", "model")
	})
}

// goEmbeddings asks for floats and for base64 (which go-openai decodes):
// the same vectors, in the order of the input.
func goEmbeddings(t *testing.T, c *goai.Client, model string) {
	input := []string{"hello world", "goodbye moon"}
	floats, err := c.CreateEmbeddings(ctxT(t), goai.EmbeddingRequestStrings{Model: goai.EmbeddingModel(model), Input: input,
		EncodingFormat: goai.EmbeddingEncodingFormatFloat})
	if err != nil {
		t.Fatal(err)
	}
	packed, err := c.CreateEmbeddings(ctxT(t), goai.EmbeddingRequestStrings{Model: goai.EmbeddingModel(model), Input: input,
		EncodingFormat: goai.EmbeddingEncodingFormatBase64})
	if err != nil {
		t.Fatal(err)
	}
	if len(floats.Data) != 2 || len(packed.Data) != 2 || floats.Usage.PromptTokens == 0 || floats.Object != "list" {
		t.Fatalf("floats %d, base64 %d embeddings, usage %+v", len(floats.Data), len(packed.Data), floats.Usage)
	}
	for i := range floats.Data {
		f, p := floats.Data[i], packed.Data[i]
		if f.Index != i || p.Index != i || len(f.Embedding) == 0 || !slices.Equal(f.Embedding, p.Embedding) {
			t.Errorf("embedding %d: index %d/%d, %d floats, equal to base64's: %v", i, f.Index, p.Index, len(f.Embedding), slices.Equal(f.Embedding, p.Embedding))
		}
	}
}

// goCompletions asks the legacy completions, complete and streamed with
// the usage.
func goCompletions(t *testing.T, c *goai.Client, model string) {
	req := goai.CompletionRequest{Model: model, Prompt: "Name three rivers of Europe.", MaxTokens: 200}
	resp, err := c.CreateCompletion(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Object != "text_completion" || len(resp.Choices) != 1 || resp.Choices[0].Text == "" || resp.Choices[0].FinishReason != "stop" ||
		resp.Usage == nil || resp.Usage.CompletionTokens == 0 {
		t.Fatalf("%+v", resp)
	}
	req.Stream, req.StreamOptions = true, &goai.StreamOptions{IncludeUsage: true}
	stream, err := c.CreateCompletionStream(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var text strings.Builder
	var finish string
	var usage *goai.Usage
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range chunk.Choices {
			text.WriteString(ch.Text)
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
		}
		if chunk.Usage != nil {
			usage = chunk.Usage
		}
	}
	if text.String() == "" || finish != "stop" || usage == nil || usage.CompletionTokens == 0 {
		t.Errorf("streamed %q, finish %q, usage %+v", text.String(), finish, usage)
	}
}
