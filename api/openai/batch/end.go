package batch

import (
	"bytes"
	"context"
	"time"

	"switchyard/store"
)

// This file ends a batch: its output file (the answers, in the input's
// order) and error file (the failed requests, and those an expiry left)
// written from the lines kept, then its final status.

// end ends the batch with status (completed, cancelled or expired);
// left are the requests an expiry left unsent.
func (j *job) end(status string, left []Line) {
	j.mu.Lock()
	defer j.mu.Unlock()
	from := store.BatchRunning
	switch status {
	case store.BatchCompleted:
		j.obj.Status, j.obj.FinalizingAt = store.BatchFinalizing, at(j.r.opts.Now().Unix())
		if j.write(j.r.LeaseEnd(), store.BatchRunning...) != nil {
			return // cancelled meanwhile: it ends so where it is resumed
		}
		from = []string{store.BatchFinalizing}
	case store.BatchCancelled:
		from = []string{store.BatchCancelling}
	}
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	lines, err := j.r.opts.Log.BatchLines(ctx, j.b.Tenant, j.b.ID)
	if err != nil {
		j.r.opts.Logger.Warn("batches: reading a batch's results failed; it is ended when its lease ends", "batch", j.b.ID, "err", err)
		return
	}
	j.retally(lines)
	var out, errs bytes.Buffer
	for _, l := range lines {
		dst := &out
		if l.Failed {
			dst = &errs
		}
		dst.Write(l.Data)
		dst.WriteByte('\n')
	}
	if j.obj.Endpoint != MessagesEndpoint { // a Message Batch keeps no files: its results are read from its lines
		for i := range left {
			data := unsent(&left[i], "batch_expired", "This request was not run before the batch expired (its completion_window passed).")
			tally(j.obj, data, true)
			errs.Write(data)
			errs.WriteByte('\n')
		}
		if !j.saveFiles(ctx, out.Bytes(), errs.Bytes()) {
			return
		}
	}
	now := at(j.r.opts.Now().Unix())
	j.obj.Status = status
	switch status {
	case store.BatchCompleted:
		j.obj.CompletedAt = now
	case store.BatchCancelled:
		j.obj.CancelledAt = now
	case store.BatchExpired:
		j.obj.ExpiredAt = now
	}
	if j.write(time.Time{}, from...) == nil {
		j.r.opts.Metrics.end(status)
	}
}

// saveFiles stores the output and error files that are not empty and
// notes their ids; false when a write failed (the batch is ended again
// when its lease ends).
func (j *job) saveFiles(ctx context.Context, out, errs []byte) bool {
	for _, f := range []struct {
		data   []byte
		suffix string
		id     **string
	}{{out, "_output.jsonl", &j.obj.OutputFileID}, {errs, "_error.jsonl", &j.obj.ErrorFileID}} {
		if len(f.data) == 0 {
			continue
		}
		now := j.r.opts.Now().UTC()
		file := &store.File{ID: NewFileID(), Tenant: j.b.Tenant, KeyName: j.b.KeyName, Created: now,
			Expires: now.Add(j.r.opts.Retention), Filename: j.b.ID + f.suffix, Purpose: "batch_output", Bytes: int64(len(f.data)), Content: f.data}
		if err := j.r.opts.Files.SaveFile(ctx, file); err != nil {
			j.r.opts.Logger.Warn("batches: writing a batch's file failed; it is ended when its lease ends", "batch", j.b.ID, "err", err)
			return false
		}
		*f.id = &file.ID
	}
	return true
}
