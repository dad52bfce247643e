package learn

import (
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// Observation is what the learner needs of one finished request. The
// router makes one from each request's record, off the request's path.
type Observation struct {
	RequestID, Tenant string
	// Endpoint is "chat" for a chat completion; the implicit signals
	// concern chats only.
	Endpoint string
	// Start is when the request arrived; Latency how long it took.
	Start   time.Time
	Latency time.Duration
	// Status is the HTTP status; StreamFailed reports a stream cut after
	// its first byte; ClientLeft that the client went away before the end
	// (error kind canceled).
	Status                   int
	StreamFailed, ClientLeft bool
	Stream                   bool
	// User is the request's user field; Session its x-switchyard-session
	// header. The end user is User, or Session when User is empty.
	User, Session string
	// Messages and Answer are the chat's messages and the answer the
	// client got; read-only, not kept.
	Messages []llm.Message
	Answer   *llm.Response
	CostUSD  float64
	// Signals are the answer's quality signals; nil when none were
	// computed.
	Signals *store.Signals
}

func (o *Observation) endUser() string {
	if o.User != "" {
		return o.User
	}
	return o.Session
}

// answered reports whether the client got a whole answer.
func (o *Observation) answered() bool {
	return o.Status < 400 && !o.StreamFailed && !o.ClientLeft && o.Answer != nil
}

// Weights are the weights of the implicit signals: the value each
// signal's feedback row gets. Zero turns a signal off.
type Weights struct {
	Retry, Regenerate, Abandoned, Continued, FormatFailed, Refusal float64
}

// DefaultWeights are the weights of learn.signals' unset entries.
func DefaultWeights() Weights {
	return Weights{Retry: -1, Regenerate: -1, Abandoned: -0.5, Continued: 0.3, FormatFailed: -1, Refusal: -0.5}
}

func (w *Weights) of(k store.FeedbackKind) float64 {
	switch k {
	case store.KindRetry:
		return w.Retry
	case store.KindRegenerate:
		return w.Regenerate
	case store.KindAbandoned:
		return w.Abandoned
	case store.KindContinued:
		return w.Continued
	case store.KindFormatFailed:
		return w.FormatFailed
	case store.KindRefusal:
		return w.Refusal
	}
	return 0
}

// Default windows of the implicit signals.
const (
	DefaultRetryWindow        = 2 * time.Minute
	DefaultContinuationWindow = 30 * time.Minute
	// defaultRecent bounds the answers the detector remembers.
	defaultRecent = 20000
)

// detector finds the implicit signals of each observation. It is used by
// one goroutine (the recorder's).
type detector struct {
	w                      Weights
	retry, continuation    time.Duration
	hs                     *hasher
	ring                   []*answer
	next                   int
	byLast, byConvo, byExt map[key]*answer
}

// answer is a remembered answered chat: the target of later signals.
type answer struct {
	id       string
	user     endUser
	end      time.Time // when the answer was complete
	lastUser uint64    // normalized last user message, 0 if none
	convo    uint64    // the messages
	ext      uint64    // the messages and the answer
	emitted  int64     // kinds (bits) already given to it
}

type endUser struct{ tenant, user string }

type key struct {
	endUser
	h uint64
}

func newDetector(w Weights, retry, continuation time.Duration, recent int) *detector {
	if recent <= 0 {
		recent = defaultRecent
	}
	return &detector{
		w: w, retry: retry, continuation: continuation, hs: newHasher(), ring: make([]*answer, recent),
		byLast: map[key]*answer{}, byConvo: map[key]*answer{}, byExt: map[key]*answer{},
	}
}

// observe returns the feedback rows o gives: its own signals
// (abandonment, format failure, refusal) and those it gives an earlier
// answer (retry, regenerate, continuation); then remembers o's answer.
func (d *detector) observe(o *Observation, now time.Time) []*store.Feedback {
	if o.Endpoint != "chat" || o.RequestID == "" {
		return nil
	}
	out := d.own(o, now)
	if len(o.Messages) == 0 {
		return out
	}
	fp := d.hs.conversation(o.Messages)
	if f := d.link(o, &fp, now); f != nil {
		out = append(out, f)
	}
	if o.answered() {
		d.remember(o, &fp)
	}
	return out
}

// own returns the signals of o's own answer.
func (d *detector) own(o *Observation, now time.Time) []*store.Feedback {
	var out []*store.Feedback
	add := func(k store.FeedbackKind, ev store.Evidence) {
		if w := d.w.of(k); w != 0 {
			out = append(out, &store.Feedback{RequestID: o.RequestID, Tenant: o.Tenant, Time: now, Kind: k, Value: w, Evidence: ev})
		}
	}
	if o.ClientLeft {
		ev := store.Evidence{Stream: o.Stream, AfterMs: o.Latency.Milliseconds()}
		if o.Signals != nil {
			ev.AnswerChars = o.Signals.AnswerChars
		}
		add(store.KindAbandoned, ev)
	}
	if s := o.Signals; s != nil {
		if s.FormatChecked && !s.FormatOK {
			add(store.KindFormatFailed, store.Evidence{InvalidToolCalls: s.InvalidToolCalls})
		}
		if s.Refusal {
			add(store.KindRefusal, store.Evidence{})
		}
	}
	return out
}

// link finds the earlier answer o judges, if any, and returns the row it
// gives it: the same conversation again (regenerate); the conversation
// with that answer then more (continued, or retry when the added turn
// asks the answer's question again); the same last user message (retry).
// Regenerations and plain retries are linked only for a known end user
// (the user field or x-switchyard-session): without one, two people may
// ask the same thing.
func (d *detector) link(o *Observation, fp *fingerprint, now time.Time) *store.Feedback {
	u := endUser{o.Tenant, o.endUser()}
	n := len(o.Messages)
	if u.user != "" {
		if a := d.byConvo[key{u, fp.prefix[n]}]; d.within(a, o, d.retry) {
			return d.give(a, store.KindRegenerate, o, store.Evidence{Match: "messages"}, now)
		}
	}
	for k := n - 1; k >= 1; k-- {
		if o.Messages[k-1].Role != llm.RoleAssistant {
			continue
		}
		a := d.byExt[key{u, fp.prefix[k]}]
		if !d.within(a, o, d.continuation) {
			continue
		}
		if a.lastUser != 0 && asksAgain(fp.users[k:], a.lastUser) {
			return d.give(a, store.KindRetry, o, store.Evidence{Match: "repeated_in_conversation", MessagesAdded: n - k}, now)
		}
		return d.give(a, store.KindContinued, o, store.Evidence{Match: "extends", MessagesAdded: n - k}, now)
	}
	if u.user != "" && fp.lastUser != 0 {
		if a := d.byLast[key{u, fp.lastUser}]; d.within(a, o, d.retry) {
			return d.give(a, store.KindRetry, o, store.Evidence{Match: "last_message"}, now)
		}
	}
	return nil
}

// within reports whether o started after answer a was complete, at most
// window later.
func (d *detector) within(a *answer, o *Observation, window time.Duration) bool {
	if a == nil || a.id == o.RequestID {
		return false
	}
	gap := o.Start.Sub(a.end)
	return gap >= 0 && gap <= window
}

func asksAgain(users []uint64, h uint64) bool {
	for _, u := range users {
		if u == h {
			return true
		}
	}
	return false
}

// give returns the row of kind that o gives answer a, or nil when the
// signal is off or a already has one of that kind. A retry or
// regeneration charges o's cost to a.
func (d *detector) give(a *answer, k store.FeedbackKind, o *Observation, ev store.Evidence, now time.Time) *store.Feedback {
	w := d.w.of(k)
	if w == 0 || a.emitted&k.Bit() != 0 {
		return nil
	}
	a.emitted |= k.Bit()
	ev.By, ev.GapMs = o.RequestID, o.Start.Sub(a.end).Milliseconds()
	f := &store.Feedback{RequestID: a.id, Tenant: a.user.tenant, Time: now, Kind: k, Value: w, Evidence: ev}
	if k == store.KindRetry || k == store.KindRegenerate {
		f.CostUSD = o.CostUSD
	}
	return f
}

// remember keeps o's answer as the newest for its conversation, its last
// message and its continuation, forgetting the oldest answer when full.
func (d *detector) remember(o *Observation, fp *fingerprint) {
	u := endUser{o.Tenant, o.endUser()}
	n := len(o.Messages)
	a := &answer{id: o.RequestID, user: u, end: o.Start.Add(o.Latency), lastUser: fp.lastUser, convo: fp.prefix[n],
		ext: d.hs.withAnswer(fp.prefix[n], o.Answer)}
	d.forget(d.ring[d.next])
	d.ring[d.next] = a
	d.next = (d.next + 1) % len(d.ring)
	if u.user != "" {
		d.byConvo[key{u, a.convo}] = a
		if a.lastUser != 0 {
			d.byLast[key{u, a.lastUser}] = a
		}
	}
	if a.ext != 0 {
		d.byExt[key{u, a.ext}] = a
	}
}

// forget drops a's index entries that still point at it.
func (d *detector) forget(a *answer) {
	if a == nil {
		return
	}
	for _, e := range []struct {
		m map[key]*answer
		h uint64
	}{{d.byConvo, a.convo}, {d.byLast, a.lastUser}, {d.byExt, a.ext}} {
		k := key{a.user, e.h}
		if e.m[k] == a {
			delete(e.m, k)
		}
	}
}
