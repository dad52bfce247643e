package openai

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"switchyard/store"
	wireresp "switchyard/wire/responses"
)

// This file holds the conversations of the Conversations API as the
// Responses API uses them: a request made in a conversation
// (conversation) reads its items before routing, and its answer's input
// and output items are added to it before the answer's last bytes, so
// that the next turn, on this router or another sharing the database,
// always finds them.

// ConversationStore keeps the conversations, each the caller's tenant's
// (read from ctx): another tenant's conversation is not found. Its errors
// wrap store.ErrConversationNotFound and store.ErrItemNotFound. It is
// safe for concurrent use. The store sets each conversation's owner and
// times (created, and the expiry each write moves).
type ConversationStore interface {
	// Create stores a new conversation id with metadata (a JSON object)
	// and items, and returns it.
	Create(ctx context.Context, id string, metadata []byte, items []store.ConversationItem) (*store.Conversation, error)
	// Get returns the conversation id.
	Get(ctx context.Context, id string) (*store.Conversation, error)
	// Update replaces the conversation's metadata and returns it.
	Update(ctx context.Context, id string, metadata []byte) (*store.Conversation, error)
	// Delete deletes the conversation id.
	Delete(ctx context.Context, id string) error
	// Append adds items after the conversation's last, and returns once
	// any router sharing the store can read them.
	Append(ctx context.Context, id string, items []store.ConversationItem) error
	// Items returns every item of the conversation, oldest first, and
	// the position after the last (store.ConversationLog).
	Items(ctx context.Context, id string) ([]store.ConversationItem, int64, error)
	// List returns a page of the conversation's items.
	List(ctx context.Context, id string, q store.ItemQuery) (store.ItemPage, error)
	// Item returns the item itemID of the conversation id.
	Item(ctx context.Context, id, itemID string) (*store.ConversationItem, error)
	// DeleteItem erases the item itemID of the conversation id and returns
	// the conversation.
	DeleteItem(ctx context.Context, id, itemID string) (*store.Conversation, error)
}

// ItemFinder is a ConversationStore that finds an item of the caller's
// conversations by its id alone (an item_reference names no
// conversation): store.ErrItemNotFound when none holds it.
type ItemFinder interface {
	FindItem(ctx context.Context, itemID string) (*store.ConversationItem, error)
}

// conversing returns the conversation store when conversations are kept
// now (with the stored responses: responses.store on), or nil.
func (h *Handler) conversing() ConversationStore {
	if h.Conversations == nil || h.storing() == nil {
		return nil
	}
	return h.Conversations
}

// stored returns what the requests of the caller of ctx read their
// earlier turns with: the stored responses of rs and the conversations of
// cs (nil: the parameter is refused), each read bounded by bound.
func stored(ctx context.Context, rs ResponseStore, cs ConversationStore, bound time.Duration) wireresp.Stored {
	s := wireresp.Stored{Previous: loader(ctx, rs, bound)}
	if cs != nil {
		s.Conversation = func(id string) (*wireresp.Prior, error) {
			rctx, cancel := context.WithTimeout(ctx, bound)
			items, next, err := cs.Items(rctx, id)
			cancel()
			switch {
			case errors.Is(err, store.ErrConversationNotFound):
				return nil, wireresp.ConversationNotFound(id, "conversation")
			case err != nil:
				return nil, storeError(err, "The conversation", "The conversation could not be read; send the request again.")
			}
			return &wireresp.Prior{Input: joinConversationItems(items), Position: next}, nil
		}
	}
	if f, ok := cs.(ItemFinder); ok {
		s.Item = func(id string) (json.RawMessage, error) {
			it, err := read(ctx, bound, func(ctx context.Context) (*store.ConversationItem, error) { return f.FindItem(ctx, id) })
			switch {
			case errors.Is(err, store.ErrItemNotFound):
				return nil, nil
			case err != nil:
				return nil, storeError(err, "The conversation item", "The conversation item could not be read; send the request again.")
			}
			return it.Item, nil
		}
	}
	return s
}

// joinConversationItems returns items as one JSON array.
func joinConversationItems(items []store.ConversationItem) []byte {
	size := 2
	for _, it := range items {
		size += len(it.Item) + 1
	}
	out := make([]byte, 1, size)
	out[0] = '['
	for i, it := range items {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, it.Item...)
	}
	return append(out, ']')
}

// keepAnswer adds the items of rr's answer out to the conversation rr is
// made in and stores the response, as meta says, before the answer's
// last bytes; what fails is turned off in meta (the response then says
// "conversation": null, or "store": false). It returns the response
// object as meta says it at the end, written by encode.
func (k keeper) keepAnswer(ctx context.Context, rr *wireresp.Request, meta *wireresp.Meta, out *wireresp.Output, encode func(*wireresp.Meta) []byte) []byte {
	object := encode(meta)
	if meta.Conversation != "" && !addToConversation(ctx, k.cs, k.bound, rr, meta.IDs, out) {
		meta.Conversation = ""
		object = encode(meta)
	}
	if meta.Store && !saveResponse(ctx, k.rs, k.bound, rr, meta, out, object) {
		meta.Store = false
		object = encode(meta)
	}
	return object
}

// addToConversation adds rr's input items and its answer's output items
// to rr's conversation, with the ids the response gives them, and
// reports whether that was done (or there was nothing to add: a failed
// response adds nothing). A client leaving does not cancel it; bound
// bounds it.
func addToConversation(ctx context.Context, cs ConversationStore, bound time.Duration, rr *wireresp.Request, ids wireresp.IDs, out *wireresp.Output) bool {
	if out.Status == wireresp.StatusFailed {
		return true
	}
	input, err := wireresp.StoredInput(rr, ids)
	if err != nil {
		return false
	}
	items, err := wireresp.SplitItems(wireresp.JoinItems(input, wireresp.StoredOutput(out)))
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bound)
	defer cancel()
	return cs.Append(ctx, rr.Conversation, storeItems(items)) == nil
}

// storeItems returns items as the store keeps them.
func storeItems(items []wireresp.StoredItem) []store.ConversationItem {
	out := make([]store.ConversationItem, len(items))
	for i, it := range items {
		out[i] = store.ConversationItem{ID: it.ID, Item: it.JSON}
	}
	return out
}
