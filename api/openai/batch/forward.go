package batch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"switchyard/store"
)

// This file sends a batch's lines to the providers' own batch APIs
// (Options.Forward): the lines whose deployment takes provider batches
// are sent, one provider batch per deployment, each kept in the store
// (store.BatchForward) before anything waits on it, so that a router
// resuming the batch polls it rather than sending its lines again; the
// others run on the router, as do the lines a provider batch could not
// take or answered with an error a live request would retry.

// providerTimeout bounds one exchange with a provider's batch API that
// carries a batch's lines: an upload and creation, a results download.
const providerTimeout = 5 * time.Minute

// maxPollBackoff bounds the wait between two polls of a provider batch
// that keep failing, in poll intervals.
const maxPollBackoff = 10

// Forwarder sends lines of batches to the providers' batch APIs. Its
// methods are called from the batch's goroutines, concurrently.
type Forwarder interface {
	// Split resolves each line's first-choice deployment, as a live
	// request of owner to endpoint would be routed (no model called),
	// and returns the lines whose deployment takes provider batches,
	// grouped by it, and the others, to run on the router.
	Split(ctx context.Context, owner Owner, endpoint string, lines []Line) (groups []Group, local []Line)
	// Submit sends g's lines as one provider batch, with key where the
	// provider keeps one (Find), and returns its id; on an error none of
	// them was sent, unless the provider made it and its answer was lost.
	// An error wrapping ErrNotCreated says the provider surely made none
	// (it refused the creation, or nothing was sent).
	Submit(ctx context.Context, owner Owner, endpoint string, g Group, key string) (id string, err error)
	// Find returns the id of the provider batch of f.Deployment sent
	// with f.Key (f Pending: kept before its creation, its id never
	// written), found by the key where the provider keeps it (OpenAI's
	// metadata) or by its requests' custom ids (ForwardCustomID of f.Key
	// and f.Lines: Anthropic's); "" when the provider holds none or
	// cannot tell it from others. proven reports that it is known to be
	// that batch; an unproven one (the single candidate still running)
	// is awaited, its results matched by custom id, but never cancelled.
	Find(ctx context.Context, owner Owner, f store.BatchForward) (id string, proven bool, err error)
	// Poll reports whether the provider batch f ended.
	Poll(ctx context.Context, owner Owner, f store.BatchForward) (ended bool, err error)
	// Results returns what the provider answered to lines, those of f
	// that have no result kept yet: an outcome per line it answered
	// (recorded, priced and rendered in endpoint's shape), and the lines
	// it did not answer or answered with an error a live request would
	// retry, to run on the router.
	Results(ctx context.Context, owner Owner, endpoint string, f store.BatchForward, lines []Line) (done []Outcome, retry []Line, err error)
	// Cancel asks the provider to cancel f.
	Cancel(ctx context.Context, owner Owner, f store.BatchForward) error

	// The budget holds of the forwarded lines (docs/budgets.md): Split
	// holds each line it groups, under HoldID(owner.Batch, its index),
	// until owner.HoldUntil, and leaves to the router a line its budgets
	// cannot hold; Results settles the hold of each line answered.

	// Hold holds again, past the limits, the lines of f, sent before
	// this run of their batch: found held (a shared back end), nothing
	// more is held.
	Hold(ctx context.Context, owner Owner, endpoint string, f store.BatchForward, lines []Line)
	// Release releases the holds of lines, charging nothing: they run on
	// the router, or were cancelled or expired.
	Release(ctx context.Context, owner Owner, endpoint string, lines []Line)
}

// ErrNotCreated is wrapped by a Forwarder.Submit error when no provider
// batch was made: the provider refused its creation (a 4xx: the request,
// its size, the account's limits), or nothing was sent. The batch kept
// before its creation is then erased rather than looked for on every
// resume (Forwarder.Find). Any other error may hide a batch the provider
// made and whose answer was lost (a timeout, a 5xx).
var ErrNotCreated = errors.New("the provider batch was not created")

