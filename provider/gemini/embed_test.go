package gemini

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// TestEmbedPastTheBatchLimit checks that more inputs than one
// batchEmbedContents call takes are embedded in calls of at most 100, in
// order, with the usage of them all.
func TestEmbedPastTheBatchLimit(t *testing.T) {
	c := newSim(t, testKey)
	texts := make([]string, 250)
	for i := range texts {
		texts[i] = fmt.Sprintf("text %d", i)
	}
	resp, err := c.Embed(context.Background(), &llm.EmbeddingRequest{Model: "text-embedding-004", Input: texts})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != len(texts) {
		t.Fatalf("%d vectors for %d inputs", len(resp.Data), len(texts))
	}
	if want := provider.EstimateEmbeddingUsage(texts); resp.Usage != want {
		t.Errorf("usage %+v, want %+v", resp.Usage, want)
	}
	for _, i := range []int{0, 99, 100, 199, 200, 249} {
		one, err := c.Embed(context.Background(), &llm.EmbeddingRequest{Model: "text-embedding-004", Input: texts[i : i+1]})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Data[i].Index != i || !slices.Equal(resp.Data[i].Vector, one.Data[0].Vector) {
			t.Errorf("vector %d (index %d) is not that of its text", i, resp.Data[i].Index)
		}
	}
}
