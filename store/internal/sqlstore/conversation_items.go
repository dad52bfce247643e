package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"switchyard/store"
)

// This file holds the statements of a conversation's items: each is a
// row at its position (seq) in the conversation, so that adding items
// writes only them; the conversation's next_seq, moved in the same
// transaction, orders the appends (on PostgreSQL its row lock makes
// them wait for each other).

// itemColumns is the width of an item row.
const itemColumns = 4

// insertItems inserts items (sealed already) at positions from seq on,
// in the conversation id, on c.
func (b *Backend) insertItems(ctx context.Context, c Conn, id string, seq int64, items []store.ConversationItem) error {
	per := b.perInsert(itemColumns)
	for start := 0; start < len(items); start += per {
		chunk := items[start:min(start+per, len(items))]
		rows := make([]string, len(chunk))
		args := make([]any, 0, itemColumns*len(chunk))
		for i, it := range chunk {
			rows[i] = "(" + placeholders(b.d.Placeholder, len(args)+1, itemColumns) + ")"
			args = append(args, id, seq+int64(start+i), it.ID, it.Item)
		}
		q := "INSERT INTO conversation_items (conversation, seq, id, item) VALUES " + strings.Join(rows, ", ")
		if _, err := c.Exec(ctx, q, b.storable(args)...); err != nil {
			return b.errorf("add conversation items", err)
		}
	}
	return nil
}

// AppendItems implements store.ConversationLog: the conversation's
// next_seq is moved past the items, which take the positions before it,
// in one transaction.
func (b *Backend) AppendItems(ctx context.Context, scope store.Scope, id string, items []store.ConversationItem, expires, now time.Time) error {
	ph := b.d.Placeholder
	where, args := liveConversation(scope, id, now, ph, int64(len(items)), expires.UnixNano())
	q := "UPDATE conversations SET next_seq = next_seq + " + ph(1) + ", expires_ns = " + ph(2) + where + " RETURNING next_seq, tenant"
	k := b.sealing()
	return b.tx(ctx, "add conversation items", func(c Conn) error {
		var (
			next   int64
			tenant string
		)
		err := c.QueryRow(ctx, q, args...)(&next, &tenant)
		switch {
		case errors.Is(err, ErrNoRow):
			return store.ErrConversationNotFound
		case err != nil:
			return b.errorf("add conversation items", err)
		}
		return b.insertItems(ctx, c, id, next-int64(len(items)), sealItems(k, tenant, id, items))
	})
}

// ConversationItems implements store.ConversationLog.
func (b *Backend) ConversationItems(ctx context.Context, scope store.Scope, id string, now time.Time) ([]store.ConversationItem, int64, error) {
	tenant, err := b.liveTenant(ctx, scope, id, now)
	if err != nil {
		return nil, 0, err
	}
	k, ph := b.sealing(), b.d.Placeholder
	var (
		items []store.ConversationItem
		next  int64
	)
	err = b.each(ctx, "conversation items", "SELECT seq, id, item FROM conversation_items WHERE conversation = "+ph(1)+" ORDER BY seq", []any{id}, func(rows Rows) error {
		var it store.ConversationItem
		if err := rows.Scan(&next, &it.ID, &it.Item); err != nil {
			return b.errorf("conversation items", err)
		}
		next++
		items = append(items, it)
		return b.openItem(k, tenant, id, &items[len(items)-1])
	})
	if err != nil {
		return nil, 0, err
	}
	return items, next, nil
}

// ListItems implements store.ConversationLog.
func (b *Backend) ListItems(ctx context.Context, scope store.Scope, id string, q store.ItemQuery, now time.Time) (store.ItemPage, error) {
	tenant, err := b.liveTenant(ctx, scope, id, now)
	if err != nil {
		return store.ItemPage{}, err
	}
	ph := b.d.Placeholder
	cond, order, args := "", "ASC", []any{id}
	if q.Desc {
		order = "DESC"
	}
	if q.After != "" {
		var seq int64
		err := b.read.QueryRow(ctx, "SELECT seq FROM conversation_items WHERE conversation = "+ph(1)+" AND id = "+ph(2), id, q.After)(&seq)
		switch {
		case errors.Is(err, ErrNoRow):
			return store.ItemPage{}, store.ErrItemNotFound
		case err != nil:
			return store.ItemPage{}, b.errorf("list conversation items", err)
		}
		cond, args = " AND seq > "+ph(2), append(args, seq)
		if q.Desc {
			cond = " AND seq < " + ph(2)
		}
	}
	sql := fmt.Sprintf("SELECT id, item FROM conversation_items WHERE conversation = %s%s ORDER BY seq %s LIMIT %d", ph(1), cond, order, q.Limit+1)
	items, err := collect(ctx, b, "list conversation items", sql, args, scanItem)
	if err != nil {
		return store.ItemPage{}, err
	}
	k := b.sealing()
	for i := range items {
		if err := b.openItem(k, tenant, id, &items[i]); err != nil {
			return store.ItemPage{}, err
		}
	}
	if len(items) > q.Limit {
		return store.ItemPage{Items: items[:q.Limit], HasMore: true}, nil
	}
	return store.ItemPage{Items: items}, nil
}

