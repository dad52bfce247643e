package config

import (
	"fmt"
	"slices"
	"time"

	"switchyard/store/seal"
)

// This file holds the responses section: whether the Responses API's
// responses created with store true, and the Conversations API's
// conversations, are kept, for how long, sealed with what keys and masked
// how (docs/responses.md#stored-responses). It may change while the
// router runs, but for encryption: a change applies to the responses
// stored after it.

// Responses configures the stored responses of the Responses API. They
// are kept in the request store (the store section), so with store.driver
// none no response is kept whatever Store says.
type Responses struct {
	// Store says whether a response created with store true (the API's
	// default) is kept, for previous_response_id and GET and DELETE
	// /v1/responses/{id}; nil means it is (StoreOn).
	Store *bool
	// Retention is how long a stored response is kept (720h, 30 days).
	Retention time.Duration
	// ConversationRetention is how long a conversation (the Conversations
	// API) is kept after it was last written to (720h, 30 days): each
	// write moves its expiry.
	ConversationRetention time.Duration
	// Encryption seals the stored content at rest; the zero value keeps
	// it clear. Only a restart changes it.
	Encryption Encryption
	// Redact is what is masked in the content stored: RedactNone (the
	// default), RedactSecrets or RedactAll.
	Redact string
}

// Encryption is the keys of the stored content's encryption at rest
// (store.ContentSealer; docs/security.md#encryption-at-rest). Each is 32
// bytes written as base64 or as 64 hex digits (seal.ParseKey), a secret:
// masked in GET /admin/config, never in errors or logs.
type Encryption struct {
	// Key is the key new content is sealed under; "" seals nothing.
	Key string
	// PreviousKeys open the content sealed under earlier keys (after a
	// rotation, or with Key "" once encryption is turned off).
	PreviousKeys []string
}

// On reports whether any key is set: stored content is then sealed
// (with Key) or opened (with PreviousKeys).
func (e *Encryption) On() bool { return e.Key != "" || len(e.PreviousKeys) > 0 }

// Keys returns the keys e sets, nil when it sets none. It fails only for
// keys that did not validate.
func (e *Encryption) Keys() (*seal.Keys, error) {
	if !e.On() {
		return nil, nil
	}
	var current []byte
	if e.Key != "" {
		k, err := seal.ParseKey(e.Key)
		if err != nil {
			return nil, fmt.Errorf("responses.encryption.key: %w", err)
		}
		current = k
	}
	previous := make([][]byte, len(e.PreviousKeys))
	for i, s := range e.PreviousKeys {
		k, err := seal.ParseKey(s)
		if err != nil {
			return nil, fmt.Errorf("responses.encryption.previous_keys[%d]: %w", i, err)
		}
		previous[i] = k
	}
	return seal.New(current, previous...)
}

// What responses.redact masks in the content stored.
const (
	RedactNone    = "none"
	RedactSecrets = "secrets"
	RedactAll     = "all"
)

var responsesRedact = []string{RedactNone, RedactSecrets, RedactAll}

// DefaultResponsesRetention is how long a stored response is kept unless
// the responses section says otherwise.
const DefaultResponsesRetention = 30 * 24 * time.Hour

// StoreOn reports whether responses created with store true are kept
// (when the request store is on: Store.Enabled).
func (r *Responses) StoreOn() bool { return r.Store == nil || *r.Store }

func (d *decoder) responses(e entry, r *Responses) {
	d.object(e.node, e.path, []field{
		{"store", func(e entry) { r.Store = d.boolean(e) }},
		{"retention", func(e entry) { d.duration(e, &r.Retention, true) }},
		{"conversation_retention", func(e entry) { d.duration(e, &r.ConversationRetention, true) }},
		{"encryption", func(e entry) {
			d.object(e.node, e.path, []field{
				{"key", func(e entry) { d.secretStr(e, "", &r.Encryption.Key) }},
				{"previous_keys", func(e entry) { r.Encryption.PreviousKeys = d.secretList(e, `["${SWITCHYARD_RESPONSES_KEY_2025}"]`) }},
			})
		}},
		{"redact", func(e entry) { d.str(e, &r.Redact) }},
	})
}

// responses applies the responses section's defaults and checks it.
func (v *validator) responses() {
	r := &v.c.Responses
	orDuration(&r.Retention, DefaultResponsesRetention)
	orDuration(&r.ConversationRetention, DefaultResponsesRetention)
	v.positive("responses.retention", r.Retention, `how long a stored response is kept, e.g. "720h" (30 days)`)
	v.positive("responses.conversation_retention", r.ConversationRetention, `how long a conversation is kept after its last write, e.g. "720h" (30 days)`)
	if r.Redact == "" {
		r.Redact = RedactNone
	}
	if !slices.Contains(responsesRedact, r.Redact) {
		v.add("responses.redact", fmt.Sprintf("unknown value %q", r.Redact), choices(r.Redact, "valid values", responsesRedact))
	}
	v.encryption(&r.Encryption)
}

// keyHint says how to write a key of responses.encryption.
const keyHint = "generate one with `openssl rand -base64 32` and pass it by reference, e.g. key: ${SWITCHYARD_RESPONSES_KEY}"

// encryption checks the keys of responses.encryption: each a key, each
// once.
func (v *validator) encryption(e *Encryption) {
	const path = "responses.encryption"
	var seen []seal.KeyID
	check := func(p, s string) {
		k, err := seal.ParseKey(s)
		if err != nil {
			v.add(p, err.Error(), keyHint)
			return
		}
		if id := seal.IDOf(k); slices.Contains(seen, id) {
			v.add(p, "is the same key as one before it in "+path, "list each key once: the current one in key, the earlier ones in previous_keys")
		} else {
			seen = append(seen, id)
		}
	}
	if e.Key != "" {
		check(path+".key", e.Key)
	}
	for i, s := range e.PreviousKeys {
		check(fmt.Sprintf("%s.previous_keys[%d]", path, i), s)
	}
}
