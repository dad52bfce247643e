package background

import (
	"context"
	"fmt"
	"time"
)

// This file holds the runner's end: a drain that lets the jobs finish
// until its deadline and then cuts them, and Close.

// Drain stops taking jobs (Reserve returns ErrClosed) and waits for the
// jobs held, queued ones included, and the places reserved, to end,
// until ctx is done; then it
// ends the context of each job left with ErrShutdown (a queued one runs
// at once, to write its end) and waits up to Options.Grace for them. It
// returns nil when every job ended before ctx did, else an error saying
// how many were cut. Only the first call drains; later ones return its
// result.
func (r *Runner) Drain(ctx context.Context) error {
	r.drainOnce.Do(func() { r.drainErr = r.drain(ctx) })
	return r.drainErr
}

func (r *Runner) drain(ctx context.Context) error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	done := make(chan struct{})
	go func() {
		r.active.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		r.mu.Lock()
		r.cut = true
		cut := len(r.jobs)
		for _, e := range r.jobs {
			e.cancel(ErrShutdown)
		}
		r.mu.Unlock()
		err = fmt.Errorf("background: the drain ended with %d background responses running or queued; they were failed", cut)
		t := time.NewTimer(r.opts.Grace)
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
			r.opts.Logger.Error("background responses still running after the drain and its grace; they may be left in progress until their lease ends")
			return err
		}
	}
	r.closeQueue()
	r.workers.Wait()
	return err
}

// closeQueue makes the workers stop once the jobs queued are taken.
func (r *Runner) closeQueue() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.queueClosed {
		r.queueClosed = true
		close(r.queue)
	}
}

// Close drains the runner until ctx is done (see Drain; a runner already
// drained is not drained again), stops its lease loops, and waits for
// its workers until ctx is done: a job still running then is left to its
// lease's end.
func (r *Runner) Close(ctx context.Context) error {
	err := r.Drain(ctx)
	r.stopLoops()
	r.loops.Wait()
	r.closeQueue()
	done := make(chan struct{})
	go func() {
		r.workers.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return err
}
