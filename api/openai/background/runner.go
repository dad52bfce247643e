// Package background runs the Responses API's background responses in
// the router that took them: a bounded pool of workers fed by a bounded
// queue, each job's lease in the store renewed while it is held, the
// jobs that the store says no longer run (cancelled on another router,
// deleted, failed) stopped at the next renewal, and the responses whose
// router stopped without finishing them (their lease ended) failed by
// any router (docs/responses.md#background-responses). What a job does is
// the caller's (Job.Run); the runner decides when it runs and why it
// stops, which the job reads as its context's cause.
package background

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"switchyard/store"
)

// The causes of a job's context ending (context.Cause), besides the
// caller's own cancellation of Job.Context.
var (
	// ErrCancelled: the response was cancelled on this router (Cancel).
	ErrCancelled = errors.New("background: the response was cancelled")
	// ErrStopped: the store says the response no longer runs: cancelled
	// on another router, deleted, or failed because its lease ended.
	ErrStopped = errors.New("background: the response no longer runs")
	// ErrShutdown: the router's drain ended before the job did.
	ErrShutdown = errors.New("background: the router shut down")
	// ErrTimeout: the job ran longer than Options.Timeout.
	ErrTimeout = errors.New("background: the response ran longer than its timeout")
)

// The errors of Reserve.
var (
	// ErrFull: MaxConcurrent jobs run and MaxQueued wait.
	ErrFull = errors.New("background: the queue is full")
	// ErrClosed: the runner is draining or closed.
	ErrClosed = errors.New("background: the router is shutting down")
)

// Options configure a Runner.
type Options struct {
	// Log keeps the leases and finds the expired ones. Required.
	Log store.BackgroundLog
	// MaxConcurrent jobs run at once; MaxQueued more wait. Zero
	// MaxConcurrent means 1.
	MaxConcurrent, MaxQueued int
	// Timeout bounds a job's run, its wait in the queue excluded; zero
	// means none.
	Timeout time.Duration
	// Lease is how long a job's response is held in the store without a
	// renewal. Required.
	Lease time.Duration
	// RenewEvery is how often the leases of the jobs held are renewed
	// (and the jobs the store stopped found); zero means Lease/3.
	RenewEvery time.Duration
	// SweepEvery is how often the expired leases are looked for (and
	// their responses failed), the first time at once; zero means
	// Lease/2.
	SweepEvery time.Duration
	// EventsRetention is how long the events of a streamed response are
	// kept after it was created, once it ended; zero means as long as the
	// response. The runner erases older ones at its start and every
	// PruneEvery.
	EventsRetention time.Duration
	// Grace bounds the wait, once a drain's deadline passed and the jobs
	// left were cancelled, for them to write their end; zero means 2s.
	Grace time.Duration
	// Logger hears of failed renewals and sweeps; nil means
	// slog.Default().
	Logger *slog.Logger
	// Metrics counts the jobs; nil means none are kept.
	Metrics *Metrics
}

// Job is one background response to run.
type Job struct {
	// ID is the response's id.
	ID string
	// Context is what the job runs under (the request's values, without
	// its cancellation); Run gets it with the runner's cancellation.
	Context context.Context
	// Run runs the response and returns its outcome (its final status,
	// for the metrics). Its context ends, with a cause above, when the
	// response is cancelled or stopped, its timeout passes, or the
	// router's drain ends; a job the drain cut before it started is run
	// with its context already ended, to write its end.
	Run func(ctx context.Context) string
	// Feed holds the events of a streamed job for this router's clients
	// (Runner.Feed); nil for none.
	Feed *Feed
	// Done, if not nil, is called once the job has ended.
	Done func()
}

// Runner runs background jobs. It is safe for concurrent use.
type Runner struct {
	opts  Options
	queue chan *entry
	mu    sync.Mutex
	jobs  map[string]*entry // queued and running
	held  int               // places reserved, queued or running
	// closed refuses new reservations (a drain began), cut says the
	// drain's deadline passed (a job submitted then starts ended), and
	// queueClosed that the workers stopped taking jobs.
	closed, cut, queueClosed bool
	// active counts the places reserved, until released or their job
	// ended.
	active    sync.WaitGroup
	workers   sync.WaitGroup
	stopLoops context.CancelFunc
	loops     sync.WaitGroup
	drainOnce sync.Once
	drainErr  error
}

// entry is a job held by the runner.
type entry struct {
	job    Job
	ctx    context.Context
	cancel context.CancelCauseFunc
}

