package tenant

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"switchyard/state"
)

// LimiterOptions configure a Limiter. The zero value is usable.
type LimiterOptions struct {
	// LeaseTTL is how long a concurrency slot outlives a process that
	// died holding it; a live request's slot is extended every third of
	// it. Zero means DefaultLeaseTTL.
	LeaseTTL time.Duration
	// Logger receives failures to settle or release; nil means
	// slog.Default().
	Logger *slog.Logger
	// Async settles and releases on goroutines of their own, off the
	// request's path: for a remote back end (Redis). Wait waits for them.
	Async bool
}

// DefaultLeaseTTL is LimiterOptions.LeaseTTL's default.
const DefaultLeaseTTL = time.Minute

// minute is the window of the per-minute limits.
const minute = time.Minute

// Limiter holds requests to their key's and tenant's limits on a state
// back end, which several router processes share (Redis) or one keeps
// (memory). It is safe for concurrent use; Close stops its lease keeper.
type Limiter struct {
	st      state.Backend
	ttl     time.Duration
	log     *slog.Logger
	async   bool
	pending sync.WaitGroup

	mu   sync.Mutex
	live map[*Ticket]struct{} // tickets holding leases, for the keeper
	stop chan struct{}
	done chan struct{}
}

// NewLimiter returns a Limiter on st, and starts the goroutine that
// extends the leases of long requests.
func NewLimiter(st state.Backend, opts LimiterOptions) *Limiter {
	l := &Limiter{st: st, ttl: opts.LeaseTTL, log: opts.Logger, async: opts.Async,
		live: map[*Ticket]struct{}{}, stop: make(chan struct{}), done: make(chan struct{})}
	if l.ttl <= 0 {
		l.ttl = DefaultLeaseTTL
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	go l.keep()
	return l
}

// Close stops the lease keeper and waits for the settlements in flight
// (Wait). Tickets still live keep their leases until their ttl.
func (l *Limiter) Close() {
	select {
	case <-l.stop:
	default:
		close(l.stop)
	}
	<-l.done
	l.Wait()
}

// Wait waits for the settlements started with LimiterOptions.Async.
func (l *Limiter) Wait() { l.pending.Wait() }

// Ticket is what one admitted request holds: its concurrency slots and
// its tokens reserved. Done gives them back; it must be called once per
// ticket (a nil Ticket does nothing).
type Ticket struct {
	l      *Limiter
	g      *Grant
	leases []state.Lease
	// tpm holds the tokens reserved per bucket, in the order of tpmKeys.
	tpm  []tokenHold
	once sync.Once
}

// tokenHold is a reservation against one tokens-per-minute bucket.
type tokenHold struct {
	key    string
	limit  int64
	amount int64
}

// limit is one configured limit of a grant: whose, which, and how much.
type limit struct {
	owner string // "key K" or "tenant T"
	key   string // the state key
	value int64
}

// limits returns g's limits of one kind ("rpm", "tpm", "conc"), the
// key's first.
func (g *Grant) limits(kind string) []limit {
	var out []limit
	pick := func(owner, id string, v int64) {
		if v > 0 {
			out = append(out, limit{owner: owner, key: "limit:" + kind + ":" + id, value: v})
		}
	}
	get := func(rpm, tpm int64, conc int) int64 {
		switch kind {
		case "rpm":
			return rpm
		case "tpm":
			return tpm
		}
		return int64(conc)
	}
	pick("key "+g.Key, "key:"+g.KeyID, get(g.KeyLimits.RPM, g.KeyLimits.TPM, g.KeyLimits.MaxConcurrent))
	if g.Tenant != "" {
		pick("tenant "+g.Tenant, "tenant:"+g.Tenant, get(g.TenantLimits.RPM, g.TenantLimits.TPM, g.TenantLimits.MaxConcurrent))
	}
	return out
}

// Admit counts one request against g's requests per minute and takes a
// slot of its concurrency limits, the key's then the tenant's. It returns
// the request's Ticket, or a 429 *llm.Error (code rate_limit_exceeded)
// naming the limit reached, with Retry-After; or a 503 when the back end
// does not answer and state.on_error is deny. A refusal holds nothing. A
// nil or unlimited Grant is admitted at no cost (a nil Ticket).
func (l *Limiter) Admit(ctx context.Context, g *Grant) (*Ticket, error) {
	if l == nil || !g.HasLimits() {
		return nil, nil
	}
	for _, lim := range g.limits("rpm") {
		ok, wait, err := l.st.Allow(ctx, lim.key, 1, lim.value, minute)
		if err != nil {
			return nil, l.failure(err)
		}
		if !ok {
			return nil, rateLimited(fmt.Sprintf("rpm of %s (%d requests per minute)", lim.owner, lim.value), wait)
		}
	}
	t := &Ticket{l: l, g: g}
	for _, lim := range g.limits("conc") {
		lease, ok, err := l.st.Acquire(ctx, lim.key, int(lim.value), l.ttl)
		if err != nil || !ok {
			t.Done(0)
			if err != nil {
				return nil, l.failure(err)
			}
			// When a slot frees is unknown: ask for a retry in a second.
			return nil, rateLimited(fmt.Sprintf("max_concurrent of %s (%d requests at once)", lim.owner, lim.value), time.Second)
		}
		t.leases = append(t.leases, lease)
	}
	if len(t.leases) > 0 {
		l.mu.Lock()
		l.live[t] = struct{}{}
		l.mu.Unlock()
	}
	return t, nil
}

// ReserveTokens reserves estimate tokens against the ticket's tokens per
// minute, the key's then the tenant's. An estimate above a limit is
// reserved at the limit (a request larger than a minute's tokens passes
// when the bucket is full, and its actual use is settled by Done). On
// refusal it gives back what it reserved and returns a 429 naming the
// limit, with Retry-After. A nil Ticket reserves nothing.
func (t *Ticket) ReserveTokens(ctx context.Context, estimate int64) error {
	if t == nil || estimate <= 0 {
		return nil
	}
	for _, lim := range t.g.limits("tpm") {
		n := min(estimate, lim.value)
		ok, wait, err := t.l.st.Allow(ctx, lim.key, n, lim.value, minute)
		if err != nil {
			t.releaseTokens(ctx)
			return t.l.failure(err)
		}
		if !ok {
			t.releaseTokens(ctx)
			return rateLimited(fmt.Sprintf("tpm of %s (%d tokens per minute; this request needs an estimated %d)", lim.owner, lim.value, estimate), wait)
		}
		t.tpm = append(t.tpm, tokenHold{key: lim.key, limit: lim.value, amount: n})
	}
	return nil
}

// releaseTokens gives back every token reservation the ticket holds.
func (t *Ticket) releaseTokens(ctx context.Context) {
	for _, h := range t.tpm {
		if err := t.l.st.Adjust(ctx, h.key, -h.amount, h.limit, minute); err != nil {
			t.l.log.Warn("tokens per minute not given back", "limit", h.key, "err", err)
		}
	}
	t.tpm = nil
}

// Done ends the ticket: each tokens-per-minute reservation is settled to
// used (the request's actual tokens: the difference is taken or given
// back), and the concurrency slots are released. It never fails the
// request: a back end that does not answer is logged. It is safe to call
// more than once; only the first call counts.
func (t *Ticket) Done(used int64) {
	if t == nil {
		return
	}
	t.once.Do(func() {
		t.l.mu.Lock()
		delete(t.l.live, t)
		t.l.mu.Unlock()
		if !t.l.async {
			t.settle(used)
			return
		}
		t.l.pending.Add(1)
		go func() {
			defer t.l.pending.Done()
			t.settle(used)
		}()
	})
}

// settle adjusts the token buckets and releases the leases.
func (t *Ticket) settle(used int64) {
	ctx := context.Background() // the request may be gone; the back end bounds the call
	for _, h := range t.tpm {
		if d := max(used, 0) - h.amount; d != 0 {
			if err := t.l.st.Adjust(ctx, h.key, d, h.limit, minute); err != nil {
				t.l.log.Warn("tokens per minute not settled", "limit", h.key, "err", err)
			}
		}
	}
	for _, lease := range t.leases {
		if err := lease.Release(ctx); err != nil && !errors.Is(err, state.ErrNotHeld) {
			t.l.log.Warn("concurrency slot not released; it frees at its ttl", "grant", t.g.KeyID, "err", err)
		}
	}
}

// keep extends, every third of the lease ttl, the leases of the tickets
// still live, so that a request longer than the ttl keeps its slots.
func (l *Limiter) keep() {
	defer close(l.done)
	tick := time.NewTicker(l.ttl / 3)
	defer tick.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-tick.C:
		}
		l.extendLive(context.Background())
	}
}

// extendLive extends the leases of every live ticket by the ttl.
func (l *Limiter) extendLive(ctx context.Context) {
	l.mu.Lock()
	live := make([]*Ticket, 0, len(l.live))
	for t := range l.live {
		live = append(live, t)
	}
	l.mu.Unlock()
	for _, t := range live {
		for _, lease := range t.leases {
			if err := lease.Extend(ctx, l.ttl); err != nil && !errors.Is(err, state.ErrNotHeld) {
				l.log.Warn("concurrency slot not extended", "grant", t.g.KeyID, "err", err)
			}
		}
	}
}
