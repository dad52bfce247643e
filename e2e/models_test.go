package e2e

import (
	"math"
	"net/http"
	"testing"

	"github.com/openai/openai-go/v3"
)

type httpHeader struct{ resp *http.Response }

func TestModelsListsRoutesAndDeployments(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	page, err := e.Client.Models.List(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range page.Data {
		ids[m.ID] = true
	}
	for _, want := range []string{"auto", "auto-cheap", "auto-best", "gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash", "text-embedding-3-small"} {
		if !ids[want] {
			t.Errorf("model %q missing from %v", want, ids)
		}
	}
	m, err := e.Client.Models.Get(ctxT(t), "auto")
	if err != nil || m.ID != "auto" {
		t.Fatalf("get auto: %v %+v", err, m)
	}
}

func TestEmbeddings(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, model := range []string{"text-embedding-3-small", "gemini-embedding-001", "embed"} {
		t.Run(model, func(t *testing.T) {
			resp, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{
				Model: model,
				Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: []string{"hello world", "goodbye moon", "hello world"}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Data) != 3 {
				t.Fatalf("got %d embeddings", len(resp.Data))
			}
			a, b, c := resp.Data[0].Embedding, resp.Data[1].Embedding, resp.Data[2].Embedding
			if len(a) == 0 || len(a) != len(b) {
				t.Fatalf("dimensions %d and %d", len(a), len(b))
			}
			if cosine(a, c) < 0.999 || cosine(a, b) > 0.99 {
				t.Errorf("vectors not deterministic per text: cos(a,c)=%f cos(a,b)=%f", cosine(a, c), cosine(a, b))
			}
			if resp.Usage.PromptTokens == 0 {
				t.Errorf("usage missing: %+v", resp.Usage)
			}
		})
	}
}

func cosine(a, b []float64) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
	}
	return dot / math.Sqrt(na*nb)
}
