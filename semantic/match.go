package semantic

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Outcome is what a Match gave.
type Outcome string

// The outcomes.
const (
	Matched Outcome = "matched"  // a category reached the threshold
	NoMatch Outcome = "no_match" // none did
	Skipped Outcome = "skipped"  // nothing was compared; Reason says why
)

// The reasons a match is skipped.
const (
	ReasonNotReady = "not_ready" // the examples are not embedded yet
	ReasonTimeout  = "timeout"   // the request's embedding took longer than the timeout
	ReasonError    = "error"     // embedding the request failed
	ReasonNoText   = "no_text"   // there is no text to embed
)

// Result is the outcome of matching one text.
type Result struct {
	Outcome Outcome
	// Category is the matched category, or for NoMatch the nearest one.
	Category string
	// Score is Category's similarity; Threshold the matcher's.
	Score, Threshold float64
	// Reason says why the match was skipped; Err is the failure behind it
	// (the examples' last failed attempt, for ReasonNotReady), if any.
	Reason string
	Err    error
	// Cached reports that the text's embedding came from the cache.
	Cached bool
}

// ErrTimeout is the Err of a match skipped because the request's
// embedding did not arrive within the timeout.
var ErrTimeout = errors.New("semantic: the embedding did not arrive in time")

// Match compares text (see Text) with the categories' examples. It waits
// for an embedding call at most the matcher's timeout, or until ctx ends;
// it never fails, but returns a Skipped result.
func (m *Matcher) Match(ctx context.Context, text string) Result { return m.MatchFor(ctx, "", text) }

// MatchFor is Match for a request of tenant: the cache keeps each
// tenant's embeddings apart, so Result.Cached never reveals that another
// tenant sent the same text.
func (m *Matcher) MatchFor(ctx context.Context, tenant, text string) Result {
	res := Result{Threshold: m.opts.Threshold}
	text = clip(text)
	if text == "" {
		res.Outcome, res.Reason = Skipped, ReasonNoText
		return res
	}
	ix := m.index.Load()
	if ix == nil {
		m.warm(false)
		m.mu.Lock()
		res.Outcome, res.Reason, res.Err = Skipped, ReasonNotReady, m.lastErr
		m.mu.Unlock()
		return res
	}
	vec, cached, err := m.vector(ctx, tenant, text)
	switch {
	case err == nil && len(vec) != ix.dims:
		err = fmt.Errorf("semantic: the request's vector has %d dimensions, the examples' %d", len(vec), ix.dims)
	case err == ErrTimeout || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		res.Outcome, res.Reason, res.Err = Skipped, ReasonTimeout, err
		return res
	}
	if err != nil {
		res.Outcome, res.Reason, res.Err = Skipped, ReasonError, err
		return res
	}
	res.Cached = cached
	res.Category, res.Score = ix.best(vec, m.opts.Categories)
	res.Outcome = NoMatch
	if res.Score >= m.opts.Threshold {
		res.Outcome = Matched
	}
	return res
}

// best returns the category with the most similar example, and that
// similarity; ties go to the earlier category (by name).
func (ix *index) best(vec []float32, cats []Category) (string, float64) {
	scores := make([]float64, len(cats))
	for i := range scores {
		scores[i] = -2
	}
	for i, ex := range ix.vecs {
		if s := dot(vec, ex); s > scores[ix.cat[i]] {
			scores[ix.cat[i]] = s
		}
	}
	bi := 0
	for i, s := range scores {
		if s > scores[bi] {
			bi = i
		}
	}
	return cats[bi].Name, scores[bi]
}

// vector returns text's unit embedding from the cache, or from a call it
// starts (or joins) and waits for at most the timeout. The call outlives
// the wait, bounded by FillTimeout, and caches its result.
func (m *Matcher) vector(ctx context.Context, tenant, text string) ([]float32, bool, error) {
	c := m.opts.Cache
	k := c.key(m.opts.Deployment, tenant, text)
	vec, f, leader := c.lookup(k)
	if f == nil {
		return vec, true, nil
	}
	if leader {
		m.mu.Lock()
		ok := m.goBackground(func() { m.fill(k, f, text) })
		m.mu.Unlock()
		if !ok {
			c.finish(k, f, nil, errClosed)
		}
	}
	t := time.NewTimer(m.opts.Timeout)
	defer t.Stop()
	select {
	case <-f.done:
		return f.vec, false, f.err
	case <-t.C:
		return nil, false, ErrTimeout
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// fill makes the embedding call for text and settles the flight.
func (m *Matcher) fill(k key, f *flight, text string) {
	ctx, cancel := context.WithTimeout(m.ctx, FillTimeout)
	defer cancel()
	vecs, err := m.opts.Embed(ctx, []string{text})
	var vec []float32
	switch {
	case err != nil:
	case len(vecs) != 1:
		err = fmt.Errorf("semantic: %d vectors for one text", len(vecs))
	default:
		vec, err = normalize(vecs[0])
	}
	m.opts.Cache.finish(k, f, vec, err)
}
