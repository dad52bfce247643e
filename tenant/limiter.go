package tenant

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"switchyard/config"
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
	// ConcurrencyGrace is how long a request refused only for want of a
	// concurrency slot waits for one before its 429: a slot is given back
	// as its request is recorded, a moment after the client has read the
	// answer, so a client that sends one request after another must not
	// be refused by the previous one's slot. Zero means
	// DefaultConcurrencyGrace; negative, no wait.
	ConcurrencyGrace time.Duration
}

// DefaultConcurrencyGrace is LimiterOptions.ConcurrencyGrace's default.
const DefaultConcurrencyGrace = 150 * time.Millisecond

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
	grace   time.Duration
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
	switch l.grace = opts.ConcurrencyGrace; {
	case l.grace == 0:
		l.grace = DefaultConcurrencyGrace
	case l.grace < 0:
		l.grace = 0
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
// key's first (computed once, by NewGrant).
func (g *Grant) limits(kind string) []limit {
	switch kind {
	case "rpm":
		return g.rpm
	case "tpm":
		return g.tpm
	}
	return g.conc
}

// compileLimits computes g's limits of each kind, with their state keys.
func (g *Grant) compileLimits() {
	add := func(dst *[]limit, kind, owner, id string, v int64) {
		if v > 0 {
			*dst = append(*dst, limit{owner: owner, key: "limit:" + kind + ":" + id, value: v})
		}
	}
	owners := []struct {
		owner, id string
		l         config.Limits
	}{{"key " + g.Key, "key:" + g.KeyID, g.KeyLimits}}
	if g.Tenant != "" {
		owners = append(owners, struct {
			owner, id string
			l         config.Limits
		}{"tenant " + g.Tenant, "tenant:" + g.Tenant, g.TenantLimits})
	}
	for _, o := range owners {
		add(&g.rpm, "rpm", o.owner, o.id, o.l.RPM)
		add(&g.tpm, "tpm", o.owner, o.id, o.l.TPM)
		add(&g.conc, "conc", o.owner, o.id, int64(o.l.MaxConcurrent))
	}
}

// Admit counts one request against g's requests per minute and takes a
// slot of its concurrency limits, the key's and the tenant's. It returns
// the request's Ticket, or a 429 *llm.Error (code rate_limit_exceeded)
// naming the limit reached (the key's before the tenant's, requests per
// minute before requests at once), with Retry-After; or a 503 when the
// back end does not answer and state.on_error is deny. A refusal holds
// nothing: what the other checks took is given back. A nil or unlimited
// Grant is admitted at no cost (a nil Ticket).
//
// With LimiterOptions.Async (a remote back end) the checks run at once,
// so admission costs one round trip however many limits apply.
func (l *Limiter) Admit(ctx context.Context, g *Grant) (*Ticket, error) {
	if l == nil || !g.HasLimits() {
		return nil, nil
	}
	var checks []check
	for _, lim := range g.limits("rpm") {
		checks = append(checks, check{kind: checkRPM, lim: lim, cost: 1})
	}
	for _, lim := range g.limits("conc") {
		checks = append(checks, check{kind: checkConc, lim: lim})
	}
	if err := l.admitChecks(ctx, checks); err != nil {
		return nil, err
	}
	t := &Ticket{l: l, g: g}
	for i := range checks {
		if checks[i].lease != nil {
			t.leases = append(t.leases, checks[i].lease)
		}
	}
	if len(t.leases) > 0 {
		l.mu.Lock()
		l.live[t] = struct{}{}
		l.mu.Unlock()
	}
	return t, nil
}

// ReserveTokens reserves estimate tokens against the ticket's tokens per
// minute, the key's and the tenant's. An estimate above a limit is
// reserved at the limit (a request larger than a minute's tokens passes
// when the bucket is full, and its actual use is settled by Done). On
// refusal it gives back what it reserved and returns a 429 naming the
// limit, with Retry-After. A nil Ticket reserves nothing.
func (t *Ticket) ReserveTokens(ctx context.Context, estimate int64) error {
	if t == nil || estimate <= 0 {
		return nil
	}
	var checks []check
	for _, lim := range t.g.limits("tpm") {
		checks = append(checks, check{kind: checkTPM, lim: lim, cost: min(estimate, lim.value), estimate: estimate})
	}
	if err := t.l.runChecks(ctx, checks); err != nil {
		return err
	}
	for _, c := range checks {
		t.tpm = append(t.tpm, tokenHold{key: c.lim.key, limit: c.lim.value, amount: c.cost})
	}
	return nil
}

// checkKind is what a check takes: a request, a slot, or tokens.
type checkKind int

const (
	checkRPM checkKind = iota
	checkConc
	checkTPM
)

// check is one limit checked for a request, and its outcome.
type check struct {
	kind           checkKind
	lim            limit
	cost, estimate int64
	// The outcome: tried, then ok (taken) or refused with wait, or err.
	tried, ok bool
	givenBack bool // taken, then given back for another's refusal
	wait      time.Duration
	err       error
	lease     state.Lease
}

// runChecks runs checks (at once with a remote back end, else in order,
// stopping at the first refusal). If any refuses or fails, it gives back
// what the others took and returns the client's error for the first in
// order.
func (l *Limiter) runChecks(ctx context.Context, checks []check) error {
	if l.async && len(checks) > 1 {
		var wg sync.WaitGroup
		for i := range checks {
			wg.Go(func() { l.try(ctx, &checks[i]) })
		}
		wg.Wait()
	} else {
		for i := range checks {
			if l.try(ctx, &checks[i]); !checks[i].ok {
				break
			}
		}
	}
	for i := range checks {
		c := &checks[i]
		if c.ok {
			continue
		}
		l.rollback(ctx, checks)
		if c.err != nil {
			return l.failure(c.err)
		}
		return c.refusal()
	}
	return nil
}

// try runs one check.
func (l *Limiter) try(ctx context.Context, c *check) {
	c.tried = true
	switch c.kind {
	case checkConc:
		c.lease, c.ok, c.err = l.st.Acquire(ctx, c.lim.key, int(c.lim.value), l.ttl)
		c.wait = time.Second // when a slot frees is unknown
	default:
		c.ok, c.wait, c.err = l.st.Allow(ctx, c.lim.key, c.cost, c.lim.value, minute)
	}
	c.ok = c.ok && c.err == nil
}

// rollback gives back what the successful checks took.
func (l *Limiter) rollback(ctx context.Context, checks []check) {
	for i := range checks {
		c := &checks[i]
		if !c.ok {
			continue
		}
		c.ok, c.givenBack = false, true
		var err error
		if c.lease != nil {
			err = c.lease.Release(ctx)
		} else {
			err = l.st.Adjust(ctx, c.lim.key, -c.cost, c.lim.value, minute)
		}
		if err != nil && !errors.Is(err, state.ErrNotHeld) {
			l.log.Warn("a limit's share not given back after a refusal", "limit", c.lim.key, "err", err)
		}
	}
}

// refusal is the 429 of a refused check.
func (c *check) refusal() error {
	switch c.kind {
	case checkRPM:
		return rateLimited(fmt.Sprintf("rpm of %s (%d requests per minute)", c.lim.owner, c.lim.value), c.wait)
	case checkConc:
		return rateLimited(fmt.Sprintf("max_concurrent of %s (%d requests at once)", c.lim.owner, c.lim.value), c.wait)
	}
	return rateLimited(fmt.Sprintf("tpm of %s (%d tokens per minute; this request needs an estimated %d)", c.lim.owner, c.lim.value, c.estimate), c.wait)
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
