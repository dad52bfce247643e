package store

import (
	"context"
	"fmt"
	"time"
)

// FeedbackKind is what a feedback row says about the answer to a request:
// a rating its caller sent, or a signal the router inferred.
type FeedbackKind string

// The feedback kinds. Explicit is a client's rating; the others are
// implicit signals (see docs/feedback.md for how each is detected).
const (
	KindExplicit     FeedbackKind = "explicit"      // POST /v1/feedback
	KindRetry        FeedbackKind = "retry"         // the same last message asked again
	KindRegenerate   FeedbackKind = "regenerate"    // the same conversation sent again
	KindAbandoned    FeedbackKind = "abandoned"     // the client left before the end
	KindContinued    FeedbackKind = "continued"     // the next turn built on the answer
	KindFormatFailed FeedbackKind = "format_failed" // the asked format was not kept
	KindRefusal      FeedbackKind = "refusal"       // the model refused
)

// FeedbackKinds lists every kind; a kind's index is its bit in
// Outcome.Kinds.
var FeedbackKinds = []FeedbackKind{KindExplicit, KindRetry, KindRegenerate, KindAbandoned,
	KindContinued, KindFormatFailed, KindRefusal}

// Bit returns k's bit in Outcome.Kinds, or 0 for an unknown kind.
func (k FeedbackKind) Bit() int64 {
	for i, kk := range FeedbackKinds {
		if kk == k {
			return 1 << i
		}
	}
	return 0
}

// Known reports whether k is one of FeedbackKinds.
func (k FeedbackKind) Known() bool { return k.Bit() != 0 }

// Feedback is one row of the feedback table: what is known of the answer
// to one request. A request has at most one row of each kind.
type Feedback struct {
	// RequestID is the request the feedback is about; Tenant owns it (the
	// request's tenant).
	RequestID string `json:"request_id"`
	Tenant    string `json:"tenant,omitempty"`
	// Time is when the feedback was given or the signal detected.
	Time time.Time    `json:"time"`
	Kind FeedbackKind `json:"kind"`
	// Value is, for KindExplicit, the reward in [0, 1] (thumbs up 1, down
	// 0, or the score sent); for an implicit kind, the signed weight the
	// signal had when it was detected (learn.signals in the config).
	Value float64 `json:"value"`
	// Tags are the reasons a client gave with its rating; nil when none.
	Tags []string `json:"tags,omitempty"`
	// CostUSD is what the answer cost beyond its own request: the cost of
	// correcting it (explicit), or the cost of the request that retried or
	// regenerated it. Zero otherwise.
	CostUSD float64 `json:"cost_usd,omitempty"`
	// Evidence says why the row exists.
	Evidence Evidence `json:"evidence"`
}

// Evidence is what a feedback row was based on. Only the fields of its
// kind are set; it never holds message content or user identifiers.
type Evidence struct {
	// Thumbs ("up" or "down") or Score is the rating sent (explicit).
	Thumbs string   `json:"thumbs,omitempty"`
	Score  *float64 `json:"score,omitempty"`
	// By is the later request that retried, regenerated or continued this
	// one; GapMs the time from this answer's end to its start.
	By    string `json:"by,omitempty"`
	GapMs int64  `json:"gap_ms,omitempty"`
	// Match is how By matched: "last_message" (the same last user
	// message), "repeated_in_conversation" (the next turn asked it again),
	// "messages" (the same conversation) or "extends" (the conversation
	// with this answer, then more).
	Match string `json:"match,omitempty"`
	// MessagesAdded is how many messages By added after this answer.
	MessagesAdded int `json:"messages_added,omitempty"`
	// Stream, AfterMs and AnswerChars describe an abandoned request: it
	// streamed, how long it ran, how much answer the client had.
	Stream      bool  `json:"stream,omitempty"`
	AfterMs     int64 `json:"after_ms,omitempty"`
	AnswerChars int   `json:"answer_chars,omitempty"`
	// InvalidToolCalls counts the bad tool calls of a format failure.
	InvalidToolCalls int `json:"invalid_tool_calls,omitempty"`
}