// Group is lines sent to one deployment's provider batch.
type Group struct {
	Deployment string
	Lines      []Line
}

// Outcome is a provider's answer to one line.
type Outcome struct {
	Line   *Line
	Result Result
}

// forward sends the pending lines that go to provider batches, waits on
// those (and on the provider batches a previous run sent), and runs the
// rest on the router; it returns the lines left when the batch expired,
// and false when the store could not say what was sent already.
func (j *job) forward(pending []Line) ([]Line, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	kept, err := j.r.opts.Log.BatchForwards(ctx, j.b.Tenant, j.b.ID)
	cancel()
	if err == nil {
		kept, err = j.resolve(kept)
	}
	if err != nil {
		j.r.opts.Logger.Warn("batches: reading a batch's provider batches failed; it is tried again when its lease ends", "batch", j.b.ID, "err", err)
		return nil, false
	}
	held := map[int]bool{}
	for _, f := range kept {
		for _, i := range f.Lines {
			held[i] = true
		}
	}
	pending, back := j.splitRetried(pending) // back: left to the router by an earlier run's provider batch
	var fresh []Line
	for _, l := range pending {
		if !held[l.Index] {
			fresh = append(fresh, l)
		}
	}
	j.rehold(kept, pending)
	sent, local := j.send(fresh)
	local = append(local, back...)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		fallback []Line
	)
	for _, f := range append(kept, sent...) {
		lines := linesOf(pending, f.Lines)
		if len(lines) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			retry := j.await(f, lines)
			mu.Lock()
			fallback = append(fallback, retry...)
			mu.Unlock()
		}()
	}
	left := j.dispatch(local)
	wg.Wait()
	if j.ctx.Err() != nil || len(fallback) == 0 {
		return left, true
	}
	return append(left, j.dispatch(fallback)...), true
}

// send splits fresh and sends each group as a provider batch, kept in
// the store; it returns the provider batches sent and the lines to run
// on the router (the groups that could not be sent among them).
func (j *job) send(fresh []Line) ([]store.BatchForward, []Line) {
	if len(fresh) == 0 {
		return nil, nil
	}
	groups, local := j.r.opts.Forward.Split(j.ctx, j.owner(), j.obj.Endpoint, fresh)
	if j.resumed {
		j.unhold(local) // held by a run that stopped before it sent them
	}
	var sent []store.BatchForward
	for _, g := range groups {
		if j.ctx.Err() != nil { // stopped: sent nowhere (not run here either)
			j.unhold(g.Lines)
			local = append(local, g.Lines...)
			continue
		}
		f, ok := j.submit(g)
		if !ok {
			j.unhold(g.Lines)
			local = append(local, g.Lines...)
			continue
		}
		j.r.opts.Metrics.forwarded(len(g.Lines))
		sent = append(sent, f)
	}
	return sent, local
}

