// Package learn turns what happens to answers into feedback tied to the
// routing decision: explicit ratings (POST /v1/feedback), implicit
// signals detected from the traffic itself (retries, regenerations,
// abandonment, continued conversations, format failures, refusals), and
// the cost-quality scores per route, category and deployment built on
// both (Scores), which adaptive routing and the weekly report read.
//
// Feedback is kept in the request store's feedback table
// (store.FeedbackLog). This package imports only llm and store of the
// project, so the router (route) may read its scores.
package learn

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/store"
)

// ErrUnknownRequest is returned by Rate for a request id the caller's
// tenant does not own: unknown, too old for the request log, or another
// tenant's (the same error, so ids of other tenants cannot be probed).
var ErrUnknownRequest = errors.New("learn: no such request")

// Store is what the learner needs of the request store: the owner of a
// request, and the feedback log. store.Store implements it.
type Store interface {
	Get(ctx context.Context, scope store.Scope, id string) (*store.Request, error)
	store.FeedbackLog
}

// Options configure a Learner. Zero fields take defaults.
type Options struct {
	// Store keeps the feedback; required.
	Store Store
	// Weights are the implicit signals' weights; nil means DefaultWeights.
	Weights *Weights
	// RetryWindow is how soon after an answer the same question counts as
	// a retry or regeneration of it; zero means DefaultRetryWindow.
	// ContinuationWindow is how soon the next turn must follow to count as
	// continuing the conversation; zero means DefaultContinuationWindow.
	RetryWindow, ContinuationWindow time.Duration
	// Settle, when set, waits until the request id, if the router is
	// still serving it, has been answered and observed (Observe called
	// with it). Rate calls it for an id it does not know yet, so a rating
	// sent the instant an answer arrives is not refused.
	Settle func(ctx context.Context, id string) error
	// Now is the clock of the feedback's times; nil means time.Now.
	Now func() time.Time
	// Logger receives the feedback writer's logs; nil means
	// slog.Default(). Registerer, when set, gets its metrics.
	Logger     *slog.Logger
	Registerer prometheus.Registerer
	// RowWait is how long Rate looks for the row of a request id it
	// does not know, which another router replica may have served (its
	// row is written within a batch interval); zero means DefaultRowWait,
	// a negative value not at all.
	RowWait time.Duration
	// StoreTimeout bounds each read and write of the store Rate makes, so
	// a database that stopped answering fails a rating (the router
	// answers 503) instead of holding it until the request's deadline
	// (store.timeout); zero means DefaultStoreTimeout.
	StoreTimeout time.Duration
	// OnFeedback, when set, receives every feedback row as it is made:
	// the implicit signals Observe detects (before they are written) and
	// each rating Rate stored. It must not block: the adaptive scorer
	// queues them (switchyard/learn/adaptive).
	OnFeedback func([]*store.Feedback)
	// recent and owners bound the detector's and the owner index's memory
	// (tests shrink them); zero means the defaults.
	recent, owners int
}

// DefaultRowWait is Options.RowWait's default: three flush intervals of
// the request log's writer (a replica writes a small batch at most every
// store.DefaultFlushInterval).
const DefaultRowWait = 3 * store.DefaultFlushInterval

// DefaultStoreTimeout is Options.StoreTimeout's default: the bound of
// every store call a request waits for (store.DefaultTimeout).
const DefaultStoreTimeout = store.DefaultTimeout

// rowPoll is how often Rate looks for a row it waits for.
const rowPoll = 50 * time.Millisecond

// Learner collects feedback: Rate stores a client's rating at once,
// Observe finds the implicit signals of each finished request and hands
// their rows to a background writer. It is safe for concurrent use, but
// Observe must be called from one goroutine at a time (the recorder's).
type Learner struct {
	st         Store
	settle     func(context.Context, string) error
	rowWait    time.Duration
	timeout    time.Duration // Options.StoreTimeout
	now        func() time.Time
	owners     *owners
	det        *detector
	w          *writer
	onFeedback func([]*store.Feedback)
}

