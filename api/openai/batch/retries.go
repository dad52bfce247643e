package batch

import (
	"context"
	"encoding/json"
	"fmt"

	"switchyard/llm"
	"switchyard/store"
)

// This file keeps the lines a provider batch left to the router
// (store.BatchRetry), each with the provider's failed call of it
// (Line.Earlier), as soon as the provider batch's results are read: a
// router resuming the batch runs them on the router carrying that call,
// without asking the provider batch again.

// storedEarlier is Earlier as the store keeps it: the deployment as the
// call is priced, its usage, and its error's kind, code, status and
// retryability — not its message, which could quote the request.
type storedEarlier struct {
	Deployment llm.Deployment `json:"deployment"`
	Usage      llm.Usage      `json:"usage"`
	Error      *storedError   `json:"error,omitempty"`
}

type storedError struct {
	Kind      llm.ErrorKind `json:"kind"`
	Code      string        `json:"code,omitempty"`
	Status    int           `json:"status,omitempty"`
	Retryable bool          `json:"retryable,omitempty"`
	Provider  string        `json:"provider,omitempty"`
}

// encodeEarlier returns e as the store keeps it; nil when e is nil.
func encodeEarlier(e *Earlier) []byte {
	if e == nil {
		return nil
	}
	s := storedEarlier{Deployment: e.Deployment, Usage: e.Usage}
	if e.Err != nil {
		s.Error = &storedError{Kind: e.Err.Kind, Code: e.Err.Code, Status: e.Err.Status, Retryable: e.Err.Retryable, Provider: e.Err.Provider}
	}
	b, _ := json.Marshal(s) // plain data: cannot fail
	return b
}

// decodeEarlier reads an Earlier encodeEarlier wrote; nil for no bytes.
func decodeEarlier(data []byte) (*Earlier, error) {
	if len(data) == 0 {
		return nil, nil
	}
	var s storedEarlier
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("batch: decode a line's earlier call: %w", err)
	}
	e := &Earlier{Deployment: s.Deployment, Usage: s.Usage}
	if s.Error != nil {
		e.Err = &llm.Error{Kind: s.Error.Kind, Code: s.Error.Code, Status: s.Error.Status, Retryable: s.Error.Retryable, Provider: s.Error.Provider,
			Message: "The provider batch's call of this request failed."}
	}
	return e, nil
}

// keepRetries keeps retry, the lines a provider batch left to the router,
// with their earlier calls. An error is logged only: a resume then asks
// the provider batch again, which gives them back.
func (j *job) keepRetries(retry []Line) {
	if len(retry) == 0 {
		return
	}
	rs := make([]store.BatchRetry, len(retry))
	for i, l := range retry {
		rs[i] = store.BatchRetry{Index: l.Index, Earlier: encodeEarlier(l.Earlier)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if err := j.r.opts.Log.SaveBatchRetries(ctx, j.b.Tenant, j.b.ID, rs); err != nil {
		j.r.opts.Logger.Warn("batches: keeping the lines a provider batch left to the router failed; a resume reads its results again", "batch", j.b.ID, "lines", len(rs), "err", err)
	}
}

// restoreRetries marks the lines among pending that a provider batch
// left to the router in an earlier run (j.retried), each given back its
// earlier call. An error reading them is logged only: those lines are
// then awaited at their provider batch again, which gives them back.
func (j *job) restoreRetries(pending []Line) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	rs, err := j.r.opts.Log.BatchRetries(ctx, j.b.Tenant, j.b.ID)
	cancel()
	if err != nil {
		j.r.opts.Logger.Warn("batches: reading the lines a provider batch left to the router failed; their provider batches are read again", "batch", j.b.ID, "err", err)
		return
	}
	byIndex := make(map[int][]byte, len(rs))
	for _, r := range rs {
		byIndex[r.Index] = r.Earlier
	}
	j.retried = map[int]bool{}
	for i := range pending {
		data, ok := byIndex[pending[i].Index]
		if !ok {
			continue
		}
		j.retried[pending[i].Index] = true
		e, err := decodeEarlier(data)
		if err != nil {
			j.r.opts.Logger.Warn("batches: a line's earlier call does not read; it runs without it", "batch", j.b.ID, "line", pending[i].Number, "err", err)
		}
		pending[i].Earlier = e
	}
}

// splitRetried returns pending as the lines still awaited at their
// provider batches and those a provider batch left to the router in an
// earlier run (restoreRetries).
func (j *job) splitRetried(pending []Line) (awaiting, back []Line) {
	if len(j.retried) == 0 {
		return pending, nil
	}
	for _, l := range pending {
		if j.retried[l.Index] {
			back = append(back, l)
		} else {
			awaiting = append(awaiting, l)
		}
	}
	return awaiting, back
}