// FeedbackFilter selects feedback rows for ListFeedback. Zero fields do
// not filter.
type FeedbackFilter struct {
	RequestID string
	Kind      FeedbackKind
	// Since <= Time < Until.
	Since, Until time.Time
	// Limit bounds the page as Filter.Limit does; Cursor is a previous
	// FeedbackPage.Next.
	Limit  int
	Cursor string
}

// FeedbackPage is one page of a feedback listing, newest first.
type FeedbackPage struct {
	Feedback []*Feedback
	// Next is the cursor of the next page; empty on the last one.
	Next string
}

// Check returns ErrBadQuery for an unknown kind, a negative limit or an
// Until before Since.
func (f *FeedbackFilter) Check() error {
	switch {
	case f.Kind != "" && !f.Kind.Known():
		return fmt.Errorf("%w: unknown feedback kind %q", ErrBadQuery, f.Kind)
	case f.Limit < 0:
		return fmt.Errorf("%w: negative limit %d", ErrBadQuery, f.Limit)
	case !f.Until.IsZero() && f.Until.Before(f.Since):
		return fmt.Errorf("%w: until is before since", ErrBadQuery)
	}
	return nil
}

// OutcomeQuery selects the chat requests Outcomes reads: those with
// Since <= Time < Until (a zero Until means no upper bound).
type OutcomeQuery struct {
	Since, Until time.Time
}

// Outcome is one chat request with the sum of its feedback.
type Outcome struct {
	RequestID string
	Time      time.Time
	// Route, Category and Deployment are the request's.
	Route, Category, Deployment string
	// Pinned is the deployment the caller pinned; empty when routing
	// chose.
	Pinned string
	// CostUSD is the request's own cost (every billed attempt's), and
	// Tokens the tokens it is the price of, summed by kind over those
	// attempts (Request.Tokens). CostUnknown reports an attempt on a
	// deployment with no known price (CostUSD is then a lower bound);
	// CostEstimated that some tokens were estimated (Request's fields).
	CostUSD                    float64
	Tokens                     Tokens
	CostUnknown, CostEstimated bool
	// Kinds has the bit (FeedbackKind.Bit) of each kind of feedback the
	// request has; zero when it has none.
	Kinds int64
	// Explicit is the value of its explicit rating (valid when Kinds has
	// KindExplicit); CorrectionUSD the correction cost sent with it.
	Explicit, CorrectionUSD float64
	// Implicit is the sum of the values (weights) of its implicit rows,
	// ImplicitN how many there are; RepromptUSD the sum of their costs
	// (the requests that retried or regenerated it).
	Implicit    float64
	ImplicitN   int
	RepromptUSD float64
	// Refused are the calls of the request whose refusals were passed
	// over for a later candidate (routes.NAME.on_refusal: fallback), in
	// the order they were made; not the call that served, when a refusal
	// kept as the answer served. Their costs are part of CostUSD.
	Refused []RefusedCall
}

// RefusedCall is a call whose refusal was passed over: the deployment
// that refused, and what the upstream may bill for it.
type RefusedCall struct {
	Deployment string
	CostUSD    float64
}

// Has reports whether o has feedback of kind k.
func (o *Outcome) Has(k FeedbackKind) bool { return o.Kinds&k.Bit() != 0 }

// FeedbackLog is the feedback half of a Store. Reads take a Scope as the
// request log's do.
type FeedbackLog interface {
	// WriteFeedback stores rows in one transaction. An explicit row
	// replaces the request's earlier explicit row (the last rating
	// counts); an implicit row is skipped when the request already has
	// one of its kind. It returns ErrBadQuery for a row of unknown kind.
	WriteFeedback(ctx context.Context, rows []*Feedback) error
	// ListFeedback returns the rows in scope matching f, newest first
	// (ties by request id, then kind, descending), or ErrBadQuery or
	// ErrBadCursor for a malformed f.
	ListFeedback(ctx context.Context, scope Scope, f FeedbackFilter) (FeedbackPage, error)
	// Outcomes calls fn with every chat request in scope and q's range
	// (endpoint "chat"), each with the sum of its feedback, newest first
	// (ties by request id, descending: a fixed order, so that sums over
	// them come out the same each time); fn may not keep the Outcome past
	// its call. It
	// stops at fn's first error and returns it.
	Outcomes(ctx context.Context, scope Scope, q OutcomeQuery, fn func(*Outcome) error) error
}
