package batch

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"switchyard/store"
)

// This file keeps what the providers answered before a cancel: a
// provider batch cancelled (its batch cancelled, or expired) still ends
// with the answers to the lines it processed first, and bills them
// (OpenAI's cancelled batch has them in its output file, Anthropic's
// ended one as succeeded results). So the batch waits for each of its
// provider batches to end — the batch cancelling meanwhile, its lease
// kept — and keeps those answers as any others (recorded, charged,
// rendered); the lines not answered end without a result. A router
// restarted while a batch is cancelling waits and fetches again
// (drainKept), for the lines with no result kept.

// drainTimeout bounds the wait for a provider batch asked to cancel to
// end, from the cancel (or the batch's expiry): OpenAI keeps a batch
// cancelling for up to 10 minutes; Anthropic's canceling batch finishes
// only the requests it is running. Past it, the lines the provider
// batch holds end without its answers. It is well within HoldMargin, so
// the lines' budget holds outlast an expiry's wait.
const drainTimeout = 15 * time.Minute

// cancelled marks the batch cancelling, as the store has it since the
// cancel (its cancelling_at read back), and keeps its lease while its
// provider batches end (RenewBatchLeases renews running batches only).
// Only the first call does anything.
func (j *job) cancelled() {
	j.cancelOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		b, err := j.r.opts.Log.GetBatch(ctx, store.TenantScope(j.b.Tenant), j.b.ID, j.r.opts.Now())
		cancel()
		j.mu.Lock()
		if err == nil {
			if o, err := ParseObject(b.Object); err == nil && o.CancellingAt != nil {
				j.obj.CancellingAt = o.CancellingAt
			}
		}
		if j.obj.CancellingAt == nil {
			j.obj.CancellingAt = at(j.r.opts.Now().Unix())
		}
		j.obj.Status = store.BatchCancelling
		j.mu.Unlock()
		if j.r.opts.Lease > 0 {
			j.r.wg.Add(1)
			go j.keepLease()
		}
	})
}

// keepLease renews the lease of the cancelling batch every third of a
// lease, with its progress, until its run ends or the router closes.
func (j *job) keepLease() {
	defer j.r.wg.Done()
	t := time.NewTicker(j.r.opts.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-j.done:
			return
		case <-j.r.closing:
			return
		case <-t.C:
		}
		j.mu.Lock()
		select {
		case <-j.r.closing: // release gives the lease up: not renewed after it
		default:
			j.write(j.r.LeaseEnd(), store.BatchCancelling)
		}
		j.mu.Unlock()
	}
}

// cancelDeadline is when the wait for the provider batches of the
// cancelled batch ends: drainTimeout after its cancel.
func (j *job) cancelDeadline() time.Time {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.obj.CancellingAt != nil {
		return time.Unix(*j.obj.CancellingAt, 0).Add(drainTimeout)
	}
	return j.r.opts.Now().Add(drainTimeout)
}

// drain asks the provider to cancel f (unless it ended), waits until it
// ends, polling at once then every poll interval, and keeps its answers to lines (the
// lines of f with no result kept) as results; it returns the lines it
// did not answer (or answered with an error a live request would retry),
// their holds released. Past deadline (polled once after the cancel),
// it stops waiting: every line is returned. ok is false when the router shut down meanwhile: the next
// run of the batch drains f again.
func (j *job) drain(f store.BatchForward, lines []Line, deadline time.Time) (left []Line, ok bool) {
	asked := false
	for {
		if errors.Is(context.Cause(j.ctx), ErrCancelled) {
			j.cancelled() // cancelled during an expiry's wait: its lease kept from now
		}
		retry, ended := j.collect(j.r.stopping, f, lines)
		if ended {
			return retry, true
		}
		if j.r.stopping.Err() != nil {
			return nil, false
		}
		if !asked { // then polled again at once: it may have ended at the cancel
			j.cancelForward(f)
			asked = true
			continue
		}
		if !j.r.opts.Now().Before(deadline) {
			j.r.opts.Logger.Warn("batches: a cancelled provider batch did not end in time; its lines end without its answers", "batch", j.b.ID, "provider_batch", f.ID, "lines", len(lines))
			j.unhold(lines)
			return lines, true
		}
		t := time.NewTimer(j.r.opts.PollInterval)
		select {
		case <-j.r.stopping.Done():
			t.Stop()
			return nil, false
		case <-t.C:
		}
	}
}

// drainKept drains the provider batches kept of a batch found
// cancelling (cancelled while no router ran it, or while its router was
// stopping or waiting on its provider batches): each that holds lines
// without a result is cancelled, waited on and its answers kept. False
// when the router shut down meanwhile.
func (j *job) drainKept() bool {
	if j.r.opts.Forward == nil {
		return true
	}
	j.cancelled()
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	kept, err := j.r.opts.Log.BatchForwards(ctx, j.b.Tenant, j.b.ID)
	var done []store.BatchLine
	if err == nil && len(kept) > 0 {
		done, err = j.r.opts.Log.BatchLines(ctx, j.b.Tenant, j.b.ID)
	}
	cancel()
	if err == nil {
		kept, err = j.resolve(kept)
	}
	if err != nil {
		j.r.opts.Logger.Warn("batches: reading a cancelled batch's provider batches failed; they are not cancelled", "batch", j.b.ID, "err", err)
		return true
	}
	ran := make(map[int]bool, len(done))
	for _, l := range done {
		ran[l.Index] = true
	}
	kept = slices.DeleteFunc(kept, func(f store.BatchForward) bool {
		return !slices.ContainsFunc(f.Lines, func(i int) bool { return !ran[i] })
	})
	if len(kept) == 0 {
		return true
	}
	lines, ok := j.inputLines()
	if !ok { // without its lines, no answer can be kept: the provider batches are only cancelled
		for _, f := range kept {
			j.cancelForward(f)
		}
		return true
	}
	lines = slices.DeleteFunc(lines, func(l Line) bool { return ran[l.Index] })
	var (
		wg  sync.WaitGroup
		cut atomic.Bool
	)
	deadline := j.cancelDeadline()
	for _, f := range kept {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok := j.drain(f, linesOf(lines, f.Lines), deadline); !ok {
				cut.Store(true)
			}
		}()
	}
	wg.Wait()
	return !cut.Load()
}

// inputLines reads the batch's input (a batch cancelled before this run
// read it); false when it cannot be read.
func (j *job) inputLines() ([]Line, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	data, err := j.r.opts.Files.FileContent(ctx, store.TenantScope(j.b.Tenant), j.obj.InputFileID, j.r.opts.Now())
	cancel()
	if err != nil {
		j.r.opts.Logger.Warn("batches: reading a cancelled batch's input failed; the answers its provider batches gave are not kept", "batch", j.b.ID, "err", err)
		return nil, false
	}
	lines, _ := ParseInput(data, j.obj.Endpoint, j.r.opts.MaxLines)
	return lines, true
}
