// Package dispatch executes a routing Plan: tier by tier, each attempt
// with a strict time-to-first-token timeout carved from the request's one
// latency budget, retries with jittered backoff that honours Retry-After,
// optional hedging, and failover to the next tier at once when a tier
// fails or is slow. Failover is free until the first chunk; after that a
// failure ends the stream with an error, never a silent truncation. Every
// attempt feeds the health tracker, whose breakers gate the next ones.
//
// Every request is streamed from its upstream, even one the client wants
// whole: that is what makes the first token observable, so a slow
// deployment can be abandoned after its tier timeout instead of after its
// whole answer. Complete responses are assembled with llm.Accumulator.
package dispatch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

// Target is one deployment and the client that reaches it.
type Target struct {
	Deployment llm.Deployment
	Provider   llm.ChatProvider
	// PrefillTokensPerSecond is how fast the deployment reads a prompt:
	// each attempt's time-to-first-token timeout grows by the plan's
	// PromptTokens divided by it. Zero means Options.PrefillTokensPerSecond.
	PrefillTokensPerSecond float64
	// Host names the upstream API the deployment is called on (its
	// provider's base_url and its api): a mark that its host has no
	// /responses route (NoResponsesRoutes) holds while Host stays the
	// same. Empty is a host like any other.
	Host string
}

// Tier is one step of a plan: its targets are tried in order, each within
// its time-to-first-token timeout: TTFTTimeouts[i] for Targets[i] when
// that is positive, none when it is negative (only the request deadline
// applies: a flex request's attempt), else TTFTTimeout (zero means only
// the request deadline applies), plus the prompt's allowance.
type Tier struct {
	Targets      []*Target
	TTFTTimeout  time.Duration
	TTFTTimeouts []time.Duration
	// OnRefusal marks a tier of a client's refusal fallback (fallbacks.go):
	// tried only after a refusal was passed over, never for a failure.
	OnRefusal bool
	// Request, if not nil, is what the tier's targets are sent instead of
	// the run's request (a fallback model's own overrides).
	Request *llm.Request
	// MaxTokens, when MaxTokens[i] is positive, is the most max_tokens
	// Targets[i] is sent: its output limit, below what the request asks
	// for, when a route or an alias chose it (route.Candidate.MaxTokens);
	// nil, or zero, sends the request's own.
	MaxTokens []int
	// DropHosted, when DropHosted[i] is not 0, are the hosted tools left
	// out of what Targets[i] is sent (llm.Request.WithoutHosted): the
	// optional ones it cannot run (route.Candidate.DroppedHosted); nil
	// sends them to all.
	DropHosted []llm.HostedKinds
}

// Plan is what to try, in order.
type Plan struct {
	Tiers []Tier
	// HedgeAfter, when positive, starts the next target in parallel if the
	// current one has sent no first chunk by then; the first to stream
	// wins and the other is cancelled. HedgeQuantile, when positive,
	// instead uses that quantile of the current target's recent time to
	// first token (falling back to HedgeAfter while there is no history).
	HedgeAfter    time.Duration
	HedgeQuantile float64
	// LatencyProbe names a demoted deployment this request probes.
	LatencyProbe string
	// PromptTokens is the request's estimated prompt size. It lengthens
	// each attempt's first-token timeout (see Target), and a timeout of a
	// prompt of Options.LargePromptTokens or more is the request's doing:
	// it does not count against the deployment's health.
	PromptTokens int
	// Pinned names the deployment the caller pinned, if any: when every
	// attempt fails, its error (not the last fallback's) is returned, as
	// the answer to what the caller asked for.
	Pinned string
	// Resume continues a stream that breaks after its first token on the
	// next candidates that can (see resume.go); false ends it with an
	// error.
	Resume bool
	// OnAbandon, if not nil, is called for each attempt abandoned after
	// its first chunk — by Chat, one whose stream failed and was given up
	// for the next target; by Chat and Stream, a hedge that lost the race
	// with its first chunk already in hand — with the attempt's index in
	// Attempts (-1 when Attempts is nil), its deployment, what it had
	// produced (usage included when the upstream sent it) and its error;
	// the upstream may bill it. It is called on the request's goroutine.
	OnAbandon func(attempt int, dep *llm.Deployment, partial *llm.Response, err error)
	// Attempts, if not nil, is filled with every upstream call the plan
	// makes, retries, hedges and resumed continuations included.
	Attempts *Attempts
	// RefusalFallback passes a refusal over for the next candidates while
	// none of it reached the client: a content-policy rejection (code
	// content_filter), a complete answer refused (Chat), a stream refused
	// before its first content (Stream). The last refusal is the answer
	// when no candidate answers otherwise (refusal.go).
	RefusalFallback bool
	// LowerMaxTokens lets a target that refuses the request's max_tokens
	// as above its output limit, stating the limit (provider.OutputLimit),
	// be sent the request again at once with max_tokens lowered to it,
	// once, when no later target could write the full amount (none is
	// sent the request's own max_tokens: Tier.MaxTokens): the targets a
	// route or an alias chose (route.Candidate.Clamps), and the Pinned one
	// when LowerPinned is set too. The first request over an output limit
	// no one declared is so answered, not refused (clamp.go).
	LowerMaxTokens, LowerPinned bool
	// OnRefusalPassed, if not nil, is called on the request's goroutine
	// for each refusal passed over for a later candidate, in order: the
	// deployment that refused and its refused answer (nil for a 400
	// content_filter rejection).
	OnRefusalPassed func(dep *llm.Deployment, refused *llm.Response)
}

