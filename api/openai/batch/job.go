package batch

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"switchyard/store"
)

// This file runs one batch: its input checked, its requests not yet done
// sent (a slot each), each result kept as it ends, and the batch ended —
// completed, cancelled or expired — with its files, or its lease
// released at a shutdown.

// writeTimeout bounds one write of a batch's state.
const writeTimeout = 10 * time.Second

// progressEvery is how often the counts of a running batch are written.
const progressEvery = 250 * time.Millisecond

// job is one batch this router runs.
type job struct {
	r      *Runner
	b      *store.Batch
	ctx    context.Context
	cancel context.CancelCauseFunc
	// mu guards obj and wrote once the requests run.
	mu    sync.Mutex
	obj   *Object
	wrote time.Time
	// resumed reports a batch that ran before (in progress when this run
	// began): some of its lines may be held already.
	resumed bool
	// cancelOnce makes the batch cancelling once (cancelled); cut
	// reports a wait on cancelled provider batches that the shutdown
	// cut (the batch is left cancelling, to the next run); done is
	// closed when the run ends.
	cancelOnce sync.Once
	cut        atomic.Bool
	done       chan struct{}
	// unproven holds the ids of the provider batches found not proven
	// this batch's (resolve): never cancelled.
	unproven sync.Map
	// retried holds the indexes of the lines a provider batch left to
	// the router in an earlier run (restoreRetries).
	retried map[int]bool
}

func newJob(r *Runner, b *store.Batch) *job {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &job{r: r, b: b, ctx: ctx, cancel: cancel, done: make(chan struct{})}
}

// stop stops the batch's run for cause (the first cause given counts).
func (j *job) stop(cause error) { j.cancel(cause) }

// owner is who the batch's requests run as.
func (j *job) owner() Owner {
	return Owner{Tenant: j.b.Tenant, KeyName: j.b.KeyName, Batch: j.b.ID, HoldUntil: j.holdUntil()}
}

// run runs the batch to its end, or until it is stopped.
func (j *job) run() {
	defer j.cancel(nil)
	defer close(j.done)
	obj, err := ParseObject(j.b.Object)
	if err != nil {
		j.r.opts.Logger.Error("batches: a stored batch does not read; it is left as it is", "batch", j.b.ID, "err", err)
		return
	}
	j.obj = obj
	if j.b.Status == store.BatchCancelling {
		if j.drainKept() {
			j.end(store.BatchCancelled, nil)
		} else {
			j.release()
		}
		return
	}
	lines, ok := j.validate()
	if !ok {
		return
	}
	pending, ok := j.resume(lines)
	if !ok {
		return
	}
	var left []Line
	if j.r.opts.Forward != nil {
		if left, ok = j.forward(pending); !ok {
			return
		}
	} else {
		left = j.dispatch(pending)
	}
	switch cause := context.Cause(j.ctx); {
	case errors.Is(cause, ErrShutdown) || j.cut.Load():
		j.release()
	case errors.Is(cause, ErrCancelled):
		j.cancelled()
		j.end(store.BatchCancelled, nil)
	case len(left) > 0:
		j.end(store.BatchExpired, left)
	default:
		j.end(store.BatchCompleted, nil)
	}
}

// validate reads and checks the input; false when the batch cannot run
// (failed, or the store unavailable: the lease lapses and it is tried
// again).
func (j *job) validate() ([]Line, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	data, err := j.r.opts.Files.FileContent(ctx, store.TenantScope(j.b.Tenant), j.obj.InputFileID, j.r.opts.Now())
	if errors.Is(err, store.ErrFileNotFound) {
		j.fail([]Error{{Code: "input_file_not_found", Message: "The input file " + j.obj.InputFileID + " was deleted or expired before the batch ran."}})
		return nil, false
	}
	if err != nil {
		j.r.opts.Logger.Warn("batches: reading a batch's input failed; it is tried again when its lease ends", "batch", j.b.ID, "err", err)
		return nil, false
	}
	lines, errs := ParseInput(data, j.obj.Endpoint, j.r.opts.MaxLines)
	if len(errs) > 0 {
		j.fail(errs)
		return nil, false
	}
	return lines, true
}

