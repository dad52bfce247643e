package record

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Flusher is a Sink that holds what it writes (a buffer of log lines):
// the recorder calls Flush on its goroutine after each batch of records
// it hands the sinks, before Sync returns and before Close does.
type Flusher interface {
	Flush()
}

// DefaultInterval is how often a Recorder takes the queued records unless
// RecorderOptions.Interval says otherwise.
const DefaultInterval = 100 * time.Millisecond

// RecorderOptions tune a Recorder. Zero fields take the defaults.
type RecorderOptions struct {
	// Queue bounds the records waiting for the sinks; past it, Add drops
	// them. Zero means 8192.
	Queue int
	// Interval is how often the recorder's goroutine wakes to take the
	// queued records; it wakes at once when an eighth of Queue waits.
	// Zero means DefaultInterval.
	Interval time.Duration
}

// Recorder queues records for its sinks. It is safe for concurrent use.
//
// Its goroutine takes the queued records in batches, every
// RecorderOptions.Interval, not one at a time: waking a parked goroutine
// for each request cost the router more CPU than most sinks' work on the
// record. A record therefore reaches the sinks up to Interval after Add.
type Recorder struct {
	ch       chan *Record
	sinks    []Sink
	flushers []Flusher
	// kick wakes the goroutine before its tick: an eighth of the queue
	// waits (kickAt), or Sync or Close wants the queue consumed now.
	kick     chan struct{}
	kickAt   int
	interval time.Duration
	dropped  atomic.Int64
	done     chan struct{}
	once     sync.Once
	mu       sync.RWMutex // guards closed against sends racing Close
	closed   bool
}

// NewRecorder starts a recorder with a queue of size n (0 means 8192) and
// the default interval.
func NewRecorder(n int, sinks ...Sink) *Recorder {
	return NewRecorderWith(RecorderOptions{Queue: n}, sinks...)
}

// NewRecorderWith starts a recorder handing records to sinks, in order.
func NewRecorderWith(opts RecorderOptions, sinks ...Sink) *Recorder {
	if opts.Queue <= 0 {
		opts.Queue = 8192
	}
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	r := &Recorder{
		ch: make(chan *Record, opts.Queue), sinks: sinks, kick: make(chan struct{}, 1),
		kickAt: max(opts.Queue/8, 1), interval: opts.Interval, done: make(chan struct{}),
	}
	for _, s := range sinks {
		if f, ok := s.(Flusher); ok {
			r.flushers = append(r.flushers, f)
		}
	}
	go r.run()
	return r
}

func (r *Recorder) run() {
	defer close(r.done)
	tick := time.NewTicker(r.interval)
	defer tick.Stop()
	for open := true; open; {
		select {
		case <-tick.C:
		case <-r.kick:
		}
		open = r.take()
		r.flush()
	}
}

// take hands the sinks the records queued when it starts (and any that
// came meanwhile, up to that many) and reports whether the queue is
// still open.
func (r *Recorder) take() bool {
	for n := len(r.ch) + 1; n > 0; n-- {
		select {
		case rec, ok := <-r.ch:
			if !ok {
				return false
			}
			r.consume(rec)
		default:
			return true
		}
	}
	return true
}

func (r *Recorder) consume(rec *Record) {
	if rec.synced != nil {
		r.flush()
		close(rec.synced)
		return
	}
	for _, s := range r.sinks {
		s.Consume(rec)
	}
}

func (r *Recorder) flush() {
	for _, f := range r.flushers {
		f.Flush()
	}
}

// wake has the goroutine take the queue now rather than at its next tick.
func (r *Recorder) wake() {
	select {
	case r.kick <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// Add queues rec without blocking; it reports false (and counts a drop)
// when the queue is full or the recorder is closed.
func (r *Recorder) Add(rec *Record) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		r.dropped.Add(1)
		return false
	}
	select {
	case r.ch <- rec:
		if len(r.ch) >= r.kickAt {
			r.wake()
		}
		return true
	default:
		r.dropped.Add(1)
		return false
	}
}

// Sync waits until every record queued before it was called has been
// consumed by every sink (and the Flushers among them flushed), or ctx
// ends (it returns ctx.Err() then). On a closed recorder it waits for the
// queue to be consumed.
func (r *Recorder) Sync(ctx context.Context) error {
	marker := &Record{synced: make(chan struct{})}
	r.mu.RLock()
	if r.closed {
		r.mu.RUnlock()
		select {
		case <-r.done:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	select {
	case r.ch <- marker: // waits while the queue is full: the marker is never dropped
	case <-ctx.Done():
		r.mu.RUnlock()
		return ctx.Err()
	}
	r.wake()
	r.mu.RUnlock()
	select {
	case <-marker.synced:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Dropped returns how many records were dropped.
func (r *Recorder) Dropped() int64 { return r.dropped.Load() }

// Close stops accepting records and waits until the queued ones are
// consumed or ctx ends, returning ctx.Err() in that case (the queue is still
// consumed in the background). It is safe to call more than once and
// concurrently; a call made once the queue is consumed returns nil whatever
// the state of ctx.
func (r *Recorder) Close(ctx context.Context) error {
	r.once.Do(func() {
		r.mu.Lock()
		r.closed = true
		close(r.ch)
		r.mu.Unlock()
		r.wake()
	})
	select {
	case <-r.done:
		return nil
	default:
	}
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