// New starts a Learner; Close flushes it.
func New(opts Options) *Learner {
	w := DefaultWeights()
	if opts.Weights != nil {
		w = *opts.Weights
	}
	retry, cont := opts.RetryWindow, opts.ContinuationWindow
	if retry <= 0 {
		retry = DefaultRetryWindow
	}
	if cont <= 0 {
		cont = DefaultContinuationWindow
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	rowWait := opts.RowWait
	if rowWait == 0 {
		rowWait = DefaultRowWait
	}
	timeout := opts.StoreTimeout
	if timeout <= 0 {
		timeout = DefaultStoreTimeout
	}
	return &Learner{
		st: opts.Store, settle: opts.Settle, rowWait: rowWait, timeout: timeout, now: now, owners: newOwners(opts.owners),
		det: newDetector(w, retry, cont, opts.recent), w: newWriter(opts.Store, log, opts.Registerer),
		onFeedback: opts.OnFeedback,
	}
}

// Observe learns from a finished request: it remembers who owns it and
// queues the feedback rows of the signals it shows, without blocking.
func (l *Learner) Observe(o *Observation) {
	if o.RequestID == "" {
		return
	}
	l.owners.add(o.RequestID, o.Tenant)
	if rows := l.det.observe(o, l.now().UTC()); len(rows) > 0 {
		l.w.add(rows)
		if l.onFeedback != nil {
			l.onFeedback(rows)
		}
	}
}

// Rate stores r, a rating by a caller of tenant, before it returns: a nil
// error means the rating is in the store. A later rating of the same
// request replaces it. It returns ErrUnknownRequest when tenant does not
// own r.RequestID, or the store's error.
func (l *Learner) Rate(ctx context.Context, tenant string, r Rating) error {
	if err := l.owns(ctx, tenant, r.RequestID); err != nil {
		return err
	}
	rows := []*store.Feedback{r.row(tenant, l.now())}
	wctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	if err := l.st.WriteFeedback(wctx, rows); err != nil {
		return err
	}
	if l.onFeedback != nil {
		l.onFeedback(rows)
	}
	return nil
}

// owns returns nil when tenant owns the request id: the recent requests
// first, then the request log, then, once the router has settled the id
// (it may still be finishing), the recent requests again; then, for an
// id of the router's shape, the request log until its row would have
// arrived from another replica.
func (l *Learner) owns(ctx context.Context, tenant, id string) error {
	if t, ok := l.owners.owner(id); ok {
		return owned(t == tenant)
	}
	if found, err := l.logged(ctx, tenant, id); found || err != nil {
		return err
	}
	if l.settle != nil {
		if err := l.settle(ctx, id); err != nil {
			return err
		}
		if t, ok := l.owners.owner(id); ok {
			return owned(t == tenant)
		}
	}
	if l.rowWait < 0 || !issued(id) {
		return ErrUnknownRequest
	}
	deadline := time.NewTimer(l.rowWait)
	defer deadline.Stop()
	tick := time.NewTicker(rowPoll)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if found, err := l.logged(ctx, tenant, id); found || err != nil {
				return err
			}
		case <-deadline.C:
			return ErrUnknownRequest
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// logged reports whether the request log holds request id of tenant.
func (l *Learner) logged(ctx context.Context, tenant, id string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	_, err := l.st.Get(ctx, store.TenantScope(tenant), id)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	}
	return false, err
}

// issued reports whether id has the shape of the router's request ids:
// "req_" and 24 lower-case hex digits.
func issued(id string) bool {
	if len(id) != 28 || id[:4] != "req_" {
		return false
	}
	for i := 4; i < len(id); i++ {
		if c := id[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func owned(ok bool) error {
	if ok {
		return nil
	}
	return ErrUnknownRequest
}

// Close writes the implicit feedback still queued, waiting at most until
// ctx ends; then it returns an error saying how many rows were lost. Call
// it after the last Observe.
func (l *Learner) Close(ctx context.Context) error { return l.w.close(ctx) }