// fail ends the batch failed with errs.
func (j *job) fail(errs []Error) {
	j.obj.Status, j.obj.FailedAt = store.BatchFailed, at(j.r.opts.Now().Unix())
	j.obj.Errors = &Errors{Object: "list", Data: errs}
	if j.write(time.Time{}, store.BatchRunning...) == nil {
		j.r.opts.Metrics.end(store.BatchFailed)
	}
}

// resume marks the batch in progress and returns its lines not yet run;
// false when it no longer runs.
func (j *job) resume(lines []Line) ([]Line, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	done, err := j.r.opts.Log.BatchLines(ctx, j.b.Tenant, j.b.ID)
	if err != nil {
		j.r.opts.Logger.Warn("batches: reading a batch's progress failed; it is tried again when its lease ends", "batch", j.b.ID, "err", err)
		return nil, false
	}
	j.retally(done)
	ran := make(map[int]bool, len(done))
	for _, l := range done {
		ran[l.Index] = true
	}
	var pending []Line
	for _, l := range lines {
		if !ran[l.Index] {
			pending = append(pending, l)
		}
	}
	j.resumed = j.obj.Status != store.BatchValidating
	if j.resumed {
		j.restoreRetries(pending)
	}
	if j.obj.Status == store.BatchValidating {
		j.obj.Status, j.obj.InProgressAt = store.BatchInProgress, at(j.r.opts.Now().Unix())
	}
	j.obj.RequestCounts.Total = len(lines)
	if err := j.write(j.r.LeaseEnd(), store.BatchRunning...); err != nil {
		j.stop(ErrCancelled)
	}
	return pending, true
}

// retally sets the counts, usage and cost of the batch from its lines.
func (j *job) retally(lines []store.BatchLine) {
	j.obj.RequestCounts.Completed, j.obj.RequestCounts.Failed = 0, 0
	j.obj.Usage, j.obj.CostUSD, j.obj.TotalCostUSD = Usage{}, 0, 0
	for _, l := range lines {
		tally(j.obj, l.Data, l.Failed)
	}
}

// dispatch runs the pending lines, Concurrency at once over all batches,
// until they are done, the batch is stopped, or it expires; it returns
// the lines left when it expired.
func (j *job) dispatch(pending []Line) []Line {
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := range pending {
		if !j.wait() {
			return nil
		}
		if exp := j.obj.ExpiresAt; exp != nil && j.r.opts.Now().Unix() >= *exp {
			<-j.r.slots
			return pending[i:]
		}
		wg.Add(1)
		go func(l *Line) {
			defer wg.Done()
			defer func() { <-j.r.slots }()
			j.line(l)
		}(&pending[i])
	}
	return nil
}

// wait waits until interactive traffic leaves room and a slot is free,
// and takes it; false when the batch was stopped meanwhile.
func (j *job) wait() bool {
	for j.r.opts.Busy != nil && j.r.opts.Busy() >= j.r.opts.YieldAt {
		select {
		case <-j.ctx.Done():
			return false
		case <-time.After(50 * time.Millisecond):
		}
	}
	select {
	case <-j.ctx.Done():
		return false
	case j.r.slots <- struct{}{}:
		if j.ctx.Err() != nil {
			<-j.r.slots
			return false
		}
		return true
	}
}

// line runs one request and keeps its result.
func (j *job) line(l *Line) {
	var (
		data   []byte
		failed = true
	)
	if l.Stream {
		data = unsent(l, "stream_not_supported", "A batch cannot stream: send this request without 'stream', or set it to false.")
	} else {
		data, failed = answered(l, j.sendLine(l))
		if failed && j.r.hard.Err() != nil {
			return // the shutdown cut it: not kept, so that the batch's next run sends it again
		}
	}
	j.keep(l, data, failed)
}

