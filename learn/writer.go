package learn

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/store"
)

// Settings of the implicit feedback writer.
const (
	writerQueue      = 10000
	writerBatch      = 500
	writerBuffer     = 4 * writerQueue
	writerFlushEvery = 200 * time.Millisecond
	writerBackoff    = 100 * time.Millisecond
	writerBackoffMax = 30 * time.Second
	writerTimeout    = 10 * time.Second
	writerLogEvery   = 30 * time.Second
)

// writer writes the implicit signals' rows asynchronously, in batches:
// add never blocks. While the database fails, rows are held and the write
// retried with backoff; rows past the bound (writerQueue + writerBuffer
// rows taken and not yet written, wherever they wait) are dropped and
// counted. close writes everything held. Safe for concurrent use.
type writer struct {
	st  store.FeedbackLog
	log *slog.Logger
	// in has room for every row add may take: add counts a row in
	// unwritten before it sends it, and the run goroutine uncounts it
	// once written, so a send never blocks and a burst, or rows added
	// while a write hangs, are kept up to the bound, not dropped once a
	// queue alone is full.
	in        chan *store.Feedback
	unwritten atomic.Int64
	m         writerMetrics

	mu     sync.RWMutex // guards closed against adds racing close
	closed bool

	closing chan context.Context
	done    chan error
	// runCtx bounds the background writes; close cancels it when its own
	// context ends, so a hung database cannot hold close past its
	// deadline.
	runCtx    context.Context
	cancelRun context.CancelFunc

	// Owned by the run goroutine.
	pending  []*store.Feedback
	backoff  time.Duration
	failing  bool
	lastFail time.Time
}

type writerMetrics struct {
	written, dropped, errors prometheus.Counter
}

func newWriter(st store.FeedbackLog, log *slog.Logger, reg prometheus.Registerer) *writer {
	c := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	}
	w := &writer{
		st: st, log: log, in: make(chan *store.Feedback, writerQueue+writerBuffer),
		closing: make(chan context.Context), done: make(chan error, 1),
		m: writerMetrics{
			written: c("switchyard_feedback_written_total", "Implicit feedback rows written to the store."),
			dropped: c("switchyard_feedback_dropped_total", "Implicit feedback rows dropped: queue or outage buffer full, or unwritten at shutdown."),
			errors:  c("switchyard_feedback_write_errors_total", "Failed writes of a batch of implicit feedback (retried)."),
		},
	}
	if reg != nil {
		reg.MustRegister(w.m.written, w.m.dropped, w.m.errors)
	}
	w.runCtx, w.cancelRun = context.WithCancel(context.Background())
	go w.run()
	return w
}

// add queues rows without blocking; a row that does not fit is dropped
// and counted.
func (w *writer) add(rows []*store.Feedback) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, f := range rows {
		if w.closed {
			w.m.dropped.Inc()
			continue
		}
		if w.unwritten.Add(1) > writerQueue+writerBuffer {
			w.unwritten.Add(-1)
			w.m.dropped.Inc()
			continue
		}
		w.in <- f // never blocks: in has room for the bound
	}
}

// close stops taking rows and writes every row queued or held, retrying
// until ctx ends; then (a write in progress canceled) it returns an error
// saying how many were lost.
func (w *writer) close(ctx context.Context) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	w.mu.Unlock()
	stop := context.AfterFunc(ctx, w.cancelRun)
	defer stop()
	w.closing <- ctx
	err := <-w.done
	w.cancelRun()
	return err
}

func (w *writer) run() {
	tick := time.NewTicker(writerFlushEvery)
	defer tick.Stop()
	retry := time.NewTimer(0)
	retry.Stop()
	var retryC <-chan time.Time
	for {
		select {
		case f := <-w.in:
			w.pending = append(w.pending, f)
			if retryC != nil || len(w.pending) < writerBatch {
				continue
			}
		case <-tick.C:
			if retryC != nil || len(w.pending) == 0 {
				continue
			}
		case <-retryC:
			retryC = nil
		case ctx := <-w.closing:
			retry.Stop()
			w.done <- w.drain(ctx)
			return
		}
		if !w.flush(w.runCtx) {
			retry.Reset(w.backoff)
			retryC = retry.C
		}
	}
}

// flush writes the pending rows in batches and reports whether all were
// written.
func (w *writer) flush(parent context.Context) bool {
	for len(w.pending) > 0 {
		n := min(len(w.pending), writerBatch)
		ctx, cancel := context.WithTimeout(parent, writerTimeout)
		err := w.st.WriteFeedback(ctx, w.pending[:n])
		cancel()
		if err != nil {
			w.failed(err)
			return false
		}
		clear(w.pending[:n])
		w.pending = w.pending[n:]
		w.unwritten.Add(-int64(n))
		w.m.written.Add(float64(n))
	}
	if w.failing {
		w.failing = false
		w.log.Info("learn: writing feedback resumed")
	}
	w.backoff = 0
	return true
}

func (w *writer) failed(err error) {
	w.m.errors.Inc()
	if now := time.Now(); !w.failing || now.Sub(w.lastFail) >= writerLogEvery {
		w.lastFail = now
		w.log.Warn("learn: writing feedback failed; rows are held and the write retried", "err", err, "held", len(w.pending))
	}
	w.failing = true
	w.backoff = min(max(2*w.backoff, writerBackoff), writerBackoffMax)
}

// drain takes every queued row and writes everything, retrying until ctx
// ends.
func (w *writer) drain(ctx context.Context) error {
	for len(w.in) > 0 {
		w.pending = append(w.pending, <-w.in)
	}
	for !w.flush(ctx) {
		t := time.NewTimer(w.backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			lost := len(w.pending)
			w.m.dropped.Add(float64(lost))
			return fmt.Errorf("learn: close: %d feedback rows not written: %w", lost, ctx.Err())
		}
	}
	return nil
}
