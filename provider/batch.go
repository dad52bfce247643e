package provider

import (
	"context"

	"switchyard/llm"
)

// Batcher is implemented by providers whose upstream has a batch API
// (OpenAI's Files + Batch API, Anthropic's Message Batches): requests
// sent together, answered within a day, for half the price. The router
// forwards the lines of its own batches to it (docs/batches.md).
type Batcher interface {
	// SubmitBatch sends reqs, each encoded as a live chat request of the
	// adapter is (the model each names sent as the upstream model), as
	// one provider batch, and returns its id. Errors are *llm.Error
	// values, as Chat's.
	SubmitBatch(ctx context.Context, reqs []BatchRequest) (id string, err error)
	// PollBatch returns the state of the provider batch id.
	PollBatch(ctx context.Context, id string) (BatchState, error)
	// BatchResults returns the results of the ended provider batch id,
	// one per request it answered (those it did not are absent).
	BatchResults(ctx context.Context, id string) ([]BatchResult, error)
	// CancelBatch asks the provider to cancel the batch id.
	CancelBatch(ctx context.Context, id string) error
}

// BatchRequest is one request of a provider batch.
type BatchRequest struct {
	// CustomID names it in the batch (unique there), and its result.
	CustomID string
	// Request is the chat request, its Model the upstream model.
	Request *llm.Request
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
	// Response is its answer; nil when Err is set.
	Response *llm.Response
	// Err is its failure, an *llm.Error whose Retryable says whether a
	// live request would try again (429, 5xx, overloaded) or not (400).
	Err *llm.Error
}
