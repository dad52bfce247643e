// Package adaptive is the adaptive scorer's learning side: it turns
// finished requests and their feedback into outcomes of the bandit's arms
// (switchyard/learn/bandit), off the hot path, and publishes immutable
// snapshots of the statistics that the routing policy reads. It saves them
// to the request store and, with a shared state back end (Redis), merges
// them with the other router processes'. See docs/adaptive.md.
package adaptive

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/learn/bandit"
	"switchyard/state"
	"switchyard/store"
)

// Store is what the learner needs of the request store: a request's row,
// to credit a rating of a request it does not remember, and the
// snapshots. store.Store implements it.
type Store interface {
	Get(ctx context.Context, scope store.Scope, id string) (*store.Request, error)
	store.Snapshots
}

// Defaults of Options.
const (
	DefaultPublishEvery = 200 * time.Millisecond
	DefaultSyncEvery    = 2 * time.Second
	DefaultSaveEvery    = time.Minute
	// SnapshotName is the store snapshot's name.
	SnapshotName = "adaptive"
	queueSize    = 8192
	ioTimeout    = 5 * time.Second
	defaultKept  = 65536
	// maxLookups bounds the store look-ups in flight; below the resolved
	// channel's capacity, so a look-up never blocks on its answer.
	maxLookups = 32
)

// Options configure a Learner. Zero fields take defaults.
type Options struct {
	// HalfLife maps each adaptive route to its half-life; outcomes of
	// other routes are ignored. Required.
	HalfLife map[string]time.Duration
	// Store, when set, keeps the snapshots (restored by New, saved every
	// SaveEvery and by Close) and answers for requests not remembered.
	Store Store
	// Shared, when set (state.driver redis), merges the statistics with
	// the other processes' every SyncEvery.
	Shared state.Store
	// PublishEvery bounds how stale the hot path's snapshot is after an
	// outcome; SyncEvery and SaveEvery are the shared state's and the
	// store's periods.
	PublishEvery, SyncEvery, SaveEvery time.Duration
	// MaxArms bounds the arms held (bandit.DefaultMaxArms when zero).
	MaxArms int
	// RefusalWeight is the refusal signal's weight (learn.signals.refusal,
	// −0.5 by default in the config): a refusal passed over for another
	// candidate (Served.Refused) is an outcome of learn.RefusedReward of it for
	// the deployment that refused. Zero turns that off.
	RefusalWeight float64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives the learner's logs; nil means slog.Default().
	// Registerer, when set, gets its metrics.
	Logger     *slog.Logger
	Registerer prometheus.Registerer
	// kept bounds the requests remembered for later feedback (tests
	// shrink it); zero means defaultKept.
	kept int
}

// Learner learns from outcomes. Served and Feedback queue events without
// blocking (dropped and counted when the queue is full); one goroutine
// applies them, so the statistics need no lock; Snapshot is lock-free.
type Learner struct {
	opts     Options
	now      func() time.Time
	log      *slog.Logger
	m        *metrics
	snap     atomic.Pointer[bandit.Snapshot]
	events   chan event
	resolved chan resolved
	done     chan struct{}
	mu       sync.RWMutex // guards closed against sends racing Close
	closed   bool

	// Owned by the run goroutine.
	tab       *bandit.Table
	changes   *bandit.Changes
	reqs      *requests
	shared    *shared
	dirty     bool
	lookups   int          // store look-ups in flight
	flushes   []chan error // Flush calls waiting for the look-ups
	published time.Time
}