// Options tune a Dispatcher. Zero fields take the defaults noted.
type Options struct {
	// Health gates attempts by circuit breaker and is fed every outcome;
	// nil disables both.
	Health *health.Tracker
	// MaxRetries is how many times one target is retried after a
	// retryable error before the next target is tried (1).
	MaxRetries int
	// BaseBackoff is the first retry's backoff (100ms); it doubles per
	// retry, with full jitter, up to MaxBackoff (2s). A Retry-After longer
	// than MaxBackoff moves on to the next target instead of waiting.
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	// StallTimeout ends a stream that sends nothing for this long after
	// its first chunk (30s), counting only the time spent waiting for the
	// upstream (not the caller's between two reads).
	StallTimeout time.Duration
	// PrefillTokensPerSecond is the prompt reading speed of targets that
	// declare none (5000: 200ms per 1,000 prompt tokens).
	PrefillTokensPerSecond float64
	// LargePromptTokens is the prompt size from which a timeout is laid
	// to the request rather than the deployment (32000).
	LargePromptTokens int
	// MaxAnswerBytes bounds a complete answer Chat assembles in memory
	// (its text, refusals, reasoning text and tool calls, as
	// llm.AnswerBytes counts them; zero means DefaultMaxAnswerBytes, 32
	// MiB; server.max_answer_bytes): an upstream that sends more fails its
	// attempt with a 502 that says so (code llm.CodeAnswerTooLarge). Streams are relayed
	// chunk by chunk, unbounded here (a streamed Responses answer, which
	// the API keeps whole, is bounded by api/openai at the same limit).
	MaxAnswerBytes int
	// ResumeBytes bounds the copy of a stream's text kept to continue it
	// on another deployment should it break (1 MiB): a stream that breaks
	// past it ends with its error instead.
	ResumeBytes int
	// Now is the clock (time.Now); AfterFunc runs f after d on that
	// clock, in its own goroutine (time.AfterFunc): every timeout, backoff
	// and hedge threshold uses it. Jitter returns a float in [0,1)
	// (math/rand/v2). Tests replace them.
	Now       func() time.Time
	AfterFunc func(d time.Duration, f func()) Timer
	Jitter    func() float64
	// Logger logs what a request finds of a deployment once for all (a
	// host with no /responses route); nil is slog.Default().
	Logger *slog.Logger
	// NoResponses holds the marks of the hosts found to have no
	// /responses route; nil means the Dispatcher's own, forgotten with
	// it.
	NoResponses *NoResponsesRoutes
}

// Defaults of Options.MaxAnswerBytes and Options.ResumeBytes.
const (
	DefaultMaxAnswerBytes = 32 << 20
	DefaultResumeBytes    = 1 << 20
)

// Timer is a timer AfterFunc started; *time.Timer is one.
type Timer interface {
	// Stop prevents the timer from firing; it reports whether it did.
	Stop() bool
	// Reset makes the timer fire after d from now instead; it reports
	// whether the timer had been active.
	Reset(d time.Duration) bool
}

