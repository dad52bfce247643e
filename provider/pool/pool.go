// Package pool spreads one provider's traffic over several members — one
// client per API key or per endpoint — and rests a member that was rate
// limited.
//
// A Pool is itself a provider.Provider (and provider.Embedder and
// provider.Moderator), so the dispatcher sees one provider and never
// learns how many keys are behind it. Each call picks one member among those not cooling down, by least
// in-flight calls (ties broken round-robin) or by weighted random choice.
// A 429 (an *llm.Error of KindRateLimit) puts the member that answered it
// in cooldown for the upstream's Retry-After (capped) or a default; other
// errors never cool a member, since breakers and failover for those live in
// health/ and dispatch/.
//
// The pool never retries: a call goes to exactly one member and that
// member's result, error included, is returned unchanged. Retries, backoff
// and failover are the dispatcher's job; when it retries after a 429, the
// pool picks another member because the one that failed is cooling.
//
// When every eligible member is cooling, the pool still sends the call, to
// the member whose cooldown ends first, rather than failing locally. A
// cooldown is the pool's estimate (often the 10s default, when the upstream
// sent no Retry-After), and the upstream is the authority on its own
// limits: if it has recovered the call succeeds, and if not its fresh 429
// (with its own Retry-After) renews the cooldown and reaches the dispatcher
// exactly as a direct call would. So a pool never turns a guess into an
// outage and never invents errors of its own for streams.
//
// A cooldown ends only when its time is up: a success does not cut it
// short (a call that began before the 429 may well succeed after it), and a
// later 429 extends it but never shortens it.
package pool

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"switchyard/llm"
	"switchyard/provider"
)

// Compile-time checks.
var (
	_ provider.Provider  = (*Pool)(nil)
	_ provider.Embedder  = (*Pool)(nil)
	_ provider.Moderator = (*Pool)(nil)
)

// Member is one client of a pool: one API key or one endpoint.
type Member struct {
	// Name identifies the member in logs, metrics and Status, e.g.
	// "openai#2"; it must never be the key itself. Empty means
	// "<pool name>#<1-based index>". Names must be unique in a pool.
	Name string
	// Provider is the member's client. It must not be nil. If it also
	// implements provider.Embedder, the member serves embeddings; if it
	// is a provider.Moderator that Moderates, moderations; if it is a
	// provider.Imager, Speaker or Transcriber, that media endpoint.
	Provider provider.Provider
	// Weight is the member's share under StrategyWeighted; 0 means 1 and a
	// negative weight is an error. It is ignored by StrategyLeastInFlight.
	Weight int
}

// Strategy is how a pool picks a member among those not cooling down.
type Strategy string

// The strategies.
const (
	// StrategyLeastInFlight picks the member with the fewest calls in
	// flight, breaking ties round-robin so sequential calls spread evenly.
	StrategyLeastInFlight Strategy = "least_in_flight"
	// StrategyWeighted picks a member at random with probability
	// proportional to its Weight.
	StrategyWeighted Strategy = "weighted"
)

// Options tune a pool. The zero value is usable.
type Options struct {
	// Strategy is the balancing strategy; empty means StrategyLeastInFlight.
	Strategy Strategy
	// DefaultCooldown is how long a member rests after a 429 that carried
	// no Retry-After; 0 means 10s. It is not capped by MaxCooldown.
	DefaultCooldown time.Duration
	// MaxCooldown caps cooldowns taken from an upstream's Retry-After;
	// 0 means 5m.
	MaxCooldown time.Duration
	// Now is the clock; nil means time.Now. Tests pass a fake.
	Now func() time.Time
	// Rand returns uniformly distributed numbers for weighted picks; nil
	// means math/rand/v2's Uint64. It is only called with the pool's lock
	// held, so it need not be safe for concurrent use (a seeded
	// rand.New(...).Uint64 is fine).
	Rand func() uint64
}

// Defaults applied to zero Options fields.
const (
	DefaultCooldown = 10 * time.Second
	MaxCooldown     = 5 * time.Minute
)

