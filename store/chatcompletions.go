package store

import (
	"context"
	"errors"
	"time"
)

// ErrChatCompletionNotFound: no stored chat completion has that id in the
// scope, or it expired or was deleted (another tenant's is not found
// either).
var ErrChatCompletionNotFound = errors.New("store: chat completion not found")

// ChatCompletion is one Chat Completion created with store true
// (docs/chat-completions-store.md): the completion as the client received
// it, the request's messages and its metadata. It holds the user's
// content as sent and answered (masked when responses.redact says so);
// the store seals Object, Messages and Metadata at rest when it has keys
// (ContentSealer).
type ChatCompletion struct {
	// ID is the completion's id (chatcmpl-…).
	ID string
	// Tenant owns it; KeyName is the configured name of the key that
	// created it (never the key).
	Tenant, KeyName string
	// Created is when the router stored it; Expires is when it stops
	// being found (Created plus the retention).
	Created, Expires time.Time
	// Model is the model the completion names (its "model"), which a list
	// filters on.
	Model string
	// Object is the chat.completion object as the client received it
	// (JSON).
	Object []byte
	// Messages is the request's messages, oldest first (a JSON array).
	Messages []byte
	// Metadata is its metadata, a JSON object of strings ({} for none).
	Metadata []byte
}

// ChatCompletionQuery selects a page of stored chat completions: those of
// Model ("" any) whose metadata holds every pair of Metadata, after the
// completion After ("" from the first), oldest first or, with Desc,
// newest first, at most Limit (at least 1).
type ChatCompletionQuery struct {
	Model    string
	Metadata map[string]string
	After    string
	Limit    int
	Desc     bool
}

// ChatCompletionPage is a page of stored chat completions; HasMore says
// whether more follow it.
type ChatCompletionPage struct {
	Completions []*ChatCompletion
	HasMore     bool
}

// ChatCompletionLog keeps the stored chat completions. Implementations
// are safe for concurrent use. A read or write never finds a completion
// expired or deleted at its now, nor one of another tenant than the
// scope's.
type ChatCompletionLog interface {
	// SaveChatCompletion stores c, replacing a stored completion of the
	// same id, and returns once any process sharing the database can read
	// it.
	SaveChatCompletion(ctx context.Context, c *ChatCompletion) error
	// GetChatCompletion returns the live completion id in scope, or
	// ErrChatCompletionNotFound.
	GetChatCompletion(ctx context.Context, scope Scope, id string, now time.Time) (*ChatCompletion, error)
	// ListChatCompletions returns a page of the live completions in
	// scope, ordered by Created then ID; ErrChatCompletionNotFound when
	// q.After names no live completion in scope.
	ListChatCompletions(ctx context.Context, scope Scope, q ChatCompletionQuery, now time.Time) (ChatCompletionPage, error)
	// UpdateChatCompletion replaces the metadata of the live completion
	// id in scope and returns it, or returns ErrChatCompletionNotFound.
	UpdateChatCompletion(ctx context.Context, scope Scope, id string, metadata []byte, now time.Time) (*ChatCompletion, error)
	// DeleteChatCompletion erases the live completion id in scope, or
	// returns ErrChatCompletionNotFound.
	DeleteChatCompletion(ctx context.Context, scope Scope, id string, now time.Time) error
	// DeleteExpiredChatCompletions erases every completion expired at
	// now, of all tenants, and returns how many it erased.
	DeleteExpiredChatCompletions(ctx context.Context, now time.Time) (int64, error)
}
