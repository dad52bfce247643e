// Package semantic matches a request to a route's semantic categories —
// categories defined by example utterances — by embedding similarity.
//
// A Matcher embeds its examples once, in the background (Start); until
// that has succeeded every Match is skipped, so the router starts and
// serves even when the embeddings provider is down. A request's text is
// embedded on a cache miss, with a per-request timeout: past it the
// request is not kept waiting (the caller falls back to its classifier)
// but the call goes on, bounded, and fills the cache for the next
// request with that text. Concurrent requests with the same text share
// one call. A cached text needs no I/O.
//
// The match rule is nearest example: a category's score is the highest
// cosine similarity between the request and any of its examples, and the
// best-scoring category matches if its score reaches the threshold (ties
// go to the category whose name sorts first). Nearest example, rather
// than the centroid of each category's examples, keeps a category that
// groups differently phrased requests ("I was charged twice", "refund
// please") from being diluted into a vector close to neither.
package semantic

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults and bounds.
const (
	// DefaultThreshold is the cosine similarity needed to match.
	DefaultThreshold = 0.75
	// DefaultTimeout is how long a request waits for its embedding.
	DefaultTimeout = 150 * time.Millisecond
	// FillTimeout bounds one embedding call for a request's text,
	// including the time it goes on after the request stopped waiting.
	FillTimeout = 10 * time.Second
	// WarmTimeout bounds one attempt at embedding the examples.
	WarmTimeout = 30 * time.Second
	// BatchSize is the most texts sent in one embeddings call (Gemini
	// accepts 100 per batch, OpenAI 2,048).
	BatchSize = 96
	// minBackoff and maxBackoff bound the wait between failed attempts
	// at embedding the examples.
	minBackoff = time.Second
	maxBackoff = time.Minute
)

// EmbedFunc embeds texts with one deployment and returns one vector per
// text, in order. It is called from background goroutines.
type EmbedFunc func(ctx context.Context, texts []string) ([][]float32, error)

// Category is one semantic category and its example utterances.
type Category struct {
	Name     string
	Examples []string
}

// Options configure a Matcher. Embed and at least one Category with an
// example are required.
type Options struct {
	// Deployment names the embeddings deployment; with the text, it keys
	// the cache.
	Deployment string
	// Threshold is the cosine similarity needed to match; zero means
	// DefaultThreshold.
	Threshold float64
	// Timeout bounds a request's wait for its embedding; zero means
	// DefaultTimeout.
	Timeout    time.Duration
	Categories []Category
	Embed      EmbedFunc
	// Cache holds request embeddings; nil means a cache of its own of
	// DefaultCacheSize.
	Cache *Cache
	// Now is the clock for retry back-off; nil means time.Now.
	Now func() time.Time
}

// Matcher matches request texts against one route's semantic categories.
// It is safe for concurrent use.
type Matcher struct {
	opts    Options
	ctx     context.Context // ends on Close; parent of background calls
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	index   atomic.Pointer[index] // nil until the examples are embedded
	mu      sync.Mutex            // guards the fields below
	closed  bool
	warming *attempt // the attempt in progress, if any
	next    time.Time
	backoff time.Duration
	lastErr error
}

// attempt is one try at embedding the examples.
type attempt struct {
	done chan struct{}
	err  error
}

// index holds the examples' unit vectors.
type index struct {
	vecs [][]float32
	cat  []int // category (index into names) of each vector
	dims int
}