// MemberStatus is a snapshot of one member's state.
type MemberStatus struct {
	// Name is the member's name.
	Name string
	// InFlight counts calls and open streams on the member now.
	InFlight int
	// CoolingUntil is when the member's cooldown ends; zero when it is not
	// cooling down.
	CoolingUntil time.Time
	// RateLimited counts the 429s the member has answered since the pool
	// was built.
	RateLimited int64
}

// Pool balances calls over its members. It is safe for concurrent use; it
// starts no goroutines.
type Pool struct {
	name      string
	strategy  Strategy
	defCool   time.Duration
	maxCool   time.Duration
	now       func() time.Time
	rand      func() uint64
	embeds    bool // some member is a provider.Embedder
	moderates bool // some member is a provider.Moderator that moderates

	mu      sync.Mutex
	members []*member // fixed after New; fields below mu-guarded
	cursor  int       // where the next least-in-flight scan starts
}

// member is a Member and its mutable state, guarded by Pool.mu.
type member struct {
	name      string
	p         provider.Provider
	embedder  provider.Embedder  // nil if p does not embed
	moderator provider.Moderator // nil if p does not moderate
	// imager, speaker and transcriber are p as a media provider; nil if
	// it is none.
	imager      provider.Imager
	speaker     provider.Speaker
	transcriber provider.Transcriber
	// editor and streamer are p as an image editor and a media
	// streamer; nil if it is none.
	editor   provider.ImageEditor
	streamer provider.MediaStreamer
	weight   uint64

	inFlight     int
	coolingUntil time.Time
	rateLimited  int64
}

// New returns a pool named name (used in errors) over members. It fails if
// members is empty, a member has a nil Provider, a negative Weight or a
// duplicate Name, or opts has an unknown Strategy or a negative cooldown.
func New(name string, members []Member, opts Options) (*Pool, error) {
	if len(members) == 0 {
		return nil, fmt.Errorf("pool %q: no members", name)
	}
	p := &Pool{
		name:     name,
		strategy: opts.Strategy,
		defCool:  opts.DefaultCooldown,
		maxCool:  opts.MaxCooldown,
		now:      opts.Now,
		rand:     opts.Rand,
	}
	switch p.strategy {
	case "":
		p.strategy = StrategyLeastInFlight
	case StrategyLeastInFlight, StrategyWeighted:
	default:
		return nil, fmt.Errorf("pool %q: unknown strategy %q (want %q or %q)",
			name, p.strategy, StrategyLeastInFlight, StrategyWeighted)
	}
	if p.defCool < 0 || p.maxCool < 0 {
		return nil, fmt.Errorf("pool %q: negative cooldown (default %v, max %v)", name, p.defCool, p.maxCool)
	}
	if p.defCool == 0 {
		p.defCool = DefaultCooldown
	}
	if p.maxCool == 0 {
		p.maxCool = MaxCooldown
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.rand == nil {
		p.rand = rand.Uint64
	}
	seen := make(map[string]bool, len(members))
	for i, m := range members {
		mname := m.Name
		if mname == "" {
			mname = fmt.Sprintf("%s#%d", name, i+1)
		}
		switch {
		case m.Provider == nil:
			return nil, fmt.Errorf("pool %q: member %q has no provider", name, mname)
		case m.Weight < 0:
			return nil, fmt.Errorf("pool %q: member %q has negative weight %d", name, mname, m.Weight)
		case seen[mname]:
			return nil, fmt.Errorf("pool %q: duplicate member name %q", name, mname)
		}
		seen[mname] = true
		w := uint64(m.Weight)
		if w == 0 {
			w = 1
		}
		e, _ := m.Provider.(provider.Embedder)
		p.embeds = p.embeds || e != nil
		mod, _ := m.Provider.(provider.Moderator)
		if mod != nil && !mod.Moderates() {
			mod = nil
		}
		p.moderates = p.moderates || mod != nil
		mem := &member{name: mname, p: m.Provider, embedder: e, moderator: mod, weight: w}
		mem.imager, _ = m.Provider.(provider.Imager)
		mem.speaker, _ = m.Provider.(provider.Speaker)
		mem.transcriber, _ = m.Provider.(provider.Transcriber)
		mem.editor, _ = m.Provider.(provider.ImageEditor)
		mem.streamer, _ = m.Provider.(provider.MediaStreamer)
		p.members = append(p.members, mem)
	}
	return p, nil
}

// Name returns the pool's name.
func (p *Pool) Name() string { return p.name }

// Stream opens a stream on one member. The member counts as in flight until
// the stream is closed or Next returns an error (io.EOF included), so the
// caller must do one or the other. An error opening the stream, or a
// KindRateLimit error from Next, cools the member. The stream implements
// llm.Readier, answering as the member's stream does.
func (p *Pool) Stream(ctx context.Context, req *llm.Request) (_ llm.Stream, err error) {
	m := p.acquire(needChat)
	held := true // the call's in-flight count is still ours to release
	defer func() {
		if held { // an error or a panic: no stream will release it
			err = p.retryNow(p.release(m, err), err)
		}
	}()
	s, err := m.p.Stream(ctx, req)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, &llm.Error{Kind: llm.KindInternal, Message: "internal error",
			Err: fmt.Errorf("pool %q: member %q returned a nil stream", p.name, m.name)}
	}
	held = false
	return &stream{inner: s, pool: p, m: m}, nil
}

