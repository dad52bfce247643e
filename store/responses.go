package store

import (
	"context"
	"errors"
	"time"
)

// ErrResponseNotFound: no stored response has that id in the scope, or
// it expired (a response of another tenant is not found either).
var ErrResponseNotFound = errors.New("store: response not found")

// Response is one response of the Responses API created with store true
// (docs/responses.md): what its retrieval returns and what a request
// naming it as previous_response_id continues. It holds the user's
// content as the router sent and received it, not redacted.
type Response struct {
	// ID is the response's id (resp_…).
	ID string
	// Tenant owns the response; KeyName is the configured name of the key
	// that created it (never the key).
	Tenant, KeyName string
	// Created is when the router took the request; Expires is when the
	// response stops being found (Created plus the retention).
	Created, Expires time.Time
	// Model is the model that answered; Status the response's status
	// (completed, incomplete, failed).
	Model, Status string
	// Object is the Response object as the client got it (JSON).
	Object []byte
	// Input is the items the model was given besides the instructions,
	// oldest first (a JSON array): the earlier turns' input and output,
	// then this request's input, each with its id.
	Input []byte
	// Output is the output items the next turn carries (a JSON array): a
	// failed response's partial output is not carried.
	Output []byte
}

// ResponseLog keeps the stored responses. Implementations are safe for
// concurrent use. A read never finds an expired response, nor one of
// another tenant than the scope's.
type ResponseLog interface {
	// SaveResponse stores r, replacing a stored response of the same id.
	// It returns once r is durable and readable by every process sharing
	// the database.
	SaveResponse(ctx context.Context, r *Response) error
	// GetResponse returns the response with id in scope that has not
	// expired at now, or ErrResponseNotFound.
	GetResponse(ctx context.Context, scope Scope, id string, now time.Time) (*Response, error)
	// DeleteResponse deletes the response with id in scope (an expired
	// one counts as not found), or returns ErrResponseNotFound.
	DeleteResponse(ctx context.Context, scope Scope, id string, now time.Time) error
	// DeleteExpiredResponses deletes every response expired at now, of
	// all tenants, and returns how many it deleted.
	DeleteExpiredResponses(ctx context.Context, now time.Time) (int64, error)
}
