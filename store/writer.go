package store

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Defaults of WriterConfig's zero fields.
const (
	DefaultQueueSize     = 10000
	DefaultBatchSize     = 500
	DefaultFlushInterval = time.Second
	DefaultBackoff       = 100 * time.Millisecond
	DefaultBackoffMax    = 30 * time.Second
	DefaultWriteTimeout  = 10 * time.Second
	DefaultLogInterval   = 30 * time.Second
	DefaultRetentionRun  = time.Hour
)

// WriterConfig tunes a Writer. Zero fields take the Default* values.
type WriterConfig struct {
	// QueueSize and BufferSize together bound the rows Add took that are
	// not written yet, wherever they wait: queued for the writer's
	// goroutine, in the batch being written, or held while the database
	// fails. Past QueueSize + BufferSize, Add drops rows and counts them;
	// never before, however fast they come or however long a write hangs.
	QueueSize int
	// BatchSize is the most rows one Store.Write gets. Queued rows are
	// written as soon as a full batch is queued, the others at the next
	// FlushInterval tick (so a row waits at most about FlushInterval).
	// Each write has a fixed cost (a transaction: about 1 ms of CPU in a
	// busy router, as much as 40 SQLite rows), hence the default of a
	// second.
	BatchSize     int
	FlushInterval time.Duration
	// BufferSize is the room for rows held while the database fails, on
	// top of QueueSize (zero means 4 × QueueSize).
	BufferSize int
	// Backoff is the first wait before retrying a failed write, doubling
	// up to BackoffMax. WriteTimeout bounds one Store.Write.
	Backoff, BackoffMax, WriteTimeout time.Duration
	// LogInterval is the least time between two logs of drops or write
	// failures.
	LogInterval time.Duration
	// Retention, when positive, deletes rows older than it every
	// RetentionRun, starting at once; zero keeps rows forever.
	Retention, RetentionRun time.Duration
	// Logger receives the writer's logs; nil means slog.Default().
	Logger *slog.Logger
	// Registerer, when non-nil, gets the writer's metrics:
	// switchyard_store_written_total, switchyard_store_dropped_total,
	// switchyard_store_write_errors_total, switchyard_store_deleted_total,
	// switchyard_store_write_duration_seconds, switchyard_store_batch_rows,
	// switchyard_store_queue_length and switchyard_store_buffered_rows.
	Registerer prometheus.Registerer
	// Now is the clock retention and the write duration metric use; nil
	// means time.Now.
	Now func() time.Time
}

