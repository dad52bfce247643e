package thinking

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/llm"
)

// This file holds the shared tier: with a Store that several router
// processes share, what one keeps another restores. Writes leave the
// stream that kept them through a bounded queue; look-ups wait a short
// deadline, and whatever goes wrong is a miss.

// Store is where the shared tier lives: the Get and Set of a state.Store
// (state/redis, which every router process reaches). Get returns nil and
// false for an absent or expired key; Set stores a value for ttl. Both
// must be safe for concurrent use.
type Store interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// Defaults of the shared tier: what Open uses for a zero Options field.
const (
	DefaultLookupTimeout = 50 * time.Millisecond
	DefaultMaxEntryBytes = 256 << 10
	DefaultQueueLen      = 1024
	DefaultMissTTL       = 5 * time.Second
)

const (
	writeTimeout = time.Second // one Set of the drainer
	logInterval  = time.Minute // between two logs of an unavailable store
	maxMisses    = 8192        // the negative cache's entries
	maxFetch     = 32          // keys one Restore asks the store for: a turn of many calls asks for its first
)

// sharedEvents names what the switchyard_thinking_shared_total counter
// counts, by its event label.
var sharedEvents = []string{"written", "dropped", "too_large", "write_error", "hit", "miss", "lookup_error", "corrupt"}

// shared is a Memory's second tier. It is safe for concurrent use.
type shared struct {
	store         Store
	lookupTimeout time.Duration
	missTTL       time.Duration
	maxEntry      int
	log           *slog.Logger
	now           func() time.Time

	mu     sync.RWMutex // guards closed against queue's close
	closed bool
	queue  chan write
	done   chan struct{} // closed when the drainer returns
	ctx    context.Context
	cancel context.CancelFunc

	missMu sync.Mutex
	misses map[key]time.Time // ids known to miss, until when

	lastLog atomic.Int64 // unix nanoseconds of the last log of a failure
	events  *prometheus.CounterVec
}

// write is one kept answer on its way to the store.
type write struct {
	scope  string
	calls  []string
	sig    bool
	blocks []llm.Thinking
	until  time.Time
}

func newShared(opts Options, now func() time.Time) *shared {
	s := &shared{store: opts.Shared, lookupTimeout: opts.LookupTimeout, missTTL: opts.MissTTL,
		maxEntry: opts.MaxEntryBytes, log: opts.Logger, now: now,
		queue: make(chan write, opts.QueueLen), done: make(chan struct{}), misses: map[key]time.Time{},
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_thinking_shared_total",
			Help: "The thinking memory's shared tier (state driver redis), by event: entries written, dropped (queue full), too_large, write_error; look-ups that hit, miss, lookup_error (the store did not answer in time), corrupt.",
		}, []string{"event"}),
	}
	for _, e := range sharedEvents {
		s.events.WithLabelValues(e)
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.drain()
	return s
}

func (s *shared) count(event string) { s.events.WithLabelValues(event).Inc() }

// storeKey returns the store's key of k: its kind, then a hash of its
// scope and call id, so that no tenant's name reaches the store.
func storeKey(k key) string {
	b := make([]byte, 0, 32+len(k.scope)+len(k.call))
	b = append(b, "switchyard-thinking\x00"...)
	b = binary.AppendUvarint(b, uint64(len(k.scope)))
	b = append(append(b, k.scope...), k.call...)
	sum := sha256.Sum256(b)
	kind := "thinking:t:"
	if k.sig {
		kind = "thinking:s:"
	}
	return kind + hex.EncodeToString(sum[:16])
}

// keep queues w for the store, or counts it dropped when the queue is
// full or closed: it never blocks.
func (s *shared) keep(w write, size int) {
	if size > s.maxEntry {
		s.count("too_large")
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		s.count("dropped")
		return
	}
	select {
	case s.queue <- w:
	default:
		s.count("dropped")
	}
}

