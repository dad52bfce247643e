package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"switchyard/store"
)

// This file holds the statements of the conversations
// (store.ConversationLog) that concern a conversation's row: creating,
// reading, updating, deleting and erasing it; its items are in
// conversation_items.go. A deleted conversation keeps a tombstone
// (deleted_ns) while a stored response made in it is kept.

// conversationColumns are the conversations table's columns that
// scanConversation reads, in its order.
const conversationColumns = "id, tenant, key_name, created_ns, expires_ns, metadata"

// deadConversation is the condition of a conversation, of the table or
// alias %[2]s, expired at the time %[1]s or deleted.
const deadConversation = "(%[2]s.expires_ns <= %[1]s OR %[2]s.deleted_ns <> 0)"

// unreferenced is the condition of a conversation, of the table or alias
// %[1]s, in which no stored response kept was made.
const unreferenced = "NOT EXISTS (SELECT 1 FROM responses r WHERE r.conversation = %[1]s.id AND r.tenant = %[1]s.tenant)"

// liveConversation returns the condition of the live conversation (not
// expired at now, not deleted) id in scope, and its arguments after
// before's.
func liveConversation(s store.Scope, id string, now time.Time, ph Placeholder, before ...any) (string, []any) {
	q := query{ph: ph, args: before}
	q.where("id = %s", id)
	q.scope(s)
	q.where("expires_ns > %s", now.UnixNano())
	q.conds = append(q.conds, "deleted_ns = 0")
	return q.clause(), q.args
}

// scanConversation reads a row of conversationColumns.
func scanConversation(scan func(dest ...any) error) (*store.Conversation, error) {
	var (
		c                store.Conversation
		created, expires int64
	)
	if err := scan(&c.ID, &c.Tenant, &c.KeyName, &created, &expires, &c.Metadata); err != nil {
		return nil, err
	}
	c.Created, c.Expires = time.Unix(0, created).UTC(), time.Unix(0, expires).UTC()
	return &c, nil
}

// CreateConversation implements store.ConversationLog: the row and its
// items in one transaction.
func (b *Backend) CreateConversation(ctx context.Context, c *store.Conversation, items []store.ConversationItem) error {
	ph := b.d.Placeholder
	q := "INSERT INTO conversations (id, tenant, key_name, created_ns, expires_ns, next_seq, metadata) VALUES (" +
		ph(1) + ", " + ph(2) + ", " + ph(3) + ", " + ph(4) + ", " + ph(5) + ", " + ph(6) + ", " + ph(7) + ")"
	k := b.sealing()
	v := b.storable([]any{c.ID, c.Tenant, c.KeyName, c.Created.UnixNano(), c.Expires.UnixNano(), int64(len(items)), k.Seal(c.Metadata, metadataPlace(c.Tenant, c.ID))})
	return b.tx(ctx, "create conversation", func(tx Conn) error {
		if _, err := tx.Exec(ctx, q, v...); err != nil {
			return b.errorf("create conversation", err)
		}
		return b.insertItems(ctx, tx, c.ID, 0, sealItems(k, c.Tenant, c.ID, items))
	})
}

// GetConversation implements store.ConversationLog.
func (b *Backend) GetConversation(ctx context.Context, scope store.Scope, id string, now time.Time) (*store.Conversation, error) {
	return b.getConversation(ctx, b.read, scope, id, now)
}

// getConversation reads the live conversation id in scope on c.
func (b *Backend) getConversation(ctx context.Context, c Conn, scope store.Scope, id string, now time.Time) (*store.Conversation, error) {
	where, args := liveConversation(scope, id, now, b.d.Placeholder)
	conv, err := scanConversation(c.QueryRow(ctx, "SELECT "+conversationColumns+" FROM conversations"+where, args...))
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrConversationNotFound
	case err != nil:
		return nil, b.errorf("get conversation", err)
	}
	if err := b.openConversation(b.sealing(), conv); err != nil {
		return nil, err
	}
	return conv, nil
}

// liveTenant returns the tenant of the live conversation id in scope, or
// store.ErrConversationNotFound, reading nothing sealed.
func (b *Backend) liveTenant(ctx context.Context, scope store.Scope, id string, now time.Time) (string, error) {
	where, args := liveConversation(scope, id, now, b.d.Placeholder)
	var tenant string
	err := b.read.QueryRow(ctx, "SELECT tenant FROM conversations"+where, args...)(&tenant)
	switch {
	case errors.Is(err, ErrNoRow):
		return "", store.ErrConversationNotFound
	case err != nil:
		return "", b.errorf("get conversation", err)
	}
	return tenant, nil
}