// submit sends g as a provider batch, kept in the store under a new key
// before it is created (a router dying before its id is written finds
// it by that key: resolve) and under its id once created; false when it
// was not sent or could not be kept (then it is cancelled), its lines
// to run on the router.
func (j *job) submit(g Group) (store.BatchForward, bool) {
	key := NewForwardKey()
	f := store.BatchForward{ID: key, Key: key, Deployment: g.Deployment, Created: j.r.opts.Now().UTC()}
	for _, l := range g.Lines {
		f.Lines = append(f.Lines, l.Index)
	}
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	err := j.r.opts.Log.SaveBatchForward(ctx, j.b.Tenant, j.b.ID, f)
	cancel()
	if err != nil {
		j.r.opts.Logger.Warn("batches: keeping a provider batch failed; its lines run on the router", "batch", j.b.ID, "deployment", g.Deployment, "err", err)
		return f, false
	}
	// Not cut by a cancel: the provider may have made it when the call
	// is cut, then a batch the router does not know (and never cancels)
	// would answer and bill its lines. Once made, it is awaited, and so
	// cancelled and its answers kept.
	ctx, cancel = context.WithTimeout(j.r.stopping, providerTimeout)
	id, err := j.r.opts.Forward.Submit(ctx, j.owner(), j.obj.Endpoint, g, key)
	cancel()
	if err != nil {
		j.r.opts.Logger.Warn("batches: a provider batch could not be created; its lines run on the router", "batch", j.b.ID, "deployment", g.Deployment, "lines", len(g.Lines), "err", err)
		if errors.Is(err, ErrNotCreated) {
			j.forget(f)
		}
		return f, false
	}
	f.ID = id
	ctx, cancel = context.WithTimeout(context.Background(), writeTimeout)
	err = j.r.opts.Log.SetBatchForwardID(ctx, j.b.Tenant, j.b.ID, key, id)
	cancel()
	if err != nil { // a resume could find it only where the provider keeps the key: cancel it and run its lines here
		j.r.opts.Logger.Warn("batches: keeping a provider batch failed; it is cancelled and its lines run on the router", "batch", j.b.ID, "provider_batch", id, "err", err)
		j.cancelForward(f)
		return f, false
	}
	return f, true
}

// forget erases f, kept before its creation, which the provider refused:
// left, it would be looked for on every resume of the batch. An error is
// logged only (a resume finds nothing under its key, as before).
func (j *job) forget(f store.BatchForward) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if err := j.r.opts.Log.DeleteBatchForward(ctx, j.b.Tenant, j.b.ID, f.Key); err != nil {
		j.r.opts.Logger.Warn("batches: erasing a provider batch whose creation was refused failed; a resume looks for it", "batch", j.b.ID, "key", f.Key, "err", err)
	}
}

// resolve returns kept with each pending provider batch (kept before its
// creation, its id never written: its router died or stopped between)
// given the id the provider has under its key; one the provider does
// not have is left out (its lines are sent again). A proven one's id is
// written; an unproven one's is not (it is looked for again on the next
// resume) and it is marked never to be cancelled (cancelForward). An
// error when a provider could not be asked.
func (j *job) resolve(kept []store.BatchForward) ([]store.BatchForward, error) {
	out := kept[:0:0]
	for _, f := range kept {
		if !f.Pending() {
			out = append(out, f)
			continue
		}
		ctx, cancel := context.WithTimeout(j.ctx, providerTimeout)
		id, proven, err := j.r.opts.Forward.Find(ctx, j.owner(), f)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("finding the provider batch of key %s: %w", f.Key, err)
		}
		if id == "" {
			continue
		}
		f.ID = id
		out = append(out, f)
		if !proven {
			j.unproven.Store(id, true)
			j.r.opts.Logger.Warn("batches: a provider batch whose id was not kept may be the one found (the only one that could be, still running); it is awaited, its results taken only for the custom ids of its lines, and never cancelled", "batch", j.b.ID, "provider_batch", id)
			continue
		}
		j.r.opts.Logger.Info("batches: a provider batch whose id was not kept was found by its key", "batch", j.b.ID, "provider_batch", id)
		ctx, cancel = context.WithTimeout(context.Background(), writeTimeout)
		if err := j.r.opts.Log.SetBatchForwardID(ctx, j.b.Tenant, j.b.ID, f.Key, id); err != nil {
			j.r.opts.Logger.Warn("batches: keeping a found provider batch's id failed; it is found again on the next resume", "batch", j.b.ID, "provider_batch", id, "err", err)
		}
		cancel()
	}
	return out, nil
}

// linesOf returns the lines among pending whose index is in indexes.
func linesOf(pending []Line, indexes []int) []Line {
	want := make(map[int]bool, len(indexes))
	for _, i := range indexes {
		want[i] = true
	}
	var out []Line
	for _, l := range pending {
		if want[l.Index] {
			out = append(out, l)
		}
	}
	return out
}
