// Package audit records the audit trail (store.AuditLog): configuration
// and key changes as they are made, and what an outsider can cause many
// of (failed logins, refused admin calls) off the request's path, rate
// limited, so that a flood of them neither slows requests nor fills the
// database.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/guard"
	"switchyard/store"
)

// Options tune New. The zero value is usable.
type Options struct {
	// Rate is how many events per second of one action Untrusted records
	// over time; zero means DefaultRate.
	Rate float64
	// Burst is how many it records at once before Rate applies; zero means
	// DefaultBurst.
	Burst int
	// QueueSize bounds the events waiting to be written; zero means
	// DefaultQueueSize. An event that finds it full is dropped and counted.
	QueueSize int
	// Logger receives write failures; nil means slog.Default().
	Logger *slog.Logger
	// Registerer receives the trail's metrics; nil means none.
	Registerer prometheus.Registerer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Tick is how often suppressed events are summed up in the trail; zero
	// means DefaultTick.
	Tick time.Duration
}

// Defaults of Options.
const (
	DefaultRate      = 1.0 // per second and action
	DefaultBurst     = 60
	DefaultQueueSize = 1024
	DefaultTick      = 10 * time.Second
)

// ActionSuppressed is the action of the event that sums up the events of
// one action the rate limit kept out of the trail.
const ActionSuppressed = "audit.suppressed"

// Trail writes audit events to a store.AuditLog. Its methods are safe for
// concurrent use, and on a nil *Trail do nothing.
type Trail struct {
	log     store.AuditLog
	opts    Options
	logger  *slog.Logger
	queue   chan store.AuditEvent
	done    chan struct{}
	closing sync.Once
	stop    chan struct{}

	mu       sync.Mutex
	limiters map[string]*limiter

	dropped, suppressed prometheus.Counter
}

// New returns a Trail writing to log; Close stops it.
func New(log store.AuditLog, opts Options) *Trail {
	if opts.Rate <= 0 {
		opts.Rate = DefaultRate
	}
	if opts.Burst <= 0 {
		opts.Burst = DefaultBurst
	}
	if opts.QueueSize <= 0 {
		opts.QueueSize = DefaultQueueSize
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Tick <= 0 {
		opts.Tick = DefaultTick
	}
	t := &Trail{log: log, opts: opts, logger: opts.Logger, queue: make(chan store.AuditEvent, opts.QueueSize),
		done: make(chan struct{}), stop: make(chan struct{}), limiters: map[string]*limiter{},
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "switchyard_audit_dropped_total",
			Help: "Audit events of failed logins and refused admin calls dropped because the queue to the store was full.",
		}),
		suppressed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "switchyard_audit_suppressed_total",
			Help: "Audit events of failed logins and refused admin calls left out by the rate limit (each action's count is summed up in an audit.suppressed event).",
		}),
	}
	if t.logger == nil {
		t.logger = slog.Default()
	}
	if opts.Registerer != nil {
		opts.Registerer.MustRegister(t.dropped, t.suppressed)
	}
	go t.run()
	return t
}

// Log returns the audit log the trail writes to.
func (t *Trail) Log() store.AuditLog {
	if t == nil {
		return nil
	}
	return t.log
}

// Record writes e at once and returns the store's error: for the changes
// an admin makes, whose caller decides what a failure to record means.
func (t *Trail) Record(ctx context.Context, e store.AuditEvent) error {
	if t == nil {
		return nil
	}
	if e.Time.IsZero() {
		e.Time = t.opts.Now()
	}
	if err := t.log.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// Untrusted records e, an event an outsider can cause (a failed login, a
// refused admin call), its Target masked by guard.Redact, without waiting: it is queued for the writer,
// unless more events of its action came than the rate limit lets through
// (they are counted, and summed up in an ActionSuppressed event once the
// limit allows) or the queue is full (it is dropped and counted).
func (t *Trail) Untrusted(e store.AuditEvent) {
	if t == nil {
		return
	}
	now := t.opts.Now()
	if e.Time.IsZero() {
		e.Time = now
	}
	// The target quotes what the outsider sent (a path), which may hold a
	// key or a token pasted by mistake: it is masked as a log would be.
	e.Target = guard.Redact(e.Target)
	t.mu.Lock()
	l := t.limiters[e.Action]
	if l == nil {
		l = &limiter{tokens: float64(t.opts.Burst), last: now}
		t.limiters[e.Action] = l
	}
	ok := l.take(now, t.opts.Rate, float64(t.opts.Burst))
	if !ok {
		l.suppressed++
	}
	t.mu.Unlock()
	if !ok {
		t.suppressed.Inc()
		return
	}
	t.enqueue(e)
}

func (t *Trail) enqueue(e store.AuditEvent) {
	select {
	case t.queue <- e:
	default:
		t.dropped.Inc()
	}
}

// run writes the queued events, and every Tick sums up the suppressed
// ones, until Close.
func (t *Trail) run() {
	defer close(t.done)
	tick := time.NewTicker(t.opts.Tick)
	defer tick.Stop()
	for {
		select {
		case e := <-t.queue:
			t.write(e)
		case <-tick.C:
			t.summarize(false)
		case <-t.stop:
			for {
				select {
				case e := <-t.queue:
					t.write(e)
				default:
					t.summarize(true)
					return
				}
			}
		}
	}
}

func (t *Trail) write(e store.AuditEvent) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := t.log.AppendAudit(ctx, e); err != nil {
		t.logger.Warn("audit: an event was not recorded", "action", e.Action, "actor", e.Actor, "err", err)
	}
}

// summarize writes, for each action with suppressed events whose limit
// lets one through again (or every one, at the end), an event saying how
// many were left out.
func (t *Trail) summarize(all bool) {
	now := t.opts.Now()
	type sum struct {
		action string
		n      int
	}
	var sums []sum
	t.mu.Lock()
	for action, l := range t.limiters {
		if l.suppressed > 0 && (all || l.take(now, t.opts.Rate, float64(t.opts.Burst))) {
			sums = append(sums, sum{action, l.suppressed})
			l.suppressed = 0
		}
	}
	t.mu.Unlock()
	for _, s := range sums {
		t.write(store.AuditEvent{Time: now, Actor: "switchyard", Action: ActionSuppressed, Target: s.action, Outcome: store.AuditOK,
			Detail: fmt.Sprintf("%d %s events were not recorded one by one (over the rate limit of %g per second, bursts of %d)",
				s.n, s.action, t.opts.Rate, t.opts.Burst)})
	}
}

// Close writes the events queued and the sums of those suppressed, and
// stops the writer, waiting at most until ctx ends.
func (t *Trail) Close(ctx context.Context) error {
	if t == nil {
		return nil
	}
	t.closing.Do(func() { close(t.stop) })
	select {
	case <-t.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("audit: close: %w", ctx.Err())
	}
}

// limiter is a token bucket.
type limiter struct {
	tokens     float64
	last       time.Time
	suppressed int
}

// take refills the bucket for the time since the last call and takes a
// token, reporting whether there was one.
func (l *limiter) take(now time.Time, rate, burst float64) bool {
	if d := now.Sub(l.last); d > 0 {
		l.tokens = min(burst, l.tokens+d.Seconds()*rate)
		l.last = now
	}
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}

// Fingerprint names a presented key that matched none, for the trail: the
// first 8 hex digits of its SHA-256, enough to tell one wrong key from
// another and nothing that helps guess a right one. It never returns the
// key.
func Fingerprint(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:4])
}
