// Package batch runs the Batch API's batches in the router
// (docs/batches.md): each batch's input file checked, then the requests
// whose deployment takes provider batches sent to the provider's own
// batch API (Options.Forward; forward.go), and the others sent through
// the router's own API handler as the key that created the batch
// (Options.Dispatch), a bounded number at once over all batches, pausing
// while interactive traffic is high; each line's
// result kept in the store as it ends, so that a batch whose router
// stopped is resumed by any router (its lease ended) without running a
// line twice; the output and error files written when it ends. A cancel
// stops new lines, waits for those running, and writes the partial
// files.
package batch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"switchyard/store"
)

// The causes of a batch's run stopping before its end.
var (
	// ErrCancelled: the batch was cancelled (on this router, or on
	// another: its lease's renewal says so).
	ErrCancelled = errors.New("batch: cancelled")
	// ErrShutdown: the router is shutting down; another router (or this
	// one, restarted) resumes the batch.
	ErrShutdown = errors.New("batch: the router shut down")
)

// Owner is who a batch's requests run as: the tenant and the configured
// name of the key that created it; and, for a Forwarder, which batch.
type Owner struct {
	Tenant, KeyName string
	// Batch is the batch's id: with a line's index, it names the line's
	// budget hold (HoldID).
	Batch string
	// HoldUntil is when the budget holds of the batch's forwarded lines
	// lapse if nothing settles them: its expiry and HoldMargin.
	HoldUntil time.Time
}

// Dispatch sends one request of a batch: POST url with body, as owner,
// through the router's API handler, and returns its answer. It must not
// fail: any failure is an answer (a status and an error body).
type Dispatch func(ctx context.Context, owner Owner, url string, body []byte) Result

// Options configure a Runner.
type Options struct {
	// Log keeps the batches; Files keeps their input, output and error
	// files. Required.
	Log   store.BatchLog
	Files store.FileLog
	// Dispatch sends a request. Required.
	Dispatch Dispatch
	// Concurrency requests run at once over all batches (at least 1).
	Concurrency int
	// Busy returns how many interactive requests are in flight; while it
	// is at least YieldAt, no new request of a batch starts. Nil means
	// never busy.
	Busy    func() int
	YieldAt int
	// MaxLines bounds a batch's requests.
	MaxLines int
	// Lease is how long a batch is held without a renewal (renewed every
	// third of it); Retention how long the output and error files live.
	Lease, Retention time.Duration
	// Forward sends lines to the providers' batch APIs; nil runs every
	// line on the router. PollInterval is how often a provider batch is
	// polled (longer while polls fail).
	Forward      Forwarder
	PollInterval time.Duration
	// Metrics counts the batches and their requests; nil counts nothing.
	Metrics *Metrics
	// Logger hears of failed writes; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Runner runs the batches this router holds. It is safe for concurrent
// use.
type Runner struct {
	opts Options
	// slots bounds the requests running at once.
	slots chan struct{}
	mu    sync.Mutex
	jobs  map[string]*job
	// closing is closed by Close; done once every goroutine ended.
	closing chan struct{}
	wg      sync.WaitGroup
	// hard is cancelled when Close's deadline passes: requests still
	// running are cut.
	hard     context.Context
	cutLines context.CancelFunc
	// stopping is cancelled by Close: the exchanges with providers that
	// a batch's cancel does not cut (a provider batch's creation, the
	// wait on cancelled provider batches) stop, left to the next run.
	stopping       context.Context
	cancelStopping context.CancelFunc
}

// New returns the runner of opts; Start starts it.
func New(opts Options) *Runner {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Concurrency = max(opts.Concurrency, 1)
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Minute
	}
	r := &Runner{opts: opts, slots: make(chan struct{}, opts.Concurrency), jobs: map[string]*job{}, closing: make(chan struct{})}
	r.hard, r.cutLines = context.WithCancel(context.Background())
	r.stopping, r.cancelStopping = context.WithCancel(context.Background())
	return r
}

// LeaseEnd is the lease a batch created now is saved with.
func (r *Runner) LeaseEnd() time.Time { return r.opts.Now().Add(r.opts.Lease) }

// Start resumes the batches whose router stopped, and keeps renewing the
// leases of those it runs, until Close.
func (r *Runner) Start() {
	r.wg.Add(1)
	go r.keep()
}

// Submit runs b, a batch just created on this router with its lease.
func (r *Runner) Submit(b *store.Batch) { r.start(b) }

// Cancel stops the batch id if this router runs it: no new request
// starts; it ends cancelled once those running ended.
func (r *Runner) Cancel(id string) {
	r.mu.Lock()
	j := r.jobs[id]
	r.mu.Unlock()
	if j != nil {
		j.stop(ErrCancelled)
	}
}

// start runs b unless this router runs it already or is closing.
func (r *Runner) start(b *store.Batch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.closing:
		return
	default:
	}
	if r.jobs[b.ID] != nil {
		return
	}
	j := newJob(r, b)
	r.jobs[b.ID] = j
	r.wg.Add(1)
	r.opts.Metrics.running(1)
	go func() {
		defer r.wg.Done()
		defer r.opts.Metrics.running(-1)
		defer func() {
			r.mu.Lock()
			delete(r.jobs, b.ID)
			r.mu.Unlock()
		}()
		j.run()
	}()
}

// keep renews the leases every third of a lease, stops the batches the
// store says no longer run, and claims those whose lease ended.
func (r *Runner) keep() {
	defer r.wg.Done()
	t := time.NewTicker(r.opts.Lease / 3)
	defer t.Stop()
	r.claim()
	for {
		select {
		case <-r.closing:
			return
		case <-t.C:
			r.renew()
			r.claim()
		}
	}
}

// renew renews the leases of the batches this router runs.
func (r *Runner) renew() {
	r.mu.Lock()
	ids := make([]string, 0, len(r.jobs))
	for id := range r.jobs {
		ids = append(ids, id)
	}
	r.mu.Unlock()
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.opts.Lease/3)
	defer cancel()
	stopped, err := r.opts.Log.RenewBatchLeases(ctx, ids, r.LeaseEnd())
	if err != nil {
		r.opts.Logger.Warn("batches: renewing the leases failed", "err", err)
		return
	}
	for _, id := range stopped {
		r.Cancel(id)
	}
}

// claim takes the batches whose router stopped and runs them.
func (r *Runner) claim() {
	ctx, cancel := context.WithTimeout(context.Background(), r.opts.Lease/3)
	defer cancel()
	now := r.opts.Now()
	bs, err := r.opts.Log.ClaimBatches(ctx, now, now.Add(r.opts.Lease), 16)
	if err != nil {
		r.opts.Logger.Warn("batches: claiming the batches of stopped routers failed", "err", err)
	}
	for _, b := range bs {
		r.opts.Logger.Info("batches: resuming a batch whose router stopped", "batch", b.ID, "status", b.Status)
		r.opts.Metrics.resume()
		r.start(b)
	}
}

// Close stops starting requests, waits for those running until ctx
// ends (then cuts them), and releases the leases of the batches left, so
// that another router (or this one restarted) resumes them at once.
func (r *Runner) Close(ctx context.Context) error {
	r.mu.Lock()
	select {
	case <-r.closing:
		r.mu.Unlock()
		return nil
	default:
	}
	close(r.closing)
	r.cancelStopping()
	for _, j := range r.jobs {
		j.stop(ErrShutdown)
	}
	r.mu.Unlock()
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		r.cutLines()
		<-done
		return fmt.Errorf("batch: the shutdown's deadline passed with batch requests running; they were cut and run again when the batch resumes: %w", ctx.Err())
	}
}
