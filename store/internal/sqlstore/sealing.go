package sqlstore

import (
	"fmt"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file seals the content columns of the stored responses and
// conversations (store.ContentSealer): responses' object, input and
// output, conversations' metadata, conversation_items' item. Each value
// is sealed at its place — table, column, tenant and the row's ids — so
// that a value moved to another row, column or tenant does not open. The
// other columns (ids, tenant, key name, times, status, model, positions)
// stay clear: the queries need them.

// SealWith implements store.ContentSealer.
func (b *Backend) SealWith(keys *seal.Keys) { b.keys.Store(keys) }

// sealing returns the keys a statement seals and opens with (nil: none).
func (b *Backend) sealing() *seal.Keys { return b.keys.Load() }

// responsePlace is the place of a stored response's column.
func responsePlace(column, tenant, id string) []byte {
	return seal.Place("responses", column, tenant, id)
}

// metadataPlace is the place of a conversation's metadata.
func metadataPlace(tenant, id string) []byte {
	return seal.Place("conversations", "metadata", tenant, id)
}

// itemPlace is the place of the item itemID of the conversation id.
func itemPlace(tenant, id, itemID string) []byte {
	return seal.Place("conversation_items", "item", tenant, id, itemID)
}

// sealResponse returns r's object, input and output sealed with k.
func sealResponse(k *seal.Keys, r *store.Response) (object, input, output []byte) {
	return k.Seal(r.Object, responsePlace("object", r.Tenant, r.ID)),
		k.Seal(r.Input, responsePlace("input", r.Tenant, r.ID)),
		k.Seal(r.Output, responsePlace("output", r.Tenant, r.ID))
}

// openResponse opens r's object, input and output in place.
func (b *Backend) openResponse(k *seal.Keys, r *store.Response) error {
	for _, c := range []struct {
		name string
		v    *[]byte
	}{{"object", &r.Object}, {"input", &r.Input}, {"output", &r.Output}} {
		v, err := k.Open(*c.v, responsePlace(c.name, r.Tenant, r.ID))
		if err != nil {
			return b.unreadable("response "+r.ID+" "+c.name, err)
		}
		*c.v = v
	}
	return nil
}

// openConversation opens c's metadata in place.
func (b *Backend) openConversation(k *seal.Keys, c *store.Conversation) error {
	v, err := k.Open(c.Metadata, metadataPlace(c.Tenant, c.ID))
	if err != nil {
		return b.unreadable("conversation "+c.ID+" metadata", err)
	}
	c.Metadata = v
	return nil
}

// openItem opens the item it of the conversation id of tenant in place.
func (b *Backend) openItem(k *seal.Keys, tenant, id string, it *store.ConversationItem) error {
	v, err := k.Open(it.Item, itemPlace(tenant, id, it.ID))
	if err != nil {
		return b.unreadable("conversation "+id+" item "+it.ID, err)
	}
	it.Item = v
	return nil
}

// sealItems returns items with each item sealed with k at its place in
// the conversation id of tenant (items itself when k is nil).
func sealItems(k *seal.Keys, tenant, id string, items []store.ConversationItem) []store.ConversationItem {
	if k == nil {
		return items
	}
	out := make([]store.ConversationItem, len(items))
	for i, it := range items {
		out[i] = store.ConversationItem{ID: it.ID, Item: k.Seal(it.Item, itemPlace(tenant, id, it.ID))}
	}
	return out
}

// unreadable is the error of a value at what that did not open (err):
// store.ErrUnreadable and err, never the value.
func (b *Backend) unreadable(what string, err error) error {
	return fmt.Errorf("%s: %s: %w: %w", b.d.Name, what, store.ErrUnreadable, err)
}
