package openai

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/provider"
)

// An embeddings batch sent under a key: its lines encoded as Embed
// encodes them, its answers decoded as embeddings lists; FindBatch finds
// it by its key over pages of the listing (more batches than a page
// sent after it), and finds nothing for another key or before since.
func TestBatchEmbeddingsFound(t *testing.T) {
	e := newEnv(t, KindOpenAI, testKey)
	ctx := context.Background()
	emb := func(in ...string) *llm.EmbeddingRequest { return &llm.EmbeddingRequest{Model: "embed-sim", Input: in} }
	since := time.Now()
	id, err := e.c.SubmitBatch(ctx, "swfwd_find", []provider.BatchRequest{{CustomID: "two", Embedding: emb("tide", "moon")}, {CustomID: "one", Embedding: emb("sea")}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range findPage + 1 { // the found batch is on the listing's second page
		if _, err := e.c.SubmitBatch(ctx, "swfwd_other"+strings.Repeat("x", i%2), []provider.BatchRequest{{CustomID: "x", Embedding: emb("x")}}); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := e.c.FindBatch(ctx, "swfwd_find", since, nil); err != nil || got.ID != id || !got.Proven {
		t.Fatalf("FindBatch = %+v, %v; want %q, proven", got, err, id)
	}
	if got, err := e.c.FindBatch(ctx, "swfwd_none", since, nil); err != nil || got.ID != "" {
		t.Errorf("FindBatch of an unknown key = %+v, %v", got, err)
	}
	if got, err := e.c.FindBatch(ctx, "swfwd_find", time.Now().Add(time.Hour), nil); err != nil || got.ID != "" {
		t.Errorf("FindBatch since later = %+v, %v; want none (the listing stops at older batches)", got, err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if st, err := e.c.PollBatch(ctx, id); err != nil || st.Ended || time.Now().After(deadline) {
			break
		}
	}
	rs, err := e.c.BatchResults(ctx, id)
	if err != nil || len(rs) != 2 {
		t.Fatalf("BatchResults = %+v, %v", rs, err)
	}
	for _, r := range rs {
		want := map[string]int{"two": 2, "one": 1}[r.CustomID]
		if r.Err != nil || r.Embedding == nil || len(r.Embedding.Data) != want || len(r.Embedding.Data[0].Vector) == 0 || r.Embedding.Usage.PromptTokens == 0 {
			t.Errorf("%s = %+v", r.CustomID, r)
		}
	}
	if _, err := e.c.SubmitBatch(ctx, "", []provider.BatchRequest{{CustomID: "a", Embedding: emb("x")}, {CustomID: "b", Request: &llm.Request{Model: "gpt-sim"}}}); err == nil {
		t.Error("a batch mixing embeddings and chat was sent")
	}
}

// FuzzDecodeBatchList: any bytes give a page whose batches have ids, or
// an error; never a panic.
func FuzzDecodeBatchList(f *testing.F) {
	f.Add([]byte(`{"object":"list","data":[{"id":"batch_1","created_at":1,"metadata":{"switchyard_key":"k"}}],"has_more":true}`))
	f.Add([]byte(`{"data":[{"id":""}]}`))
	f.Add([]byte(`{"data":null,"has_more":false}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := decodeBatchList(data)
		if err != nil {
			return
		}
		for _, b := range l.Data {
			if b.ID == "" {
				t.Fatalf("decoded %+v with a batch without an id", l)
			}
		}
	})
}

// A batch of legacy completions for a completions-only model is sent to
// /v1/completions (the prompt itself, not streamed), and its answers read
// back as responses with their text and usage.
func TestBatchNativeCompletions(t *testing.T) {
	e := newEnv(t, KindOpenAI, testKey)
	ctx := context.Background()
	n := 5
	req := &llm.Request{Model: "instruct-sim", MaxTokens: &n, Completion: &llm.Completion{Prompt: "Once upon a time", Native: true}}
	id, err := e.c.SubmitBatch(ctx, "", []provider.BatchRequest{{CustomID: "c", Request: req}})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if st, err := e.c.PollBatch(ctx, id); err != nil || st.Ended || time.Now().After(deadline) {
			break
		}
	}
	rs, err := e.c.BatchResults(ctx, id)
	if err != nil || len(rs) != 1 || rs[0].Response == nil || rs[0].Response.Choices[0].Message.Text() == "" || rs[0].Response.Usage == nil || rs[0].Response.Usage.PromptTokens == 0 {
		t.Fatalf("BatchResults = %+v, %v", rs, err)
	}
	if _, err := e.c.SubmitBatch(ctx, "", []provider.BatchRequest{{CustomID: "c", Request: req}, {CustomID: "chat", Request: &llm.Request{Model: "gpt-sim"}}}); err == nil {
		t.Error("a batch mixing completions and chat was sent")
	}
}
