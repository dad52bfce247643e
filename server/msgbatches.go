package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	apianthropic "switchyard/api/anthropic"
	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/batch"
	"switchyard/gateway"
	"switchyard/store"
)

// messageBatches serves Anthropic's Message Batches on the Batch API's
// batches (batchStore): a Message Batch is a batch of MessagesEndpoint
// whose id starts msgbatch_, its inline requests kept as its input file
// (purpose message_batch), run by the same runner; it keeps no output
// file, its results being read from its lines.
type messageBatches struct{ s *batchStore }

var _ apianthropic.MessageBatches = messageBatches{}

// The id prefixes of the two kinds of batches: each API sees its own.
const (
	msgBatchPrefix = "msgbatch_"
	oaiBatchPrefix = "batch_"
)

// messageBatchAPI is s's Message Batches: nil (none) when s is nil.
func messageBatchAPI(s *batchStore) apianthropic.MessageBatches {
	if s == nil {
		return nil
	}
	return messageBatches{s}
}

// MaxBytes implements apianthropic.MessageBatches.
func (m messageBatches) MaxBytes() int64 { return m.s.cfg().Batches.MaxFileBytes }

// MaxRequests implements apianthropic.MessageBatches.
func (m messageBatches) MaxRequests() int { return m.s.cfg().Batches.MaxLines }

// Create implements apianthropic.MessageBatches.
func (m messageBatches) Create(ctx context.Context, reqs []apianthropic.BatchRequest) (*apianthropic.MessageBatch, error) {
	c := gateway.CallerFrom(ctx)
	now := m.s.now().UTC()
	ids, params := make([]string, len(reqs)), make([]json.RawMessage, len(reqs))
	for i, q := range reqs {
		ids[i], params[i] = q.CustomID, q.Params
	}
	id := msgBatchPrefix + strings.TrimPrefix(batch.NewBatchID(), oaiBatchPrefix)
	input := batch.MessagesInput(ids, params)
	retention := m.s.cfg().Batches.Retention
	f := &store.File{ID: batch.NewFileID(), Tenant: c.Tenant, KeyName: c.Name, Created: now, Expires: now.Add(retention),
		Filename: id + "_input.jsonl", Purpose: messageBatchInput, Bytes: int64(len(input)), Content: input}
	if err := m.s.files.SaveFile(ctx, f); err != nil {
		return nil, err
	}
	o := &batch.Object{ID: id, Object: "batch", Endpoint: batch.MessagesEndpoint, InputFileID: f.ID, CompletionWindow: "24h",
		Status: store.BatchValidating, CreatedAt: now.Unix(), RequestCounts: batch.Counts{Total: len(reqs)}}
	exp := now.Add(completionWindow).Unix()
	o.ExpiresAt = &exp
	b := &store.Batch{ID: id, Tenant: c.Tenant, KeyName: c.Name, Created: now, Expires: now.Add(retention),
		Status: o.Status, Object: o.Marshal(), Lease: m.s.runner.LeaseEnd()}
	if err := m.s.log.SaveBatch(ctx, b); err != nil {
		// The input saved for it has no batch: erase it now rather than
		// keep the requests until it expires. On a fresh context: ctx
		// may be what ended.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if derr := m.s.files.DeleteFile(dctx, store.TenantScope(c.Tenant), f.ID, now); derr != nil && !errors.Is(derr, store.ErrFileNotFound) {
			err = errors.Join(err, derr)
		}
		return nil, err
	}
	m.s.runner.Submit(b)
	return messageBatchView(o), nil
}

