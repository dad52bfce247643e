package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file holds the statements of the stored chat completions
// (store.ChatCompletionLog): one row each, its object, messages and
// metadata sealed at their place when the store has keys, and its
// metadata's pairs in the blind index (chatindex.go), written and erased
// with it. Lists are in chatlist.go.

// chatColumns are the chat_completions table's columns that
// scanChatCompletion reads, in its order.
const chatColumns = "id, tenant, key_name, created_ns, expires_ns, model, object, messages, metadata"

// saveChat stores a completion, replacing one of the same id of the same
// tenant only: an id another tenant holds is left as it is.
const saveChat = "INSERT INTO chat_completions (" + chatColumns + ", metadata_indexed) VALUES (%s, TRUE)" +
	" ON CONFLICT (id) DO UPDATE SET key_name = excluded.key_name, created_ns = excluded.created_ns," +
	" expires_ns = excluded.expires_ns, model = excluded.model, object = excluded.object," +
	" messages = excluded.messages, metadata = excluded.metadata, metadata_indexed = TRUE WHERE chat_completions.tenant = excluded.tenant"

// chatPlace is the place of a stored chat completion's column.
func chatPlace(column, tenant, id string) []byte {
	return seal.Place("chat_completions", column, tenant, id)
}

// liveChat returns the condition of the live completion id in scope, and
// its arguments after before's.
func liveChat(s store.Scope, id string, now time.Time, ph Placeholder, before ...any) (string, []any) {
	q := query{ph: ph, args: before}
	q.where("id = %s", id)
	q.scope(s)
	q.where("expires_ns > %s", now.UnixNano())
	return q.clause(), q.args
}

// scanChatCompletion reads a row of chatColumns.
func scanChatCompletion(scan func(dest ...any) error) (*store.ChatCompletion, error) {
	var (
		c                store.ChatCompletion
		created, expires int64
	)
	if err := scan(&c.ID, &c.Tenant, &c.KeyName, &created, &expires, &c.Model, &c.Object, &c.Messages, &c.Metadata); err != nil {
		return nil, err
	}
	c.Created, c.Expires = time.Unix(0, created).UTC(), time.Unix(0, expires).UTC()
	return &c, nil
}

// openChat opens c's object, messages and metadata in place.
func (b *Backend) openChat(k *seal.Keys, c *store.ChatCompletion) error {
	for _, col := range []struct {
		name string
		v    *[]byte
	}{{"object", &c.Object}, {"messages", &c.Messages}, {"metadata", &c.Metadata}} {
		v, err := k.Open(*col.v, chatPlace(col.name, c.Tenant, c.ID))
		if err != nil {
			return b.unreadable("chat completion "+c.ID+" "+col.name, err)
		}
		*col.v = v
	}
	return nil
}

// SaveChatCompletion implements store.ChatCompletionLog: the completion
// and its metadata's index in one transaction.
func (b *Backend) SaveChatCompletion(ctx context.Context, c *store.ChatCompletion) error {
	k := b.sealing()
	metadata := k.Seal(c.Metadata, chatPlace("metadata", c.Tenant, c.ID))
	v := b.storable([]any{c.ID, c.Tenant, c.KeyName, c.Created.UnixNano(), c.Expires.UnixNano(), c.Model,
		k.Seal(c.Object, chatPlace("object", c.Tenant, c.ID)),
		k.Seal(c.Messages, chatPlace("messages", c.Tenant, c.ID)), metadata})
	return b.tx(ctx, "save chat completion", func(tx Conn) error {
		n, err := tx.Exec(ctx, fmt.Sprintf(saveChat, placeholders(b.d.Placeholder, 1, len(v))), v...)
		switch {
		case err != nil:
			return b.errorf("save chat completion", err)
		case n == 0: // the id is another tenant's: left as it is
			return nil
		}
		return b.writeChatPairs(ctx, tx, k, c.Tenant, c.ID, c.Created.UnixNano(), metadata, c.Metadata)
	})
}

// GetChatCompletion implements store.ChatCompletionLog.
func (b *Backend) GetChatCompletion(ctx context.Context, scope store.Scope, id string, now time.Time) (*store.ChatCompletion, error) {
	return b.getChat(ctx, b.read, scope, id, now)
}

