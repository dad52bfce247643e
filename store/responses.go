package store

import (
	"context"
	"errors"
	"time"

	"switchyard/store/seal"
)

// ErrResponseNotFound: no stored response has that id in the scope, or
// it expired or was deleted (a response of another tenant is not found
// either).
var ErrResponseNotFound = errors.New("store: response not found")

// ErrParentNotFound: SaveResponse was given a Parent (or a Conversation)
// that the store does not keep for the response's tenant: never stored,
// another tenant's, or erased since (it expired or was deleted, and no
// live response needed it). Nothing was saved; the caller saves the
// response again as a root, its whole conversation in Input.
var ErrParentNotFound = errors.New("store: parent response not found")

// ErrUnreadable: stored content (a stored response's object, input or
// output items; a conversation's items or metadata) is sealed
// (responses.encryption) and does not open: the key it was sealed under
// is not among the store's keys (the error then also wraps a
// *seal.MissingKeyError naming the key's id), or the value was altered or
// moved from another row or tenant (seal.ErrAltered). The error never
// holds the content nor a key.
var ErrUnreadable = errors.New("store: stored content cannot be opened")

// ContentSealer is implemented by the stores that keep the stored
// responses and conversations (SQLite, PostgreSQL): SealWith makes them,
// from then on, seal the content they write (seal.Keys.Seal, at the
// value's table, column, tenant and row) and open what they read with
// keys. With nil keys, content is written clear, and a sealed value read
// is ErrUnreadable. Values written clear always read. Safe to call at any
// time; a write or read uses the keys set when it started.
type ContentSealer interface {
	SealWith(keys *seal.Keys)
	// ResealContent rewrites every stored value that is not as the keys
	// would write it now: sealed under a previous key, or clear, when
	// they seal (a key rotated, or encryption turned on); sealed, when
	// they do not (turned off: the values are written clear). A value
	// saved or deleted meanwhile is left as that left it. A value that
	// does not open is left and counted as unreadable. Safe to run while
	// the store serves.
	ResealContent(ctx context.Context) (ResealCounts, error)
}

// ResealCounts says what ResealContent did: the values it rewrote, and
// those that did not open (their key is not among the keys, or they
// were altered) and were left.
type ResealCounts struct {
	Rewritten, Unreadable int64
}

// Response is one response of the Responses API created with store true
// (docs/responses.md): what its retrieval returns and what a request
// naming it as previous_response_id continues. It holds the user's
// content as the router sent and received it (masked when
// responses.redact says so); the store seals Object, Input and Output
// at rest when it has keys (ContentSealer).
//
// A response that continued another is stored as a link in a chain: its
// Parent and only the items it added, so that a conversation of n turns
// stores each turn once. Its conversation is its chain's Input and
// Output, root first, then its own Input (ResponseChain).
type Response struct {
	// ID is the response's id (resp_…).
	ID string
	// Parent is the stored response whose conversation comes before Input
	// (the previous_response_id the response continued); "" for a root,
	// whose Input is its whole conversation unless Conversation is set.
	Parent string
	// Conversation is, for a root made in a conversation (the Responses
	// API's conversation), that conversation: its items before position
	// ConversationSeq come before Input (ResponseChain). "" for none.
	Conversation    string
	ConversationSeq int64
	// Tenant owns the response; KeyName is the configured name of the key
	// that created it (never the key).
	Tenant, KeyName string
	// Created is when the router took the request; Expires is when the
	// response stops being found (Created plus the retention).
	Created, Expires time.Time
	// Model is the model that answered; Status the response's status
	// (completed, incomplete, failed; a background response's also
	// queued, in_progress or cancelled).
	Model, Status string
	// Background says how the response was created: Foreground, or in
	// the background (BackgroundLog). Lease is, while a background
	// response runs, until when its router holds it; zero otherwise.
	Background Background
	Lease      time.Time
	// Object is the Response object as the client got it (JSON); nil for
	// the ancestors ResponseChain returns.
	Object []byte
	// Input is the items the model was given besides the instructions
	// after its parent's conversation, oldest first (a JSON array): this
	// request's input, each with its id; for a root, the whole
	// conversation before its output.
	Input []byte
	// Output is the output items the next turn carries (a JSON array): a
	// failed response's partial output is not carried.
	Output []byte
}

// ResponseLog keeps the stored responses. Implementations are safe for
// concurrent use. A read never finds an expired or deleted response, nor
// one of another tenant than the scope's; a chain never leaves its
// tenant.
//
// A response that expired or was deleted keeps its Input and Output (not
// its Object) while a live response descends from it, whose conversation
// includes them; it is erased when none does any more: at once when a
// delete leaves none, otherwise by DeleteExpiredResponses.
type ResponseLog interface {
	// SaveResponse stores r, replacing a stored response of the same id.
	// It returns once r is durable and readable by every process sharing
	// the database. A non-empty r.Parent must be a response the store
	// keeps for r.Tenant (live, or kept for its descendants), and a
	// non-empty r.Conversation a conversation it keeps for r.Tenant (live,
	// or kept for its responses), or it returns ErrParentNotFound and
	// saves nothing.
	SaveResponse(ctx context.Context, r *Response) error
	// GetResponse returns the response with id in scope that has not
	// expired at now and was not deleted, as stored (Input holds only its
	// own items when it has a Parent), or ErrResponseNotFound.
	GetResponse(ctx context.Context, scope Scope, id string, now time.Time) (*Response, error)
	// ResponseChain returns the response GetResponse would, after its
	// ancestors, root first, read at once: each one's Input then Output,
	// then the last one's Input, are its conversation. Ancestors carry no
	// Object and may have expired or been deleted. When the root was made
	// in a conversation, the chain starts with a Response whose ID is the
	// conversation's, whose Input holds the conversation's items before
	// the root (those it still has) and whose Output is empty.
	// ErrResponseNotFound when GetResponse would return it.
	ResponseChain(ctx context.Context, scope Scope, id string, now time.Time) ([]*Response, error)
	// DeleteResponse deletes the response with id in scope (an expired
	// one counts as not found), or returns ErrResponseNotFound: from then
	// on it is not found. Its Object is erased at once, its items once
	// no live response descends from it.
	DeleteResponse(ctx context.Context, scope Scope, id string, now time.Time) error
	// DeleteExpiredResponses erases every response expired or deleted at
	// now from which no live response descends, of all tenants, and
	// returns how many it erased.
	DeleteExpiredResponses(ctx context.Context, now time.Time) (int64, error)
}
