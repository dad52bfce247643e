package store

import (
	"context"
	"errors"
	"time"
)

// ErrConversationNotFound: no conversation has that id in the scope, or
// it expired or was deleted (another tenant's is not found either).
var ErrConversationNotFound = errors.New("store: conversation not found")

// ErrItemNotFound: the conversation holds no item of that id.
var ErrItemNotFound = errors.New("store: conversation item not found")

// Conversation is one conversation of the Conversations API
// (docs/responses.md#conversations): its items are kept apart, each at
// its position (ConversationItem), so that adding items writes only
// them. It holds the user's content as sent and answered (masked when
// responses.redact says so); the store seals the items and Metadata at
// rest when it has keys (ContentSealer).
type Conversation struct {
	// ID is the conversation's id (conv_…).
	ID string
	// Tenant owns the conversation; KeyName is the configured name of the
	// key that created it (never the key).
	Tenant, KeyName string
	// Created is when it was created; Expires is when it stops being
	// found unless written to before (each write moves it).
	Created, Expires time.Time
	// Metadata is its metadata, a JSON object ({} for none).
	Metadata []byte
}

// ConversationItem is one item of a conversation: its id, unique in the
// conversation, and the item as the API returns it (a JSON object).
type ConversationItem struct {
	ID   string
	Item []byte
}

// ItemQuery selects a page of a conversation's items: those after the
// item After ("" from the first), oldest first or, with Desc, newest
// first, at most Limit (at least 1).
type ItemQuery struct {
	After string
	Limit int
	Desc  bool
}

// ItemPage is a page of items; HasMore says whether more follow it.
type ItemPage struct {
	Items   []ConversationItem
	HasMore bool
}

// ConversationLog keeps the conversations. Implementations are safe for
// concurrent use. A read or write never finds a conversation expired or
// deleted at its now, nor one of another tenant than the scope's; every
// write to a live conversation moves its expiry to the one given.
//
// A conversation that expired or was deleted keeps its items while a
// stored response made in it (Response.Conversation) is kept, whose
// conversation they begin (ResponseLog.ResponseChain); it is erased when
// none is any more: at once when a delete leaves none, otherwise by
// DeleteExpiredConversations.
type ConversationLog interface {
	// CreateConversation stores c (a new id) with items, in order, and
	// returns once any process sharing the database can read them.
	CreateConversation(ctx context.Context, c *Conversation, items []ConversationItem) error
	// GetConversation returns the live conversation id in scope, or
	// ErrConversationNotFound.
	GetConversation(ctx context.Context, scope Scope, id string, now time.Time) (*Conversation, error)
	// UpdateConversation replaces the metadata of the live conversation
	// id in scope, sets its expiry and returns it, or returns
	// ErrConversationNotFound.
	UpdateConversation(ctx context.Context, scope Scope, id string, metadata []byte, expires, now time.Time) (*Conversation, error)
	// DeleteConversation deletes the live conversation id in scope, or
	// returns ErrConversationNotFound: from then on it is not found. Its
	// items are erased at once unless a stored response made in it is
	// kept.
	DeleteConversation(ctx context.Context, scope Scope, id string, now time.Time) error
	// AppendItems adds items (ids new to the conversation) after the last
	// item of the live conversation id in scope, in order, sets its
	// expiry and returns once they are readable by every process sharing
	// the database; ErrConversationNotFound when there is no such
	// conversation. Appends to one conversation are ordered: the items of
	// one are never interleaved with another's.
	AppendItems(ctx context.Context, scope Scope, id string, items []ConversationItem, expires, now time.Time) error
	// ConversationItems returns every item of the live conversation id in
	// scope, oldest first, and the position after the last of them (the
	// ConversationSeq of a response made with them: 0 when there is
	// none), or ErrConversationNotFound.
	ConversationItems(ctx context.Context, scope Scope, id string, now time.Time) ([]ConversationItem, int64, error)
	// ListItems returns a page of the items of the live conversation id
	// in scope, or ErrConversationNotFound; ErrItemNotFound when q.After
	// names no item of it.
	ListItems(ctx context.Context, scope Scope, id string, q ItemQuery, now time.Time) (ItemPage, error)
	// GetItem returns the item itemID of the live conversation id in
	// scope: ErrConversationNotFound, or ErrItemNotFound.
	GetItem(ctx context.Context, scope Scope, id, itemID string, now time.Time) (*ConversationItem, error)
	// DeleteItem erases the item itemID of the live conversation id in
	// scope, sets the conversation's expiry and returns the conversation:
	// ErrConversationNotFound, or ErrItemNotFound.
	DeleteItem(ctx context.Context, scope Scope, id, itemID string, expires, now time.Time) (*Conversation, error)
	// DeleteExpiredConversations erases every conversation expired or
	// deleted at now in which no stored response kept was made, with its
	// items, of all tenants, and returns how many it erased.
	DeleteExpiredConversations(ctx context.Context, now time.Time) (int64, error)
}

// ConversationItemFinder finds a conversation item by its id alone (an
// item_reference of the Responses API names no conversation). The SQL
// stores implement it.
type ConversationItemFinder interface {
	// FindItem returns the item itemID of a live conversation in scope
	// (whichever of them holds it: an item's id is unique in practice,
	// being random or naming the response that added it) and that
	// conversation's id, or ErrItemNotFound (another tenant's item is
	// not found either).
	FindItem(ctx context.Context, scope Scope, itemID string, now time.Time) (*ConversationItem, string, error)
}