// get reads the caller's Message Batch id.
func (m messageBatches) get(ctx context.Context, id string) (*store.Batch, *batch.Object, error) {
	if !strings.HasPrefix(id, msgBatchPrefix) {
		return nil, nil, apianthropic.ErrBatchNotFound
	}
	b, err := m.s.log.GetBatch(ctx, callerScope(ctx), id, m.s.now())
	if errors.Is(err, store.ErrBatchNotFound) {
		return nil, nil, apianthropic.ErrBatchNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	o, err := batch.ParseObject(b.Object)
	return b, o, err
}

// Get implements apianthropic.MessageBatches.
func (m messageBatches) Get(ctx context.Context, id string) (*apianthropic.MessageBatch, error) {
	_, o, err := m.get(ctx, id)
	if err != nil {
		return nil, err
	}
	return messageBatchView(o), nil
}

// List implements apianthropic.MessageBatches.
func (m messageBatches) List(ctx context.Context, beforeID, afterID string, limit int) ([]*apianthropic.MessageBatch, bool, error) {
	var (
		bs   []*store.Batch
		more bool
		err  error
	)
	if beforeID != "" {
		bs, more, err = m.s.listBefore(ctx, msgBatchPrefix, beforeID, limit)
	} else {
		bs, more, err = m.s.listKind(ctx, msgBatchPrefix, afterID, limit)
	}
	if errors.Is(err, store.ErrBatchNotFound) {
		return nil, false, apianthropic.ErrBatchNotFound
	}
	if err != nil {
		return nil, false, err
	}
	out := make([]*apianthropic.MessageBatch, len(bs))
	for i, b := range bs {
		o, err := batch.ParseObject(b.Object)
		if err != nil {
			return nil, false, err
		}
		out[i] = messageBatchView(o)
	}
	return out, more, nil
}

// Cancel implements apianthropic.MessageBatches.
func (m messageBatches) Cancel(ctx context.Context, id string) (*apianthropic.MessageBatch, error) {
	if _, _, err := m.get(ctx, id); err != nil {
		return nil, err
	}
	o, err := m.s.cancel(ctx, id)
	if errors.Is(err, apiopenai.ErrNotCancellable) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return messageBatchView(o), nil
}

// Delete implements apianthropic.MessageBatches: the batch, its lines
// and its input file.
func (m messageBatches) Delete(ctx context.Context, id string) error {
	b, o, err := m.get(ctx, id)
	if err != nil {
		return err
	}
	if messageBatchView(o).ProcessingStatus != apianthropic.BatchEnded {
		return apianthropic.ErrBatchNotEnded
	}
	if err := m.s.log.DeleteBatch(ctx, b.Tenant, id); err != nil {
		return err
	}
	if err := m.s.files.DeleteFile(ctx, store.TenantScope(b.Tenant), o.InputFileID, m.s.now()); err != nil && !errors.Is(err, store.ErrFileNotFound) {
		return err
	}
	return nil
}

// Results implements apianthropic.MessageBatches.
func (m messageBatches) Results(ctx context.Context, id string, w io.Writer) error {
	b, o, err := m.get(ctx, id)
	if err != nil {
		return err
	}
	if messageBatchView(o).ProcessingStatus != apianthropic.BatchEnded {
		return apianthropic.ErrBatchNotEnded
	}
	input, err := m.s.files.FileContent(ctx, store.TenantScope(b.Tenant), o.InputFileID, m.s.now())
	if err != nil {
		return err
	}
	lines, err := m.s.log.BatchLines(ctx, b.Tenant, id)
	if err != nil {
		return err
	}
	return batch.WriteMessageResults(w, input, lines, o.Status)
}

// messageBatchView is the MessageBatch object of the batch o.
func messageBatchView(o *batch.Object) *apianthropic.MessageBatch {
	v := &apianthropic.MessageBatch{ID: o.ID, Type: "message_batch", CreatedAt: rfc3339(o.CreatedAt),
		CostUSD: o.CostUSD, TotalCostUSD: o.TotalCostUSD}
	if o.ExpiresAt != nil {
		v.ExpiresAt = rfc3339(*o.ExpiresAt)
	}
	c := o.RequestCounts
	left := max(c.Total-c.Completed-c.Failed, 0)
	v.RequestCounts.Succeeded, v.RequestCounts.Errored = c.Completed, c.Failed
	v.CancelInitiatedAt = rfc3339Of(o.CancellingAt)
	var ended *int64
	switch o.Status {
	case store.BatchCancelling:
		v.ProcessingStatus, v.RequestCounts.Processing = apianthropic.BatchCanceling, left
	case store.BatchCancelled:
		ended, v.RequestCounts.Canceled = o.CancelledAt, left
	case store.BatchExpired:
		ended, v.RequestCounts.Expired = o.ExpiredAt, left
	case store.BatchFailed:
		ended, v.RequestCounts.Errored = o.FailedAt, c.Total
	case store.BatchCompleted:
		ended = o.CompletedAt
	default:
		v.ProcessingStatus, v.RequestCounts.Processing = apianthropic.BatchInProgress, left
	}
	if v.ProcessingStatus == "" {
		v.ProcessingStatus = apianthropic.BatchEnded
		u := "/v1/messages/batches/" + o.ID + "/results"
		v.EndedAt, v.ResultsURL = rfc3339Of(ended), &u
	}
	return v
}

// rfc3339 is the Unix time t in RFC 3339, UTC.
func rfc3339(t int64) string { return time.Unix(t, 0).UTC().Format(time.RFC3339) }

// rfc3339Of is the Unix time at t in RFC 3339, nil when t is.
func rfc3339Of(t *int64) *string {
	if t == nil {
		return nil
	}
	s := rfc3339(*t)
	return &s
}