// Dispatcher runs plans. It is safe for concurrent use.
type Dispatcher struct {
	opts Options
	// noResponses holds the deployments whose host has no /responses
	// route (responses_route.go): Options.NoResponses.
	noResponses *NoResponsesRoutes
}

// New returns a Dispatcher.
func New(opts Options) *Dispatcher {
	if opts.MaxRetries < 0 {
		opts.MaxRetries = 0
	} else if opts.MaxRetries == 0 {
		opts.MaxRetries = 1
	}
	if opts.BaseBackoff <= 0 {
		opts.BaseBackoff = 100 * time.Millisecond
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 2 * time.Second
	}
	if opts.StallTimeout <= 0 {
		opts.StallTimeout = 30 * time.Second
	}
	if opts.PrefillTokensPerSecond <= 0 {
		opts.PrefillTokensPerSecond = 5000
	}
	if opts.LargePromptTokens <= 0 {
		opts.LargePromptTokens = 32000
	}
	if opts.MaxAnswerBytes <= 0 {
		opts.MaxAnswerBytes = DefaultMaxAnswerBytes
	}
	if opts.ResumeBytes <= 0 {
		opts.ResumeBytes = DefaultResumeBytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.AfterFunc == nil {
		opts.AfterFunc = func(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }
	}
	if opts.Jitter == nil {
		opts.Jitter = rand.Float64
	}
	d := &Dispatcher{opts: opts, noResponses: opts.NoResponses}
	if d.noResponses == nil {
		d.noResponses = &NoResponsesRoutes{}
	}
	return d
}

// Chat runs plan for a complete response, streaming from the upstream
// and assembling the chunks. served is filled as attempts are made.
// Since nothing reaches the client before the whole answer is assembled,
// a stream that fails after its first chunk (cut, stalled or malformed)
// is abandoned and the plan goes on with its next targets, within the
// same deadline; plan.OnAbandon, if set, is told what it produced.
// Errors are *llm.Error values.
func (d *Dispatcher) Chat(ctx context.Context, req *llm.Request, plan *Plan, served *llm.Served) (*llm.Response, error) {
	r := d.newRun(ctx, req, plan, served)
	r.noResume = true
	for {
		s, err := r.next()
		if err != nil {
			if r.kept != nil && !errors.Is(ctx.Err(), context.Canceled) {
				return r.useKept().resp, nil
			}
			return nil, err
		}
		resp, err := collect(s, d.opts.MaxAnswerBytes)
		if n := r.refusalNext(r.i - 1); err == nil && n > 0 && refusedAnswer(resp) {
			r.keepAnswer(resp, s)
			r.i = n
			continue
		}
		if err == nil {
			r.dropKept()
			return resp, nil
		}
		if plan.OnAbandon != nil {
			plan.OnAbandon(s.slot.i, s.Deployment(), resp, err)
		}
		r.fail(err)
		if stop(ctx, err) {
			return nil, finalError(ctx, err)
		}
	}
}

// collect assembles s into a response, at most max bytes of it (see
// llm.AnswerBytes), and closes it. On a failure it returns what was assembled
// so far along with the error.
func collect(s *Stream, max int) (*llm.Response, error) {
	defer s.Close()
	var acc llm.Accumulator
	size := 0
	for {
		c, err := s.Next()
		if err == io.EOF {
			return acc.Response(), nil
		}
		if err != nil {
			return acc.Response(), err
		}
		if size += llm.AnswerBytes(c); size > max {
			err := tooLarge(s.Deployment(), max)
			s.Abandon(err)
			return acc.Response(), err
		}
		acc.Add(c)
	}
}

// tooLarge is the failure of an attempt whose complete answer passed max
// bytes.
func tooLarge(dep *llm.Deployment, max int) *llm.Error {
	return &llm.Error{
		Kind: llm.KindUpstream, Code: llm.CodeAnswerTooLarge, Provider: dep.Provider,
		Message: fmt.Sprintf("upstream %s sent an answer larger than the router's limit of %d bytes for a complete (non-streamed) response; ask for a stream (\"stream\": true) to receive longer answers, or lower max_tokens", dep.Provider, max),
	}
}