// lineRetries and maxLineWait bound how a line answered with a retryable
// 429 is sent again: at most lineRetries more times, each after the
// answer's Retry-After doubled on each try, at most maxLineWait (with a
// budget's Retry-After of 1 s: 15 s in all, time for the lines beside it
// to settle; a budget held by a provider batch's lines for hours is not
// waited for).
const (
	lineRetries = 4
	maxLineWait = time.Minute
)

// sendLine sends l's request. A 429 that may be retried (Result.RetryAfter:
// a budget held by requests in flight — often the batch's own lines
// running beside it — or a rate limit) is sent again after its wait, as
// an SDK would, holding the line's slot meanwhile; after lineRetries, or
// once the batch is stopped or expired, the last answer is the line's. A
// line with an earlier provider batch's call is not sent again (that
// call is billed with its first run).
func (j *job) sendLine(l *Line) Result {
	res := j.r.opts.Dispatch(withEarlier(j.r.hard, l.Earlier), j.owner(), j.obj.Endpoint, l.Body)
	for n := 0; n < lineRetries && l.Earlier == nil && res.Status == 429 && res.RetryAfter > 0 && res.RetryAfter <= maxLineWait; n++ {
		select {
		case <-j.ctx.Done():
			return res
		case <-j.r.hard.Done():
			return res
		case <-time.After(min(res.RetryAfter<<n, maxLineWait)):
		}
		if exp := j.obj.ExpiresAt; exp != nil && j.r.opts.Now().Unix() >= *exp {
			return res
		}
		res = j.r.opts.Dispatch(j.r.hard, j.owner(), j.obj.Endpoint, l.Body)
	}
	return res
}

// keep keeps the result data of l, counts it, and writes the batch's
// progress every progressEvery.
func (j *job) keep(l *Line, data []byte, failed bool) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if err := j.r.opts.Log.SaveBatchLine(ctx, j.b.Tenant, j.b.ID, store.BatchLine{Index: l.Index, Failed: failed, Data: data}); err != nil {
		j.r.opts.Logger.Warn("batches: keeping a request's result failed; it runs again if the batch is resumed", "batch", j.b.ID, "line", l.Number, "err", err)
	}
	j.r.opts.Metrics.request(failed)
	j.mu.Lock()
	defer j.mu.Unlock()
	tally(j.obj, data, failed)
	if now := j.r.opts.Now(); now.Sub(j.wrote) >= progressEvery {
		j.wrote = now
		if err := j.write(j.r.LeaseEnd(), j.statuses()...); errors.Is(err, store.ErrBatchMoved) || errors.Is(err, store.ErrBatchNotFound) {
			j.stop(ErrCancelled)
		}
	}
}

// write writes the batch's object, status and lease, if its stored
// status is one of from.
func (j *job) write(lease time.Time, from ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	b := &store.Batch{ID: j.b.ID, Tenant: j.b.Tenant, Status: j.obj.Status, Object: j.obj.Marshal(), Lease: lease}
	err := j.r.opts.Log.UpdateBatch(ctx, b, from...)
	if err != nil && !errors.Is(err, store.ErrBatchMoved) && !errors.Is(err, store.ErrBatchNotFound) {
		j.r.opts.Logger.Warn("batches: writing a batch's state failed", "batch", j.b.ID, "status", j.obj.Status, "err", err)
	}
	return err
}

// release gives the batch's lease up at a shutdown, its progress
// written: another router resumes it at once.
func (j *job) release() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.write(j.r.opts.Now(), j.statuses()...)
}

// statuses are the stored statuses the batch's progress is written
// from: those of a running batch, or cancelling once it is (cancelled);
// the caller holds j.mu.
func (j *job) statuses() []string {
	if j.obj.Status == store.BatchCancelling {
		return []string{store.BatchCancelling}
	}
	return store.BatchRunning
}