// Embed sends req to one member that serves embeddings and returns its
// answer or error unchanged. It fails with a KindInvalidRequest *llm.Error
// if no member serves embeddings.
func (p *Pool) Embed(ctx context.Context, req *llm.EmbeddingRequest) (resp *llm.EmbeddingResponse, err error) {
	if !p.embeds {
		return nil, &llm.Error{Kind: llm.KindInvalidRequest, Provider: p.name,
			Message: fmt.Sprintf("provider %q does not serve embeddings", p.name)}
	}
	m := p.acquire(needEmbed)
	defer func() { err = p.retryNow(p.release(m, err), err) }()
	return m.embedder.Embed(ctx, req)
}

// Status returns a snapshot of every member, in the order given to New.
func (p *Pool) Status() []MemberStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	out := make([]MemberStatus, len(p.members))
	for i, m := range p.members {
		out[i] = MemberStatus{Name: m.name, InFlight: m.inFlight, RateLimited: m.rateLimited}
		if m.coolingUntil.After(now) {
			out[i].CoolingUntil = m.coolingUntil
		}
	}
	return out
}

// retryNow returns err, but when it is a 429 and another member is free
// (othersFree), as a copy without Retry-After: the pool as a whole can take
// a retry at once, on another key, so the dispatcher need not wait or fail
// over to another provider.
func (p *Pool) retryNow(othersFree bool, err error) error {
	var le *llm.Error
	if !othersFree || !errors.As(err, &le) || le.Kind != llm.KindRateLimit {
		return err
	}
	c := *le
	c.RetryAfter = 0
	c.Retryable = true
	return &c
}

// release ends one call on m; err is the call's outcome. A rate-limit
// error cools m for its Retry-After (capped at the pool's maximum) or the
// default cooldown; a cooldown already running longer is kept. It reports,
// after a rate limit, whether some other member is not cooling.
func (p *Pool) release(m *member, err error) (othersFree bool) {
	var le *llm.Error
	limited := errors.As(err, &le) && le.Kind == llm.KindRateLimit
	p.mu.Lock()
	defer p.mu.Unlock()
	m.inFlight--
	if !limited {
		return false
	}
	m.rateLimited++
	d := p.defCool
	if le.RetryAfter > 0 {
		d = min(le.RetryAfter, p.maxCool)
	}
	if until := p.now().Add(d); until.After(m.coolingUntil) {
		m.coolingUntil = until
	}
	return p.anyFreeLocked(m)
}

// anyFreeLocked reports whether a member other than m is not cooling.
// p.mu is held.
func (p *Pool) anyFreeLocked(m *member) bool {
	now := p.now()
	for _, o := range p.members {
		if o != m && !o.coolingUntil.After(now) {
			return true
		}
	}
	return false
}
