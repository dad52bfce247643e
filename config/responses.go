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
	// Background runs the responses created with background true. Only a
	// restart changes it.
	Background Background
	// ChatCompletions says whether and how long the Chat Completions
	// created with store true are kept; Encryption and Redact apply to
	// them too.
	ChatCompletions ChatCompletions
	// HostedTools is the routes' default hosted_tools (Route.HostedTools),
	// which also applies to a deployment named directly:
	// HostedToolsRefuse (empty too) or HostedToolsDropOptional.
	HostedTools string
}

// ChatCompletions configures the stored Chat Completions
// (docs/chat-completions-store.md): a chat completion created with store
// true is kept in the request store, for GET /v1/chat/completions and
// its siblings.
type ChatCompletions struct {
	// Store says whether a chat completion created with store true is
	// kept; nil means it is (StoreOn). When off, store true is accepted
	// and nothing is kept.
	Store *bool
	// Retention is how long a stored chat completion is kept (720h, 30
	// days).
	Retention time.Duration
}

// StoreOn reports whether chat completions created with store true are
// kept (when the request store is on).
func (c *ChatCompletions) StoreOn() bool { return c.Store == nil || *c.Store }

// Background configures the background responses
// (docs/responses.md#background-responses): each is stored at once,
// queued, and run by a bounded pool of workers in the router that took
// it, which holds a lease on it in the store while it runs.
type Background struct {
	// Enabled says whether background true is served (when responses are
	// stored); nil means it is (On).
	Enabled *bool
	// MaxConcurrent is how many background responses the router runs at
	// once (16).
	MaxConcurrent int
	// MaxQueued is how many more wait for a worker (256); a request past
	// that is refused with 429.
	MaxQueued int
	// Timeout bounds one background response's run, queue time excluded
	// (1h); past it, the response fails.
	Timeout time.Duration
	// Lease is how long a router holds a background response without
	// renewing it (30s); it renews it every third of that. Any router
	// fails a response whose lease ended (its router stopped), and a
	// cancel made on another router reaches the runner at its next
	// renewal.
	Lease time.Duration
	// EventsRetention is how long a streamed background response's events
	// are kept, from its creation, once it ended (24h): a stream can be
	// resumed until then; the response itself is kept for Retention.
	EventsRetention time.Duration
}

// The defaults of responses.background.
const (
	DefaultBackgroundConcurrent = 16
	DefaultBackgroundQueued     = 256
	DefaultBackgroundTimeout    = time.Hour
	DefaultBackgroundLease      = 30 * time.Second
	DefaultBackgroundEvents     = 24 * time.Hour
)

// On reports whether background responses are served (when responses
// are stored: Responses.StoreOn and a request store).
func (b *Background) On() bool { return b.Enabled == nil || *b.Enabled }

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
		{"hosted_tools", func(e entry) { d.str(e, &r.HostedTools) }},
		{"background", func(e entry) { d.background(e, &r.Background) }},
		{"chat_completions", func(e entry) {
			d.object(e.node, e.path, []field{
				{"store", func(e entry) { r.ChatCompletions.Store = d.boolean(e) }},
				{"retention", func(e entry) { d.duration(e, &r.ChatCompletions.Retention, true) }},
			})
		}},
	})
}

func (d *decoder) background(e entry, b *Background) {
	d.object(e.node, e.path, []field{
		{"enabled", func(e entry) { b.Enabled = d.boolean(e) }},
		{"max_concurrent", func(e entry) { d.intField(e, &b.MaxConcurrent, "how many background responses run at once, e.g. 16") }},
		{"max_queued", func(e entry) {
			d.intField(e, &b.MaxQueued, "how many background responses may wait for a worker, e.g. 256")
		}},
		{"timeout", func(e entry) { d.duration(e, &b.Timeout, true) }},
		{"lease", func(e entry) { d.duration(e, &b.Lease, true) }},
		{"events_retention", func(e entry) { d.duration(e, &b.EventsRetention, true) }},
	})
}

// responses applies the responses section's defaults and checks it.
func (v *validator) responses() {
	r := &v.c.Responses
	orDuration(&r.Retention, DefaultResponsesRetention)
	orDuration(&r.ConversationRetention, DefaultResponsesRetention)
	v.positive("responses.retention", r.Retention, `how long a stored response is kept, e.g. "720h" (30 days)`)
	v.positive("responses.conversation_retention", r.ConversationRetention, `how long a conversation is kept after its last write, e.g. "720h" (30 days)`)
	orDuration(&r.ChatCompletions.Retention, DefaultResponsesRetention)
	v.positive("responses.chat_completions.retention", r.ChatCompletions.Retention, `how long a stored chat completion is kept, e.g. "720h" (30 days)`)
	if r.Redact == "" {
		r.Redact = RedactNone
	}
	if !slices.Contains(responsesRedact, r.Redact) {
		v.add("responses.redact", fmt.Sprintf("unknown value %q", r.Redact), choices(r.Redact, "valid values", responsesRedact))
	}
	v.encryption(&r.Encryption)
	v.background(&r.Background)
	v.hostedTools("responses.hosted_tools", r.HostedTools)
}

// background applies responses.background's defaults and checks it.
func (v *validator) background(b *Background) {
	const path = "responses.background"
	orInt(&b.MaxConcurrent, DefaultBackgroundConcurrent)
	orInt(&b.MaxQueued, DefaultBackgroundQueued)
	orDuration(&b.Timeout, DefaultBackgroundTimeout)
	orDuration(&b.Lease, DefaultBackgroundLease)
	orDuration(&b.EventsRetention, DefaultBackgroundEvents)
	if b.MaxConcurrent < 1 || b.MaxConcurrent > 4096 {
		v.add(path+".max_concurrent", fmt.Sprintf("must be between 1 and 4096, got %d", b.MaxConcurrent), "how many background responses run at once, e.g. 16")
	}
	if b.MaxQueued < 0 || b.MaxQueued > 100000 {
		v.add(path+".max_queued", fmt.Sprintf("must be between 0 and 100000, got %d", b.MaxQueued), "how many background responses may wait for a worker, e.g. 256")
	}
	v.positive(path+".timeout", b.Timeout, `how long one background response may run, e.g. "1h"`)
	v.positive(path+".events_retention", b.EventsRetention, `how long a streamed background response's events are kept, e.g. "24h"`)
	if b.Lease < 3*time.Second {
		v.add(path+".lease", "must be at least 3s, got "+b.Lease.String(), `how long a router holds a background response between renewals, e.g. "30s" (it renews every third of it)`)
	}
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
