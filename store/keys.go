package store

import (
	"context"
	"errors"
	"time"
)

// The errors of a KeyStore; test them with errors.Is.
var (
	// ErrKeyNotFound: no managed key has that id (in the scope).
	ErrKeyNotFound = errors.New("store: key not found")
	// ErrKeyExists: CreateKey was given an id already stored.
	ErrKeyExists = errors.New("store: key id already exists")
	// ErrKeyInactive: RotateKey was asked to rotate a key that was
	// revoked or already rotated.
	ErrKeyInactive = errors.New("store: key revoked or already rotated")
)

// KeyRecord is one managed API key as stored: who it is for and what it
// may do, and a hash of the key, never the key itself (it is shown once,
// when created). A record is never deleted: a revoked key stays, so that
// its id, name and history remain readable.
type KeyRecord struct {
	// ID is the key's public identifier, unique and part of the key's
	// visible prefix; it is what lists show and commands name.
	ID string `json:"id"`
	// Hash is the SHA-256 of the whole key (32 bytes).
	Hash []byte `json:"-"`
	// Name labels the key in logs and records; Tenant owns its requests
	// ("" for an admin key that sees every tenant).
	Name   string `json:"name,omitempty"`
	Tenant string `json:"tenant,omitempty"`
	// Role is "" for a client key, or the role of an admin key: viewer,
	// operator or admin.
	Role string `json:"role,omitempty"`
	// Routes and Deployments are what the key may ask for; nil means
	// every one. Overrides are the routing overrides it may use; nil
	// means every one, an empty, non-nil list none.
	Routes      []string `json:"routes,omitempty"`
	Deployments []string `json:"deployments,omitempty"`
	Overrides   []string `json:"overrides,omitempty"`
	// RPM, TPM and MaxConcurrent limit requests and tokens per minute and
	// requests at once; zero means no limit of the key's own.
	RPM           int64 `json:"rpm,omitempty"`
	TPM           int64 `json:"tpm,omitempty"`
	MaxConcurrent int64 `json:"max_concurrent,omitempty"`
	// Created is when the key was made, CreatedBy by whom (an admin key's
	// name, or "cli").
	Created   time.Time `json:"created"`
	CreatedBy string    `json:"created_by,omitempty"`
	// Expires is when the key stops working; zero means never. Rotating
	// a key brings it forward to the end of the grace period.
	Expires time.Time `json:"expires,omitzero"`
	// Revoked is when the key was revoked; zero while it was not.
	Revoked time.Time `json:"revoked,omitzero"`
	// RotatedTo is the id of the key that replaced this one; "" if none.
	RotatedTo string `json:"rotated_to,omitempty"`
	// Version counts the changes of the row, from 1 when created.
	Version int64 `json:"-"`
}

// KeyStore keeps the managed API keys. Implementations are safe for
// concurrent use. Lists are ordered by creation time, then id.
type KeyStore interface {
	// CreateKey stores k (Version is set to 1). It returns ErrKeyExists
	// when k.ID is taken.
	CreateKey(ctx context.Context, k *KeyRecord) error
	// GetKey returns the key with id in scope (a key of another tenant is
	// not found), or ErrKeyNotFound.
	GetKey(ctx context.Context, scope Scope, id string) (*KeyRecord, error)
	// ListKeys returns every key in scope, revoked and expired ones
	// included.
	ListKeys(ctx context.Context, scope Scope) ([]*KeyRecord, error)
	// RevokeKey marks the key with id in scope revoked at t; revoking a
	// revoked key keeps its first time and succeeds. It returns
	// ErrKeyNotFound.
	RevokeKey(ctx context.Context, scope Scope, id string, t time.Time) error
	// RotateKey, in one transaction, stores next (as CreateKey) and
	// marks the key with id in scope rotated to it, bringing its expiry
	// forward to graceEnd (unless it expires earlier). It returns
	// ErrKeyNotFound, ErrKeyInactive (the key is revoked or rotated
	// already; nothing is stored) or ErrKeyExists.
	RotateKey(ctx context.Context, scope Scope, id string, next *KeyRecord, graceEnd time.Time) error
	// KeysVersion returns a number that grows with every change to the
	// keys (it sums the rows' versions): a cache polls it and reloads
	// only when it moved.
	KeysVersion(ctx context.Context) (int64, error)
}
