package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file holds the statements of the stored chat completions
// (store.ChatCompletionLog): one row each, its object, messages and
// metadata sealed at their place when the store has keys. A list is
// ordered by (created_ns, id); its metadata filter is applied to the
// rows once opened, since sealed metadata cannot be compared in SQL.

// chatColumns are the chat_completions table's columns that
// scanChatCompletion reads, in its order.
const chatColumns = "id, tenant, key_name, created_ns, expires_ns, model, object, messages, metadata"

// saveChat stores a completion, replacing one of the same id of the same
// tenant only: an id another tenant holds is left as it is.
const saveChat = "INSERT INTO chat_completions (" + chatColumns + ") VALUES (%s)" +
	" ON CONFLICT (id) DO UPDATE SET key_name = excluded.key_name, created_ns = excluded.created_ns," +
	" expires_ns = excluded.expires_ns, model = excluded.model, object = excluded.object," +
	" messages = excluded.messages, metadata = excluded.metadata WHERE chat_completions.tenant = excluded.tenant"

// chatScanBatch is how many rows a list filtering on metadata reads at a
// time.
const chatScanBatch = 100

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

// SaveChatCompletion implements store.ChatCompletionLog.
func (b *Backend) SaveChatCompletion(ctx context.Context, c *store.ChatCompletion) error {
	k := b.sealing()
	v := b.storable([]any{c.ID, c.Tenant, c.KeyName, c.Created.UnixNano(), c.Expires.UnixNano(), c.Model,
		k.Seal(c.Object, chatPlace("object", c.Tenant, c.ID)),
		k.Seal(c.Messages, chatPlace("messages", c.Tenant, c.ID)),
		k.Seal(c.Metadata, chatPlace("metadata", c.Tenant, c.ID))})
	if _, err := b.one.Exec(ctx, fmt.Sprintf(saveChat, placeholders(b.d.Placeholder, 1, len(v))), v...); err != nil {
		return b.errorf("save chat completion", err)
	}
	return nil
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
	where, args := liveChat(scope, id, now, ph, k.Seal(metadata, chatPlace("metadata", tenant, id)))
	q := "UPDATE chat_completions SET metadata = " + ph(1) + where + " RETURNING " + chatColumns
	cc, err := scanChatCompletion(b.one.QueryRow(ctx, q, b.storable(args)...))
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrChatCompletionNotFound
	case err != nil:
		return nil, b.errorf("update chat completion", err)
	}
	if err := b.openChat(k, cc); err != nil {
		return nil, err
	}
	return cc, nil
}

// DeleteChatCompletion implements store.ChatCompletionLog.
func (b *Backend) DeleteChatCompletion(ctx context.Context, scope store.Scope, id string, now time.Time) error {
	where, args := liveChat(scope, id, now, b.d.Placeholder)
	n, err := b.one.Exec(ctx, "DELETE FROM chat_completions"+where, args...)
	switch {
	case err != nil:
		return b.errorf("delete chat completion", err)
	case n == 0:
		return store.ErrChatCompletionNotFound
	}
	return nil
}

// DeleteExpiredChatCompletions implements store.ChatCompletionLog.
func (b *Backend) DeleteExpiredChatCompletions(ctx context.Context, now time.Time) (int64, error) {
	n, err := b.one.Exec(ctx, "DELETE FROM chat_completions WHERE expires_ns <= "+b.d.Placeholder(1), now.UnixNano())
	if err != nil {
		return 0, b.errorf("delete expired chat completions", err)
	}
	return n, nil
}

// chatCursor is a position in a list of completions: after (or, newest
// first, before) the completion created at created with id.
type chatCursor struct {
	created int64
	id      string
}

// ListChatCompletions implements store.ChatCompletionLog: rows are read a
// batch at a time until the page is full (one more than q.Limit tells
// whether more follow), those whose metadata does not match skipped.
func (b *Backend) ListChatCompletions(ctx context.Context, scope store.Scope, q store.ChatCompletionQuery, now time.Time) (store.ChatCompletionPage, error) {
	var cur *chatCursor
	if q.After != "" {
		where, args := liveChat(scope, q.After, now, b.d.Placeholder)
		var c chatCursor
		err := b.read.QueryRow(ctx, "SELECT created_ns, id FROM chat_completions"+where, args...)(&c.created, &c.id)
		switch {
		case errors.Is(err, ErrNoRow):
			return store.ChatCompletionPage{}, store.ErrChatCompletionNotFound
		case err != nil:
			return store.ChatCompletionPage{}, b.errorf("list chat completions", err)
		}
		cur = &c
	}
	batch := q.Limit + 1
	if len(q.Metadata) > 0 {
		batch = max(batch, chatScanBatch)
	}
	k := b.sealing()
	var out []*store.ChatCompletion
	for len(out) <= q.Limit {
		sql, args := b.listChatSQL(scope, q, cur, now, batch)
		rows, err := collect(ctx, b, "list chat completions", sql, args, scanChatCompletion)
		if err != nil {
			return store.ChatCompletionPage{}, err
		}
		for _, c := range rows {
			if err := b.openChat(k, c); err != nil {
				return store.ChatCompletionPage{}, err
			}
			if len(out) <= q.Limit && metadataHolds(c.Metadata, q.Metadata) {
				out = append(out, c)
			}
		}
		if len(rows) < batch {
			break
		}
		last := rows[len(rows)-1]
		cur = &chatCursor{created: last.Created.UnixNano(), id: last.ID}
	}
	if len(out) > q.Limit {
		return store.ChatCompletionPage{Completions: out[:q.Limit], HasMore: true}, nil
	}
	return store.ChatCompletionPage{Completions: out}, nil
}

// listChatSQL returns the statement reading at most n live completions
// of q in scope after cur (nil: from the first), and its arguments.
func (b *Backend) listChatSQL(scope store.Scope, q store.ChatCompletionQuery, cur *chatCursor, now time.Time, n int) (string, []any) {
	w := query{ph: b.d.Placeholder}
	w.scope(scope)
	w.where("expires_ns > %s", now.UnixNano())
	if q.Model != "" {
		w.where("model = %s", q.Model)
	}
	order, cmp := "ASC", ">"
	if q.Desc {
		order, cmp = "DESC", "<"
	}
	if cur != nil {
		w.where("(created_ns "+cmp+" %s OR (created_ns = %s AND id "+cmp+" %s))", cur.created, cur.created, cur.id)
	}
	sql := "SELECT " + chatColumns + " FROM chat_completions" + w.clause() +
		" ORDER BY created_ns " + order + ", id " + order + " LIMIT " + strconv.Itoa(n)
	return sql, w.args
}

// metadataHolds reports whether the JSON object md holds every pair of
// want (an object that does not decode holds none).
func metadataHolds(md []byte, want map[string]string) bool {
	if len(want) == 0 {
		return true
	}
	var have map[string]string
	if json.Unmarshal(md, &have) != nil {
		return false
	}
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}