// scanItem reads an item's id and item.
func scanItem(scan func(dest ...any) error) (store.ConversationItem, error) {
	var it store.ConversationItem
	err := scan(&it.ID, &it.Item)
	return it, err
}

// GetItem implements store.ConversationLog.
func (b *Backend) GetItem(ctx context.Context, scope store.Scope, id, itemID string, now time.Time) (*store.ConversationItem, error) {
	tenant, err := b.liveTenant(ctx, scope, id, now)
	if err != nil {
		return nil, err
	}
	ph := b.d.Placeholder
	it, err := scanItem(b.read.QueryRow(ctx, "SELECT id, item FROM conversation_items WHERE conversation = "+ph(1)+" AND id = "+ph(2), id, itemID))
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrItemNotFound
	case err != nil:
		return nil, b.errorf("get conversation item", err)
	}
	if err := b.openItem(b.sealing(), tenant, id, &it); err != nil {
		return nil, err
	}
	return &it, nil
}

// DeleteItem implements store.ConversationLog: the conversation is moved
// (its expiry) and the item erased in one transaction.
func (b *Backend) DeleteItem(ctx context.Context, scope store.Scope, id, itemID string, expires, now time.Time) (*store.Conversation, error) {
	ph := b.d.Placeholder
	where, args := liveConversation(scope, id, now, ph, expires.UnixNano())
	q := "UPDATE conversations SET expires_ns = " + ph(1) + where + " RETURNING " + conversationColumns
	var conv *store.Conversation
	err := b.tx(ctx, "delete conversation item", func(c Conn) error {
		var err error
		conv, err = scanConversation(c.QueryRow(ctx, q, args...))
		switch {
		case errors.Is(err, ErrNoRow):
			return store.ErrConversationNotFound
		case err != nil:
			return b.errorf("delete conversation item", err)
		}
		n, err := c.Exec(ctx, "DELETE FROM conversation_items WHERE conversation = "+ph(1)+" AND id = "+ph(2), id, itemID)
		switch {
		case err != nil:
			return b.errorf("delete conversation item", err)
		case n == 0:
			return store.ErrItemNotFound
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Opened once the item is erased: a metadata that does not open
	// fails the answer, not the erasure.
	if err := b.openConversation(b.sealing(), conv); err != nil {
		return nil, err
	}
	return conv, nil
}

// conversationPrefix returns, as a JSON array, the items of the
// conversation id of tenant before position seq, oldest first, whether
// the conversation is live or only kept for its responses.
func (b *Backend) conversationPrefix(ctx context.Context, tenant, id string, seq int64) ([]byte, error) {
	ph := b.d.Placeholder
	q := "SELECT i.id, i.item FROM conversation_items i JOIN conversations c ON c.id = i.conversation" +
		" WHERE c.id = " + ph(1) + " AND c.tenant = " + ph(2) + " AND i.seq < " + ph(3) + " ORDER BY i.seq"
	k, out := b.sealing(), []byte{'['}
	err := b.each(ctx, "conversation of a response", q, []any{id, tenant, seq}, func(rows Rows) error {
		var it store.ConversationItem
		if err := rows.Scan(&it.ID, &it.Item); err != nil {
			return b.errorf("conversation of a response", err)
		}
		if err := b.openItem(k, tenant, id, &it); err != nil {
			return err
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, it.Item...)
		return nil
	})
	return append(out, ']'), err
}

// FindItem implements store.ConversationItemFinder: the item of that id
// among the live conversations of the scope (index
// conversation_items_item_id), opened at its conversation's tenant.
func (b *Backend) FindItem(ctx context.Context, scope store.Scope, itemID string, now time.Time) (*store.ConversationItem, string, error) {
	ph := b.d.Placeholder
	q := query{ph: ph, args: []any{itemID}}
	q.scope(scope)
	q.where("expires_ns > %s", now.UnixNano())
	q.conds = append(q.conds, "deleted_ns = 0")
	var conv string
	var it store.ConversationItem
	err := b.read.QueryRow(ctx, "SELECT conversation, id, item FROM conversation_items WHERE id = "+ph(1)+
		" AND conversation IN (SELECT id FROM conversations"+q.clause()+") LIMIT 1", q.args...)(&conv, &it.ID, &it.Item)
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, "", store.ErrItemNotFound
	case err != nil:
		return nil, "", b.errorf("find conversation item", err)
	}
	tenant, err := b.liveTenant(ctx, scope, conv, now)
	if errors.Is(err, store.ErrConversationNotFound) {
		return nil, "", store.ErrItemNotFound // deleted meanwhile
	} else if err != nil {
		return nil, "", err
	}
	if err := b.openItem(b.sealing(), tenant, conv, &it); err != nil {
		return nil, "", err
	}
	return &it, conv, nil
}