// drain writes the queued entries until the queue is closed; once ctx is
// cancelled (Close out of time) it drops the rest.
func (s *shared) drain() {
	defer close(s.done)
	for w := range s.queue {
		ttl := w.until.Sub(s.now())
		if s.ctx.Err() != nil || ttl < time.Millisecond {
			s.count("dropped")
			continue
		}
		data := encodeEntry(nil, w.blocks, w.until)
		for _, call := range w.calls {
			ctx, cancel := context.WithTimeout(s.ctx, writeTimeout)
			err := s.store.Set(ctx, storeKey(key{w.scope, call, w.sig}), data, ttl)
			cancel()
			if err != nil {
				s.count("write_error")
				s.failed("set", err)
				continue
			}
			s.count("written")
		}
	}
}

// close stops taking entries and waits until the queued ones are written
// or ctx is done (then the rest is dropped).
func (s *shared) close(ctx context.Context) error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.queue)
	}
	s.mu.Unlock()
	defer s.cancel()
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		s.cancel()
		<-s.done
		return ctx.Err()
	}
}

// failed logs err, at most once per logInterval.
func (s *shared) failed(op string, err error) {
	now, last := time.Now().UnixNano(), s.lastLog.Load()
	if now-last < int64(logInterval) || !s.lastLog.CompareAndSwap(last, now) {
		return
	}
	s.log.Warn("thinking memory: the shared store failed; treated as a miss (logged once a minute)", "op", op, "err", err)
}

// unknown returns want without the keys known to miss, in place.
func (s *shared) unknown(want []key) []key {
	now := s.now()
	s.missMu.Lock()
	defer s.missMu.Unlock()
	out := want[:0]
	for _, k := range want {
		if until, ok := s.misses[k]; ok && now.Before(until) {
			continue
		}
		out = append(out, k)
	}
	return out
}

// miss remembers that k missed, for missTTL.
func (s *shared) miss(k key) {
	now := s.now()
	s.missMu.Lock()
	defer s.missMu.Unlock()
	if len(s.misses) >= maxMisses {
		for m, until := range s.misses {
			if !now.Before(until) {
				delete(s.misses, m)
			}
		}
		if len(s.misses) >= maxMisses {
			clear(s.misses)
		}
	}
	s.misses[k] = now.Add(s.missTTL)
}

// lookup is one Get's answer.
type lookup struct {
	i     int
	value []byte
	found bool
	err   error
}

// fetch asks the store for want, all at once, and hands each live entry
// found to found. It returns by the lookup timeout (or ctx's end),
// whatever the store does: a Get still out then is a miss.
func (s *shared) fetch(ctx context.Context, want []key, found func(key, []llm.Thinking, time.Time)) {
	keys := slices.Clone(want)
	lctx, cancel := context.WithTimeout(ctx, s.lookupTimeout)
	defer cancel()
	answers := make(chan lookup, len(keys)) // buffered: a late Get never blocks
	for i, k := range keys {
		go func() {
			v, ok, err := s.store.Get(lctx, storeKey(k))
			answers <- lookup{i, v, ok, err}
		}()
	}
	answered := make([]bool, len(keys))
	for range keys {
		select {
		case a := <-answers:
			answered[a.i] = true
			s.take(keys[a.i], a, found)
		case <-lctx.Done():
			if ctx.Err() != nil { // the request ended: nothing learnt
				return
			}
			s.failed("get", lctx.Err())
			for i, k := range keys {
				if !answered[i] {
					s.count("lookup_error")
					s.miss(k)
				}
			}
			return
		}
	}
}

// take hands a found, live, well-formed entry to found; anything else is
// a miss remembered.
func (s *shared) take(k key, a lookup, found func(key, []llm.Thinking, time.Time)) {
	switch {
	case a.err != nil:
		s.count("lookup_error")
		s.failed("get", a.err)
	case !a.found:
		s.count("miss")
	default:
		blocks, until, err := decodeEntry(a.value)
		switch {
		case err != nil:
			s.count("corrupt")
			s.failed("decode", err)
		case !s.now().Before(until):
			s.count("miss")
		default:
			s.count("hit")
			found(k, blocks, until)
			return
		}
	}
	s.miss(k)
}