// New returns a Matcher; it does no I/O until Start or Match.
func New(opts Options) *Matcher {
	if opts.Threshold == 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Cache == nil {
		opts.Cache = NewCache(0)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Categories = slices.Clone(opts.Categories)
	slices.SortFunc(opts.Categories, func(a, b Category) int { return strings.Compare(a.Name, b.Name) })
	m := &Matcher{opts: opts}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	return m
}

// Threshold returns the similarity needed to match.
func (m *Matcher) Threshold() float64 { return m.opts.Threshold }

// Deployment is the name of the embeddings deployment m embeds with.
func (m *Matcher) Deployment() string { return m.opts.Deployment }

// Start begins embedding the examples in the background and returns at
// once.
func (m *Matcher) Start() { m.warm(false) }

// Ready reports whether the examples are embedded.
func (m *Matcher) Ready() bool { return m.index.Load() != nil }

// WaitReady waits until the examples are embedded, starting an attempt
// now if none is in progress. It returns nil when ready, the attempt's
// error if it failed, or ctx's error.
func (m *Matcher) WaitReady(ctx context.Context) error {
	if m.Ready() {
		return nil
	}
	testHookWaitReady()
	a, err := m.warmNow()
	if a == nil {
		return err
	}
	select {
	case <-a.done:
		return a.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops background work and waits for it to end. Matches after
// Close are skipped.
func (m *Matcher) Close() {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait()
}

var errClosed = errors.New("semantic: the matcher is closed")

// testHookWaitReady runs in WaitReady between its readiness check and
// its attempt; tests use it to end an attempt in that window.
var testHookWaitReady = func() {}

// warmNow is warm(true) for a caller that must tell why no attempt is
// returned: nil error when the examples are embedded, errClosed when
// the matcher is closed.
func (m *Matcher) warmNow() (*attempt, error) {
	if a := m.warm(true); a != nil {
		return a, nil
	}
	if m.Ready() {
		return nil, nil
	}
	return nil, errClosed
}

// goBackground runs fn on a goroutine that Close waits for; it reports
// false, without running fn, once the matcher is closed. m.mu is held.
func (m *Matcher) goBackground(fn func()) bool {
	if m.closed {
		return false
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		fn()
	}()
	return true
}

// warm starts an attempt at embedding the examples unless one is in
// progress (which it returns), the matcher is ready or closed, or — when
// not forced — a failed attempt is still backing off. It may return nil.
func (m *Matcher) warm(force bool) *attempt {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.warming != nil || m.Ready() {
		return m.warming
	}
	if !force && m.opts.Now().Before(m.next) {
		return nil
	}
	a := &attempt{done: make(chan struct{})}
	if !m.goBackground(func() { m.runAttempt(a) }) {
		return nil
	}
	m.warming = a
	return a
}

func (m *Matcher) runAttempt(a *attempt) {
	ctx, cancel := context.WithTimeout(m.ctx, WarmTimeout)
	ix, err := m.embedExamples(ctx)
	cancel()
	m.mu.Lock()
	m.warming, a.err = nil, err
	if err != nil {
		m.lastErr = err
		m.backoff = min(max(2*m.backoff, minBackoff), maxBackoff)
		m.next = m.opts.Now().Add(m.backoff)
	} else {
		m.lastErr = nil
		m.index.Store(ix)
	}
	m.mu.Unlock()
	close(a.done)
}

// embedExamples embeds every example, in batches, and normalizes them.
func (m *Matcher) embedExamples(ctx context.Context) (*index, error) {
	ix := &index{}
	var texts []string
	for ci, c := range m.opts.Categories {
		for _, ex := range c.Examples {
			texts = append(texts, clip(strings.TrimSpace(ex)))
			ix.cat = append(ix.cat, ci)
		}
	}
	if len(texts) == 0 {
		return nil, errors.New("semantic: no examples")
	}
	for start := 0; start < len(texts); start += BatchSize {
		batch := texts[start:min(start+BatchSize, len(texts))]
		vecs, err := m.opts.Embed(ctx, batch)
		if err != nil {
			return nil, err
		}
		if len(vecs) != len(batch) {
			return nil, fmt.Errorf("semantic: %d vectors for %d examples", len(vecs), len(batch))
		}
		for _, v := range vecs {
			u, err := normalize(v)
			if err != nil {
				return nil, err
			}
			if ix.dims == 0 {
				ix.dims = len(u)
			} else if len(u) != ix.dims {
				return nil, fmt.Errorf("semantic: example vectors of %d and %d dimensions", ix.dims, len(u))
			}
			ix.vecs = append(ix.vecs, u)
		}
	}
	return ix, nil
}
