package config

import "time"

// This file holds the responses section: whether the Responses API's
// responses created with store true, and the Conversations API's
// conversations, are kept, and for how long
// (docs/responses.md#stored-responses). It may change while the router
// runs: a change applies to the responses stored after it.

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
}

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
	})
}

// responses applies the responses section's defaults and checks it.
func (v *validator) responses() {
	r := &v.c.Responses
	orDuration(&r.Retention, DefaultResponsesRetention)
	orDuration(&r.ConversationRetention, DefaultResponsesRetention)
	v.positive("responses.retention", r.Retention, `how long a stored response is kept, e.g. "720h" (30 days)`)
	v.positive("responses.conversation_retention", r.ConversationRetention, `how long a conversation is kept after its last write, e.g. "720h" (30 days)`)
}