// getChat reads the live completion id in scope on c.
func (b *Backend) getChat(ctx context.Context, c Conn, scope store.Scope, id string, now time.Time) (*store.ChatCompletion, error) {
	where, args := liveChat(scope, id, now, b.d.Placeholder)
	cc, err := scanChatCompletion(c.QueryRow(ctx, "SELECT "+chatColumns+" FROM chat_completions"+where, args...))
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrChatCompletionNotFound
	case err != nil:
		return nil, b.errorf("get chat completion", err)
	}
	if err := b.openChat(b.sealing(), cc); err != nil {
		return nil, err
	}
	return cc, nil
}

// UpdateChatCompletion implements store.ChatCompletionLog: the metadata
// is sealed at the completion's tenant, the scope's or, for every
// tenant's scope, the one read first.
func (b *Backend) UpdateChatCompletion(ctx context.Context, scope store.Scope, id string, metadata []byte, now time.Time) (*store.ChatCompletion, error) {
	tenant := scope.Tenant
	if scope.All {
		var err error
		where, args := liveChat(scope, id, now, b.d.Placeholder)
		err = b.read.QueryRow(ctx, "SELECT tenant FROM chat_completions"+where, args...)(&tenant)
		switch {
		case errors.Is(err, ErrNoRow):
			return nil, store.ErrChatCompletionNotFound
		case err != nil:
			return nil, b.errorf("update chat completion", err)
		}
		scope = store.TenantScope(tenant)
	}
	k, ph := b.sealing(), b.d.Placeholder
	sealed := k.Seal(metadata, chatPlace("metadata", tenant, id))
	where, args := liveChat(scope, id, now, ph, sealed)
	q := "UPDATE chat_completions SET metadata = " + ph(1) + ", metadata_indexed = TRUE" + where + " RETURNING " + chatColumns
	var cc *store.ChatCompletion
	err := b.tx(ctx, "update chat completion", func(tx Conn) error {
		var err error
		cc, err = scanChatCompletion(tx.QueryRow(ctx, q, b.storable(args)...))
		switch {
		case errors.Is(err, ErrNoRow):
			return store.ErrChatCompletionNotFound
		case err != nil:
			return b.errorf("update chat completion", err)
		}
		return b.writeChatPairs(ctx, tx, k, cc.Tenant, cc.ID, cc.Created.UnixNano(), sealed, metadata)
	})
	if err != nil {
		return nil, err
	}
	if err := b.openChat(k, cc); err != nil {
		return nil, err
	}
	return cc, nil
}

// DeleteChatCompletion implements store.ChatCompletionLog: the
// completion and its metadata's index in one transaction.
func (b *Backend) DeleteChatCompletion(ctx context.Context, scope store.Scope, id string, now time.Time) error {
	where, args := liveChat(scope, id, now, b.d.Placeholder)
	return b.tx(ctx, "delete chat completion", func(tx Conn) error {
		n, err := tx.Exec(ctx, "DELETE FROM chat_completions"+where, args...)
		switch {
		case err != nil:
			return b.errorf("delete chat completion", err)
		case n == 0:
			return store.ErrChatCompletionNotFound
		}
		return b.eraseChatPairs(ctx, tx, []any{id})
	})
}

// DeleteExpiredChatCompletions implements store.ChatCompletionLog: the
// completions and their metadata's index in one transaction, the
// completions first, so that one saved anew meanwhile (locked by the
// erasure until it ends) is indexed after.
func (b *Backend) DeleteExpiredChatCompletions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := b.tx(ctx, "delete expired chat completions", func(tx Conn) error {
		rows, err := tx.Query(ctx, "DELETE FROM chat_completions WHERE expires_ns <= "+b.d.Placeholder(1)+" RETURNING id", now.UnixNano())
		if err != nil {
			return b.errorf("delete expired chat completions", err)
		}
		var ids []any
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return b.errorf("delete expired chat completions", err)
			}
			ids = append(ids, id)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return b.errorf("delete expired chat completions", err)
		}
		n = int64(len(ids))
		return b.eraseChatPairs(ctx, tx, ids)
	})
	return n, err
}