// UpdateConversation implements store.ConversationLog: the metadata is
// sealed at the conversation's tenant, the scope's or, for every
// tenant's scope, the one read first.
func (b *Backend) UpdateConversation(ctx context.Context, scope store.Scope, id string, metadata []byte, expires, now time.Time) (*store.Conversation, error) {
	tenant := scope.Tenant
	if scope.All {
		var err error
		if tenant, err = b.liveTenant(ctx, scope, id, now); err != nil {
			return nil, err
		}
		scope = store.TenantScope(tenant)
	}
	k, ph := b.sealing(), b.d.Placeholder
	where, args := liveConversation(scope, id, now, ph, k.Seal(metadata, metadataPlace(tenant, id)), expires.UnixNano())
	q := "UPDATE conversations SET metadata = " + ph(1) + ", expires_ns = " + ph(2) + where + " RETURNING " + conversationColumns
	conv, err := scanConversation(b.one.QueryRow(ctx, q, b.storable(args)...))
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrConversationNotFound
	case err != nil:
		return nil, b.errorf("update conversation", err)
	}
	if err := b.openConversation(k, conv); err != nil {
		return nil, err
	}
	return conv, nil
}

// DeleteConversation implements store.ConversationLog: the conversation
// becomes a tombstone, its metadata emptied, then it and its items are
// erased unless a stored response made in it is kept, in one transaction
// holding the chains' lock (no response made in it is saved meanwhile).
func (b *Backend) DeleteConversation(ctx context.Context, scope store.Scope, id string, now time.Time) error {
	return b.tx(ctx, "delete conversation", func(c Conn) error {
		if err := lockChains(ctx, c, b.d.EraseChains); err != nil {
			return b.errorf("delete conversation", err)
		}
		ph := b.d.Placeholder
		where, args := liveConversation(scope, id, now, ph, max(now.UnixNano(), 1), []byte("{}"))
		n, err := c.Exec(ctx, "UPDATE conversations SET deleted_ns = "+ph(1)+", metadata = "+ph(2)+where, args...)
		switch {
		case err != nil:
			return b.errorf("delete conversation", err)
		case n == 0:
			return store.ErrConversationNotFound
		}
		q := "DELETE FROM conversations WHERE id = " + ph(1) + " AND " + fmt.Sprintf(unreferenced, "conversations") + " RETURNING id"
		_, err = b.eraseConversations(ctx, c, q, []any{id})
		return err
	})
}

// DeleteExpiredConversations implements store.ConversationLog, in a
// transaction holding the chains' lock.
func (b *Backend) DeleteExpiredConversations(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := b.tx(ctx, "delete expired conversations", func(c Conn) error {
		if err := lockChains(ctx, c, b.d.EraseChains); err != nil {
			return b.errorf("delete expired conversations", err)
		}
		q := "DELETE FROM conversations WHERE " + fmt.Sprintf(deadConversation, b.d.Placeholder(1), "conversations") +
			" AND " + fmt.Sprintf(unreferenced, "conversations") + " RETURNING id"
		var err error
		n, err = b.eraseConversations(ctx, c, q, []any{now.UnixNano()})
		return err
	})
	return n, err
}

// eraseConversations runs q, which deletes conversations returning their
// ids, then erases their items, and returns how many it deleted. The
// rows deleted first stay locked until the transaction ends, so that no
// item is added to them meanwhile.
func (b *Backend) eraseConversations(ctx context.Context, c Conn, q string, args []any) (int64, error) {
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		return 0, b.errorf("erase conversations", err)
	}
	var ids []any
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, b.errorf("erase conversations", err)
		}
		ids = append(ids, id)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return 0, b.errorf("erase conversations", err)
	}
	for start := 0; start < len(ids); start += b.d.MaxParams {
		chunk := ids[start:min(start+b.d.MaxParams, len(ids))]
		if _, err := c.Exec(ctx, "DELETE FROM conversation_items WHERE conversation IN ("+placeholders(b.d.Placeholder, 1, len(chunk))+")", chunk...); err != nil {
			return 0, b.errorf("erase conversation items", err)
		}
	}
	return int64(len(ids)), nil
}

// placeholders returns n placeholders from the from-th, comma-separated.
func placeholders(ph Placeholder, from, n int) string {
	out := make([]byte, 0, 4*n)
	for i := range n {
		if i > 0 {
			out = append(out, ", "...)
		}
		out = append(out, ph(from+i)...)
	}
	return string(out)
}