func (c *WriterConfig) applyDefaults() {
	def := func(p *time.Duration, v time.Duration) {
		if *p <= 0 {
			*p = v
		}
	}
	if c.QueueSize <= 0 {
		c.QueueSize = DefaultQueueSize
	}
	if c.BatchSize <= 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.BufferSize <= 0 {
		c.BufferSize = 4 * c.QueueSize
	}
	c.BufferSize = max(c.BufferSize, c.BatchSize)
	def(&c.FlushInterval, DefaultFlushInterval)
	def(&c.Backoff, DefaultBackoff)
	def(&c.BackoffMax, DefaultBackoffMax)
	def(&c.WriteTimeout, DefaultWriteTimeout)
	def(&c.LogInterval, DefaultLogInterval)
	def(&c.RetentionRun, DefaultRetentionRun)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Writer writes rows to a Store asynchronously, in batches, off the
// request path: Add never blocks. While the database fails, rows are held
// and the write is retried with backoff; rows past the bound
// (WriterConfig.QueueSize + BufferSize rows unwritten) are dropped and
// counted. Close flushes. A Writer is safe for concurrent use.
type Writer struct {
	s   Store
	cfg WriterConfig
	// in is the queue, with room for every row Add may take (limit): Add
	// counts a row in unwritten before it sends it, and the run goroutine
	// uncounts it only once written, so the queue never holds more than
	// limit rows and a send never blocks. Add's bound is unwritten, not
	// the queue's length: a burst of rows handed over faster than the run
	// goroutine takes them, or while a write hangs, is kept up to limit.
	in        chan *Request
	unwritten atomic.Int64
	limit     int64
	m         *writerMetrics
	// kick wakes the run goroutine when the queue holds kickAt rows (a
	// full batch, or a full queue if that is smaller). Otherwise it takes
	// the queued rows on FlushInterval's tick: it wakes once per batch,
	// not once per row (a goroutine wake-up per request cost the router
	// more CPU than the SQLite insert of its row).
	kick   chan struct{}
	kickAt int
	// held mirrors len(pending) for Add: rows already taken count towards
	// the next batch, or a batch split across a take would wait for the
	// tick.
	held atomic.Int64

	mu     sync.RWMutex // guards closed against Adds racing Close
	closed bool

	closing chan context.Context
	done    chan error
	// runCtx bounds the background writes; Close cancels it when its own
	// context ends, so a hung database cannot hold Close past its deadline.
	runCtx    context.Context
	cancelRun context.CancelFunc
	stopRet   chan struct{}
	retDone   chan struct{}

	// Owned by the run goroutine.
	pending   []*Request
	backoff   time.Duration
	failing   bool
	lastFail  time.Time // last log of a write failure
	lastDrop  time.Time // last log of drops
	loggedDrp int64
}

// NewWriter starts a writer to s. Call Close to stop it; s is not closed.
func NewWriter(s Store, cfg WriterConfig) *Writer {
	cfg.applyDefaults()
	w := &Writer{
		s: s, cfg: cfg, in: make(chan *Request, cfg.QueueSize+cfg.BufferSize), kick: make(chan struct{}, 1),
		limit: int64(cfg.QueueSize + cfg.BufferSize), kickAt: min(cfg.BatchSize, cfg.QueueSize),
		closing: make(chan context.Context), done: make(chan error, 1),
		stopRet: make(chan struct{}), retDone: make(chan struct{}),
	}
	w.m = newWriterMetrics(cfg.Registerer, func() float64 { return float64(len(w.in)) })
	w.runCtx, w.cancelRun = context.WithCancel(context.Background())
	go w.run()
	if cfg.Retention > 0 {
		go w.retain()
	} else {
		close(w.retDone)
	}
	return w
}

// Add queues r and reports whether it was taken; it never blocks. A row
// is refused (and counted as dropped) when QueueSize + BufferSize rows
// taken are still unwritten, or the writer is closed. The writer owns r
// after Add.
func (w *Writer) Add(r *Request) bool {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if !w.closed {
		if w.unwritten.Add(1) <= w.limit {
			w.in <- r // never blocks: in has room for limit rows
			if len(w.in)+int(w.held.Load()) >= w.kickAt {
				select {
				case w.kick <- struct{}{}:
				default: // a kick is already pending
				}
			}
			return true
		}
		w.unwritten.Add(-1)
	}
	w.m.dropped.Inc()
	w.m.droppedN.Add(1)
	return false
}

// Dropped returns how many rows were dropped so far.
func (w *Writer) Dropped() int64 { return w.m.droppedN.Load() }

// Written returns how many rows were written so far.
func (w *Writer) Written() int64 { return w.m.writtenN.Load() }

// Close stops taking rows, writes every row queued or buffered, retrying
// failed writes until ctx ends, and stops the retention loop. It returns
// an error, saying how many rows were lost, when ctx ends first; a write
// in progress is canceled then. Later calls return ErrClosed.
func (w *Writer) Close(ctx context.Context) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return ErrClosed
	}
	w.closed = true
	w.mu.Unlock()
	close(w.stopRet)
	stop := context.AfterFunc(ctx, w.cancelRun)
	defer stop()
	w.closing <- ctx
	err := <-w.done
	w.cancelRun()
	<-w.retDone
	return err
}

func (w *Writer) run() {
	tick := time.NewTicker(w.cfg.FlushInterval)
	defer tick.Stop()
	retry := time.NewTimer(0)
	retry.Stop()
	defer retry.Stop()
	var retryC <-chan time.Time
	for {
		w.m.buffered.Set(float64(len(w.pending)))
		fullOnly := false
		select {
		case <-w.kick:
			w.take()
			if retryC != nil || len(w.pending) < w.cfg.BatchSize {
				continue
			}
			fullOnly = true // the rest waits for the tick
		case <-tick.C:
			w.logDrops(false)
			w.take()
			if retryC != nil {
				continue
			}
		case <-retryC:
			retryC = nil
			w.take()
		case ctx := <-w.closing:
			w.done <- w.drain(ctx)
			return
		}
		w.m.buffered.Set(float64(len(w.pending)))
		if !w.flush(w.runCtx, fullOnly) {
			retry.Reset(w.backoff)
			retryC = retry.C
		}
		w.held.Store(int64(len(w.pending)))
		if retryC == nil && len(w.pending)+len(w.in) >= w.kickAt {
			select { // rows Add queued while this batch was written
			case w.kick <- struct{}{}:
			default:
			}
		}
	}
}