// New returns a Runner with its workers and its lease loops started;
// Close stops them.
func New(opts Options) *Runner {
	if opts.MaxConcurrent < 1 {
		opts.MaxConcurrent = 1
	}
	if opts.RenewEvery <= 0 {
		opts.RenewEvery = opts.Lease / 3
	}
	if opts.SweepEvery <= 0 {
		opts.SweepEvery = opts.Lease / 2
	}
	if opts.Grace <= 0 {
		opts.Grace = 2 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	r := &Runner{opts: opts, jobs: map[string]*entry{},
		queue: make(chan *entry, opts.MaxConcurrent+max(opts.MaxQueued, 0))}
	for range opts.MaxConcurrent {
		r.workers.Add(1)
		go r.work()
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.stopLoops = cancel
	r.loops.Add(2)
	go r.renewLoop(ctx)
	go r.sweepLoop(ctx)
	return r
}

// LeaseEnd is the lease a job's response is saved or written with now.
func (r *Runner) LeaseEnd() time.Time { return time.Now().Add(r.opts.Lease) }

// Slot is a place in the runner reserved for one job: Submit it, or
// Release it when the job will not run.
type Slot struct {
	r    *Runner
	used bool
}

// Reserve reserves a place for a job, or returns ErrFull or ErrClosed.
func (r *Runner) Reserve() (*Slot, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.closed:
		return nil, ErrClosed
	case r.held >= r.opts.MaxConcurrent+max(r.opts.MaxQueued, 0):
		r.opts.Metrics.refused()
		return nil, ErrFull
	}
	r.held++
	r.active.Add(1)
	return &Slot{r: r}, nil
}

// Release gives the place back; after Submit it does nothing.
func (s *Slot) Release() {
	if s.used {
		return
	}
	s.used = true
	s.r.mu.Lock()
	s.r.held--
	s.r.mu.Unlock()
	s.r.active.Done()
}

// Submit queues j in the reserved place. A job submitted once the
// drain's deadline passed starts with its context ended by ErrShutdown,
// to write its end (at once when the workers stopped).
func (s *Slot) Submit(j Job) {
	if s.used {
		panic("background: a slot submitted twice")
	}
	s.used = true
	r := s.r
	ctx, cancel := context.WithCancelCause(j.Context)
	e := &entry{job: j, ctx: ctx, cancel: cancel}
	r.mu.Lock()
	r.jobs[j.ID] = e
	if r.cut {
		cancel(ErrShutdown)
	}
	late := r.queueClosed
	if !late {
		r.queue <- e // never blocks: the queue holds every place
	}
	r.mu.Unlock()
	r.opts.Metrics.queued()
	if late {
		r.run(e)
	}
}

// work runs the queued jobs until the queue is closed.
func (r *Runner) work() {
	defer r.workers.Done()
	for e := range r.queue {
		r.run(e)
	}
}

// run runs e's job under its timeout, then lets it go.
func (r *Runner) run(e *entry) {
	r.opts.Metrics.started()
	ctx, cancel := e.ctx, context.CancelFunc(func() {})
	if r.opts.Timeout > 0 {
		ctx, cancel = context.WithTimeoutCause(e.ctx, r.opts.Timeout, ErrTimeout)
	}
	outcome := r.runJob(ctx, e)
	cancel()
	e.cancel(nil)
	r.mu.Lock()
	delete(r.jobs, e.job.ID)
	r.held--
	r.mu.Unlock()
	r.opts.Metrics.finished(outcome)
	if e.job.Done != nil {
		e.job.Done()
	}
	r.active.Done()
}

// runJob runs e's job; a panic is logged and counted as the outcome
// "panic", not let loose on the process (the job's response is then
// failed once its lease ends, if the job did not fail it).
func (r *Runner) runJob(ctx context.Context, e *entry) (outcome string) {
	defer func() {
		if v := recover(); v != nil {
			r.opts.Logger.Error("background: a response's run panicked", "response", e.job.ID, "panic", v, "stack", string(debug.Stack()))
			outcome = "panic"
		}
	}()
	return e.job.Run(ctx)
}

// Cancel ends the context of the job of the response id, if this router
// holds it, with cause (ErrCancelled, ErrStopped), and reports whether it
// did.
func (r *Runner) Cancel(id string, cause error) bool {
	r.mu.Lock()
	e := r.jobs[id]
	r.mu.Unlock()
	if e == nil {
		return false
	}
	e.cancel(cause)
	return true
}

// Feed returns the event feed of the streamed job of the response id
// when this router holds it, else nil.
func (r *Runner) Feed(id string) *Feed {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e := r.jobs[id]; e != nil {
		return e.job.Feed
	}
	return nil
}

// held returns the ids of the jobs held, queued or running.
func (r *Runner) heldIDs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, 0, len(r.jobs))
	for id := range r.jobs {
		ids = append(ids, id)
	}
	return ids
}
