package provider

import (
	"bytes"
	"context"
	"time"

	"switchyard/llm"
)

// Batcher is implemented by providers whose upstream has a batch API
// (OpenAI's Files + Batch API, Anthropic's Message Batches): requests
// sent together, answered within a day, for half the price. The router
// forwards the lines of its own batches to it (docs/batches.md).
type Batcher interface {
	// SubmitBatch sends reqs, each encoded as a live request of the
	// adapter is (the model each names sent as the upstream model), as
	// one provider batch, and returns its id. reqs are all chat requests
	// or all embeddings requests (BatchRequest.Embedding); an adapter
	// whose batch API takes no embeddings fails the latter. key, when
	// not "", is sent with the batch if the provider keeps such a thing
	// (OpenAI's metadata), for a BatchFinder to find it by. Errors are
	// *llm.Error values, as Chat's.
	SubmitBatch(ctx context.Context, key string, reqs []BatchRequest) (id string, err error)
	// PollBatch returns the state of the provider batch id.
	PollBatch(ctx context.Context, id string) (BatchState, error)
	// BatchResults returns the results of the ended provider batch id,
	// one per request it answered (those it did not are absent).
	BatchResults(ctx context.Context, id string) ([]BatchResult, error)
	// CancelBatch asks the provider to cancel the batch id.
	CancelBatch(ctx context.Context, id string) error
	// RestoreAnswer puts back in resp, a provider batch's answer to req
	// (as SubmitBatch was given it), what the adapter changed in sending
	// req and gives back on a live answer — the client's tool names and
	// property names, its custom tools' calls, the thinking only for a
	// client that sees it — so that a batch line carries what the live
	// answer would; and, as Stream does, leaves the thinking behind its
	// tool calls in the adapter's thinking memory, in ctx's scope
	// (thinking.Scope), for the loop's next turn. A nil resp is left
	// alone.
	RestoreAnswer(ctx context.Context, req *llm.Request, resp *llm.Response)
}

// BatchRequest is one request of a provider batch.
type BatchRequest struct {
	// CustomID names it in the batch (unique there), and its result.
	CustomID string
	// Request is the chat request, its Model the upstream model; nil
	// when Embedding is set.
	Request *llm.Request
	// Embedding is the embeddings request, its Model the upstream model,
	// when the batch is one of embeddings.
	Embedding *llm.EmbeddingRequest
}

// BatchFinder is implemented by a Batcher that can find a batch it
// submitted by the key it was submitted with, or by the custom ids of
// its requests: a router that died between submitting a batch and
// keeping its id finds it again, rather than sending its requests twice
// (docs/batches.md#forwarding).
type BatchFinder interface {
	// FindBatch looks, among the provider batches created since then or
	// later (less a clock skew), for the one submitted with key whose
	// requests had the custom ids customIDs (nil when they do not carry
	// the key: an adapter that finds by them finds nothing).
	FindBatch(ctx context.Context, key string, since time.Time, customIDs []string) (FoundBatch, error)
}

// FoundBatch is what FindBatch found.
type FoundBatch struct {
	// ID is the provider batch's id, "" when none was found or none
	// could be told apart from the others.
	ID string
	// Proven reports that the batch is known to be the one looked for:
	// the provider kept its key (OpenAI's metadata), or its results carry
	// the custom ids. An unproven one is the single candidate still in
	// progress (its requests cannot be read before it ends): its results
	// must be matched by custom id, and it must never be cancelled.
	Proven bool
	// Candidates are the batches in progress that could each be it when
	// there are several (none is taken: ID is ""), for the log.
	Candidates []string
}

// BatchState is where a provider batch is.
type BatchState struct {
	// Ended reports that the provider has finished with it: its results
	// (BatchResults) are final.
	Ended bool
	// Status is the provider's own word for it ("in_progress",
	// "completed", "expired", "ended"…), for the log.
	Status string
}

// BatchResult is the provider's answer to one request of a batch.
type BatchResult struct {
	// CustomID is the request's.
	CustomID string
	// Response is its answer to a chat request; nil when Err is set.
	Response *llm.Response
	// Embedding is its answer to an embeddings request; nil when Err is
	// set.
	Embedding *llm.EmbeddingResponse
	// Err is its failure, an *llm.Error whose Retryable says whether a
	// live request would try again (429, 5xx, overloaded) or not (400).
	Err *llm.Error
	// Usage is what a failed answer reports it used (a Responses API
	// response of status failed), billed with Err; nil otherwise.
	Usage *llm.Usage
}

// AppendBatchResults decodes with decode each line of data, a provider
// batch's results as JSON Lines (blank lines skipped), and appends what
// it decodes to out; it also returns how many lines decode refused: no
// line of the batch they name, they answer none and fail none.
func AppendBatchResults(out []BatchResult, data []byte, decode func(line []byte) (BatchResult, error)) ([]BatchResult, int) {
	unread := 0
	for _, raw := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		r, err := decode(raw)
		if err != nil {
			unread++
			continue
		}
		out = append(out, r)
	}
	return out, unread
}