// take moves the queued rows into pending (Add bounds both together).
func (w *Writer) take() {
	for {
		select {
		case r := <-w.in:
			w.pending = append(w.pending, r)
			w.held.Store(int64(len(w.pending)))
		default:
			return
		}
	}
}

// flush writes the pending rows in batches (only full ones if fullOnly)
// and reports whether all it meant to write were written; after a
// failure, the rest stay pending and w.backoff is the wait before the
// next try.
func (w *Writer) flush(parent context.Context, fullOnly bool) bool {
	least := 1
	if fullOnly {
		least = w.cfg.BatchSize
	}
	for len(w.pending) >= least {
		n := min(len(w.pending), w.cfg.BatchSize)
		ctx, cancel := context.WithTimeout(parent, w.cfg.WriteTimeout)
		start := w.cfg.Now()
		err := w.s.Write(ctx, w.pending[:n])
		w.m.writeDuration.Observe(w.cfg.Now().Sub(start).Seconds())
		w.m.batchRows.Observe(float64(n))
		cancel()
		if err != nil {
			w.failed(err)
			return false
		}
		clear(w.pending[:n])
		w.pending = w.pending[n:]
		w.unwritten.Add(-int64(n))
		w.m.written.Add(float64(n))
		w.m.writtenN.Add(int64(n))
	}
	if w.failing {
		w.failing = false
		w.cfg.Logger.Info("store: writing resumed")
	}
	w.backoff = 0
	return true
}

func (w *Writer) failed(err error) {
	w.m.writeErrors.Inc()
	now := time.Now()
	if !w.failing || now.Sub(w.lastFail) >= w.cfg.LogInterval {
		w.lastFail = now
		w.cfg.Logger.Warn("store: write failed; rows are buffered and the write retried",
			"err", err, "buffered", len(w.pending), "buffer_size", w.cfg.BufferSize)
	}
	w.failing = true
	if w.backoff == 0 {
		w.backoff = w.cfg.Backoff
	} else {
		w.backoff = min(2*w.backoff, w.cfg.BackoffMax)
	}
}

// logDrops logs the rows dropped since the last log, at most once per
// LogInterval unless forced.
func (w *Writer) logDrops(force bool) {
	d := w.m.droppedN.Load()
	now := time.Now()
	if d == w.loggedDrp || !force && now.Sub(w.lastDrop) < w.cfg.LogInterval {
		return
	}
	w.cfg.Logger.Warn("store: rows dropped: the queue or the outage buffer is full",
		"dropped", d-w.loggedDrp, "dropped_total", d)
	w.loggedDrp, w.lastDrop = d, now
}

// drain takes every queued row and writes everything, retrying until ctx
// ends.
func (w *Writer) drain(ctx context.Context) error {
	for len(w.in) > 0 { // no Add sends any more: it saw closed
		w.pending = append(w.pending, <-w.in)
	}
	for !w.flush(ctx, false) {
		t := time.NewTimer(w.backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			w.logDrops(true) // the rows the bound dropped before, if any
			lost := len(w.pending)
			w.m.dropped.Add(float64(lost))
			w.loggedDrp = w.m.droppedN.Add(int64(lost))
			w.cfg.Logger.Warn("store: shutdown: rows not written by its deadline are dropped",
				"dropped", lost, "dropped_total", w.loggedDrp, "err", ctx.Err())
			return fmt.Errorf("store: close: %d rows not written: %w", lost, ctx.Err())
		}
	}
	w.logDrops(true)
	return nil
}

// retain deletes old rows now and every RetentionRun until Close.
func (w *Writer) retain() {
	defer close(w.retDone)
	t := time.NewTicker(w.cfg.RetentionRun)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), w.cfg.WriteTimeout)
		n, err := w.s.DeleteBefore(ctx, w.cfg.Now().Add(-w.cfg.Retention))
		cancel()
		if err != nil {
			w.cfg.Logger.Warn("store: retention delete failed", "err", err)
		} else if n > 0 {
			w.m.deleted.Add(float64(n))
			w.cfg.Logger.Info("store: retention deleted old rows", "deleted", n, "retention", w.cfg.Retention)
		}
		w.purgeResponses()
		select {
		case <-t.C:
		case <-w.stopRet:
			return
		}
	}
}