// New starts a Learner, restoring the statistics from the shared state
// or, failing that, the store's snapshot (errors are logged: it then
// starts from the priors). Close stops it.
func New(ctx context.Context, opts Options) *Learner {
	if opts.PublishEvery <= 0 {
		opts.PublishEvery = DefaultPublishEvery
	}
	if opts.SyncEvery <= 0 {
		opts.SyncEvery = DefaultSyncEvery
	}
	if opts.SaveEvery <= 0 {
		opts.SaveEvery = DefaultSaveEvery
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.kept <= 0 {
		opts.kept = defaultKept
	}
	l := &Learner{
		opts: opts, now: opts.Now, log: opts.Logger, m: newMetrics(opts.Registerer),
		events: make(chan event, queueSize), resolved: make(chan resolved, 64), done: make(chan struct{}),
		tab: bandit.NewTable(opts.halfLife, opts.MaxArms), changes: bandit.NewChanges(0), reqs: newRequests(opts.kept),
	}
	if opts.Shared != nil {
		l.shared = newShared(opts.Shared, opts.HalfLife)
	}
	l.restore(ctx)
	l.publish()
	go l.run()
	return l
}

func (o *Options) halfLife(route string) time.Duration { return o.HalfLife[route] }

// Snapshot returns the latest published statistics; never nil. Safe for
// concurrent use and lock-free: the routing policy calls it per request.
func (l *Learner) Snapshot() *bandit.Snapshot { return l.snap.Load() }

// event is one input of the run goroutine: exactly one field is set.
type event struct {
	served   *Served
	feedback []*store.Feedback
	flush    chan error
}

// resolved is a store look-up's answer: the request it found, if any,
// and the feedback that asked.
type resolved struct {
	req      *request
	feedback *store.Feedback
}

// enqueue queues e without blocking; it reports false when the queue is
// full or the learner closed.
func (l *Learner) enqueue(e event) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return false
	}
	select {
	case l.events <- e:
		return true
	default:
		l.m.dropped.Inc()
		return false
	}
}

// Flush applies everything queued before it, waits for the store
// look-ups it started, merges with the shared state (when configured)
// and publishes a snapshot. Tests and shutdown use it; it returns the
// shared state's error, or ctx's.
func (l *Learner) Flush(ctx context.Context) error {
	done := make(chan error, 1)
	if err := l.send(ctx, event{flush: done}); err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// send queues e, waiting for room until ctx ends.
func (l *Learner) send(ctx context.Context, e event) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return errClosed
	}
	select {
	case l.events <- e:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var errClosed = errors.New("adaptive: learner closed")

// Close flushes, saves the snapshot to the store and stops the learner.
// Call it after the last Served and Feedback.
func (l *Learner) Close(ctx context.Context) error {
	err := l.Flush(ctx)
	if errors.Is(err, errClosed) {
		return nil
	}
	l.mu.Lock()
	l.closed = true
	close(l.events)
	l.mu.Unlock()
	select {
	case <-l.done:
	case <-ctx.Done():
		return errors.Join(err, ctx.Err())
	}
	return errors.Join(err, l.save(ctx))
}

// run is the learner's goroutine.
func (l *Learner) run() {
	defer close(l.done)
	tick := time.NewTicker(l.opts.PublishEvery)
	defer tick.Stop()
	lastSync, lastSave := l.now(), l.now()
	for {
		select {
		case e, ok := <-l.events:
			if !ok {
				return
			}
			l.handle(e)
		case r := <-l.resolved:
			l.resolve(r)
		case <-tick.C:
			now := l.now()
			if l.shared != nil && now.Sub(lastSync) >= l.opts.SyncEvery {
				lastSync = now
				l.sync()
			}
			if l.opts.Store != nil && now.Sub(lastSave) >= l.opts.SaveEvery {
				lastSave = now
				ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
				if err := l.save(ctx); err != nil {
					l.log.Warn("adaptive: saving the statistics failed", "err", err)
				}
				cancel()
			}
			if l.dirty || now.Sub(l.published) >= 10*l.opts.PublishEvery {
				l.publish()
			}
		}
	}
}

func (l *Learner) handle(e event) {
	switch {
	case e.served != nil:
		l.serve(e.served)
	case e.feedback != nil:
		for _, f := range e.feedback {
			l.feedback(f)
		}
	case e.flush != nil:
		l.flushes = append(l.flushes, e.flush)
		l.finishFlushes()
	}
}

// finishFlushes answers the waiting Flush calls once no look-up is in
// flight.
func (l *Learner) finishFlushes() {
	if len(l.flushes) == 0 || l.lookups > 0 {
		return
	}
	var err error
	if l.shared != nil {
		err = l.sync()
	}
	l.publish()
	for _, c := range l.flushes {
		c <- err
	}
	l.flushes = l.flushes[:0]
}

// publish makes the table's current counts the hot path's snapshot.
func (l *Learner) publish() {
	now := l.now()
	s := l.tab.Snapshot(now)
	l.snap.Store(s)
	l.published, l.dirty = now, false
	l.m.observe(s, l.tab)
}
