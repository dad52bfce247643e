package openai

import (
	"context"
	"io"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// The sample streams of Azure OpenAI's "Content streaming"
// documentation under the Asynchronous Filter (the elided events left
// out, the annotation's categories shortened): one that passes the
// filters, and one the filter cuts, whose last annotation carries
// finish_reason content_filter in place of a finish chunk.
const (
	azureAsyncID      = `"id":"chatcmpl-7rCNsVeZy0PGnX3H6jK8STps5nZUY","object":"chat.completion.chunk","created":1692913344,"model":"gpt-35-turbo"`
	azureAsyncResults = `"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}`
	azureAsyncPasses  = `data: {"id":"","object":"","created":0,"model":"","prompt_annotations":[{"prompt_index":0,` + azureAsyncResults + `}],"choices":[],"usage":null}

data: {` + azureAsyncID + `,"choices":[{"index":0,"finish_reason":null,"delta":{"role":"assistant"}}],"usage":null}

data: {` + azureAsyncID + `,"choices":[{"index":0,"finish_reason":null,"delta":{"content":"Color"}}],"usage":null}

data: {` + azureAsyncID + `,"choices":[{"index":0,"finish_reason":null,"delta":{"content":" is"}}],"usage":null}

data: {"id":"","object":"","created":0,"model":"","choices":[{"index":0,"finish_reason":null,` + azureAsyncResults + `,"content_filter_offsets":{"check_offset":44,"start_offset":44,"end_offset":198}}],"usage":null}

data: {` + azureAsyncID + `,"choices":[{"index":0,"finish_reason":"stop","delta":{}}],"usage":null}

data: {"id":"","object":"","created":0,"model":"","choices":[{"index":0,"finish_reason":null,` + azureAsyncResults + `,"content_filter_offsets":{"check_offset":506,"start_offset":44,"end_offset":571}}],"usage":null}

data: [DONE]

`
	azureAsyncBlocked = `data: {` + azureAsyncID + `,"choices":[{"index":0,"finish_reason":null,"delta":{"role":"assistant"}}],"usage":null}

data: {` + azureAsyncID + `,"choices":[{"index":0,"finish_reason":null,"delta":{"content":"Hey"}}],"usage":null}

data: {"id":"","object":"","created":0,"model":"","choices":[{"index":0,"finish_reason":null,` + azureAsyncResults + `,"content_filter_offsets":{"check_offset":65,"start_offset":65,"end_offset":1056}}],"usage":null}

data: {"id":"","object":"","created":0,"model":"","choices":[{"index":0,"finish_reason":"content_filter","content_filter_results":{"protected_material_text":{"detected":true,"filtered":true}},"content_filter_offsets":{"check_offset":65,"start_offset":65,"end_offset":1056}}],"usage":null}

data: [DONE]

`
)

// TestStreamAzureAsyncFilter: the Asynchronous Filter's annotation
// chunks are no part of the answer a client sees. They are dropped, but
// for the finish of a choice the filter cut, which comes with the
// stream's id and model.
func TestStreamAzureAsyncFilter(t *testing.T) {
	for _, c := range []struct {
		name, body, text string
		finish           llm.FinishReason
	}{
		{"passes", azureAsyncPasses, "Color is", llm.FinishStop},
		{"blocked", azureAsyncBlocked, "Hey", llm.FinishContentFilter},
		// The key spelled with a \u escape (valid JSON) is the same member.
		{"blocked, key escaped", strings.ReplaceAll(azureAsyncBlocked, `"content_filter_offsets"`, `"content_filter_\u006fffsets"`), "Hey", llm.FinishContentFilter},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s := provider.NewEventStream(ctx, provider.NewCall(ctx), "azure", []string{testKey}, io.NopCloser(strings.NewReader(c.body)), &decoder{}, nil)
			defer s.Close()
			chunks, err := drain(s)
			if err != io.EOF {
				t.Fatalf("stream ended with %v, want io.EOF", err)
			}
			var finishes []llm.FinishReason
			for _, ch := range chunks {
				if ch.ID != "chatcmpl-7rCNsVeZy0PGnX3H6jK8STps5nZUY" || ch.Model != "gpt-35-turbo" || ch.Created != 1692913344 {
					t.Errorf("chunk of id %q, model %q, created %d: %+v", ch.ID, ch.Model, ch.Created, ch)
				}
				for _, ch := range ch.Choices {
					if ch.FinishReason != "" {
						finishes = append(finishes, ch.FinishReason)
					}
				}
			}
			if got := streamText(chunks); got != c.text || len(finishes) != 1 || finishes[0] != c.finish {
				t.Errorf("streamed %q, finishes %v; want %q, [%s]", got, finishes, c.text, c.finish)
			}
			if n, want := len(chunks), 2+strings.Count(c.text, " ")+1; n != want {
				t.Errorf("%d chunks, want %d (role, pieces, finish): %+v", n, want, chunks)
			}
		})
	}
}
