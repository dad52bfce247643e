package sqlstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"switchyard/store"
)

// This file holds the statements of the stored responses
// (store.ResponseLog), which both back ends run alike: saving, reading
// and deleting one response. A response that continued another keeps
// its parent and its own items (a link of a chain, read in
// responses_chain.go); a deleted one keeps a tombstone (deleted_ns)
// while a live descendant needs its items.

// responseColumns are the responses table's columns in the order of
// responseValues and scanResponse; deleted_ns is set by deletion only.
var responseColumns = []string{"id", "parent", "tenant", "key_name", "created_ns", "expires_ns", "model", "status", "object", "input", "output", "conversation", "conversation_seq", "background", "lease_ns"}

var responseColumnList = strings.Join(responseColumns, ", ")

// saveResponse is the statement storing a response, replacing one of the
// same id (a deleted one included).
func saveResponse(ph Placeholder) string {
	phs := make([]string, len(responseColumns))
	for i := range phs {
		phs[i] = ph(i + 1)
	}
	set := make([]string, 0, len(responseColumns))
	for _, c := range responseColumns[1:] {
		set = append(set, c+" = excluded."+c)
	}
	set = append(set, "deleted_ns = 0")
	return "INSERT INTO responses (" + responseColumnList + ") VALUES (" + strings.Join(phs, ", ") +
		") ON CONFLICT (id) DO UPDATE SET " + strings.Join(set, ", ")
}

// liveResponse returns the condition of the live response (neither
// expired at now nor deleted) with id in scope, and its arguments after
// before's (the statement's earlier ones).
func liveResponse(s store.Scope, id string, now time.Time, ph Placeholder, before ...any) (string, []any) {
	q := query{ph: ph, args: before}
	q.where("id = %s", id)
	q.scope(s)
	q.where("expires_ns > %s", now.UnixNano())
	q.conds = append(q.conds, "deleted_ns = 0")
	return q.clause(), q.args
}

// SaveResponse implements store.ResponseLog: a response with a parent,
// or made in a conversation, is saved in a transaction that finds them
// first, sharing the chains' lock with the other saves, so that no
// erasure runs in between.
func (b *Backend) SaveResponse(ctx context.Context, r *store.Response) error {
	object, input, output := sealResponse(b.sealing(), r)
	v := b.storable([]any{r.ID, r.Parent, r.Tenant, r.KeyName, r.Created.UnixNano(), r.Expires.UnixNano(), r.Model, r.Status, object, input, output, r.Conversation, r.ConversationSeq, string(r.Background), leaseNS(r.Lease)})
	if r.Parent == "" && r.Conversation == "" {
		if _, err := b.one.Exec(ctx, saveResponse(b.d.Placeholder), v...); err != nil {
			return b.errorf("save response", err)
		}
		return nil
	}
	if r.Parent == r.ID {
		return b.errorf("save response", errors.New("a response cannot continue itself"))
	}
	return b.tx(ctx, "save response", func(c Conn) error {
		if err := lockChains(ctx, c, b.d.ShareChains); err != nil {
			return b.errorf("save response", err)
		}
		if err := b.kept(ctx, c, r); err != nil {
			return err
		}
		if _, err := c.Exec(ctx, saveResponse(b.d.Placeholder), v...); err != nil {
			return b.errorf("save response", err)
		}
		return nil
	})
}

// kept returns nil when the store keeps r's parent and conversation (any
// that is set) for r's tenant, or store.ErrParentNotFound.
func (b *Backend) kept(ctx context.Context, c Conn, r *store.Response) error {
	ph := b.d.Placeholder
	for _, ref := range []struct{ table, id string }{{"responses", r.Parent}, {"conversations", r.Conversation}} {
		if ref.id == "" {
			continue
		}
		var one int
		err := c.QueryRow(ctx, "SELECT 1 FROM "+ref.table+" WHERE id = "+ph(1)+" AND tenant = "+ph(2), ref.id, r.Tenant)(&one)
		switch {
		case errors.Is(err, ErrNoRow):
			return store.ErrParentNotFound
		case err != nil:
			return b.errorf("save response", err)
		}
	}
	return nil
}

// lockChains runs the chains' lock statement stmt, when the back end has
// one.
func lockChains(ctx context.Context, c Conn, stmt string) error {
	if stmt == "" {
		return nil
	}
	_, err := c.Exec(ctx, stmt)
	return err
}

// GetResponse implements store.ResponseLog.
func (b *Backend) GetResponse(ctx context.Context, scope store.Scope, id string, now time.Time) (*store.Response, error) {
	where, args := liveResponse(scope, id, now, b.d.Placeholder)
	r, err := scanResponse(b.read.QueryRow(ctx, "SELECT "+responseColumnList+" FROM responses"+where, args...))
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrResponseNotFound
	case err != nil:
		return nil, b.errorf("get response", err)
	}
	if err := b.openResponse(b.sealing(), r); err != nil {
		return nil, err
	}
	return r, nil
}

// scanResponse reads a row of responseColumns.
func scanResponse(scan func(dest ...any) error) (*store.Response, error) {
	var (
		r                       store.Response
		created, expires, lease int64
		background              string
	)
	if err := scan(&r.ID, &r.Parent, &r.Tenant, &r.KeyName, &created, &expires, &r.Model, &r.Status, &r.Object, &r.Input, &r.Output,
		&r.Conversation, &r.ConversationSeq, &background, &lease); err != nil {
		return nil, err
	}
	r.Created, r.Expires = time.Unix(0, created).UTC(), time.Unix(0, expires).UTC()
	r.Background = store.Background(background)
	if lease != 0 {
		r.Lease = time.Unix(0, lease).UTC()
	}
	return &r, nil
}

// DeleteResponse implements store.ResponseLog: the response becomes a
// tombstone, its object erased, then it and those of its ancestors that
// only it kept are erased unless a response descends from it, all in
// one transaction holding the chains' lock.
func (b *Backend) DeleteResponse(ctx context.Context, scope store.Scope, id string, now time.Time) error {
	return b.tx(ctx, "delete response", func(c Conn) error {
		if err := lockChains(ctx, c, b.d.EraseChains); err != nil {
			return b.errorf("delete response", err)
		}
		at := max(now.UnixNano(), 1) // 0 means not deleted
		where, args := liveResponse(scope, id, now, b.d.Placeholder, at, []byte{})
		n, err := c.Exec(ctx, "UPDATE responses SET deleted_ns = "+b.d.Placeholder(1)+", object = "+b.d.Placeholder(2)+where, args...)
		switch {
		case err != nil:
			return b.errorf("delete response", err)
		case n == 0:
			return store.ErrResponseNotFound
		}
		q, args := eraseDeleted(id, now, b.d.Placeholder)
		if _, err := c.Exec(ctx, q, b.replanned(args)...); err != nil {
			return b.errorf("erase deleted response", err)
		}
		if _, err := c.Exec(ctx, "DELETE FROM response_events WHERE response = "+b.d.Placeholder(1), id); err != nil {
			return b.errorf("erase deleted response's events", err)
		}
		return nil
	})
}

// DeleteExpiredResponses implements store.ResponseLog, in a transaction
// holding the chains' lock: the events of the responses no longer live
// go with them.
func (b *Backend) DeleteExpiredResponses(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := b.tx(ctx, "delete expired responses", func(c Conn) error {
		if err := lockChains(ctx, c, b.d.EraseChains); err != nil {
			return b.errorf("delete expired responses", err)
		}
		q, args := eraseUnneeded(now, b.d.Placeholder)
		var err error
		if n, err = c.Exec(ctx, q, b.replanned(args)...); err != nil {
			return b.errorf("delete expired responses", err)
		}
		if _, err := c.Exec(ctx, eraseEvents(b.d.Placeholder), now.UnixNano()); err != nil {
			return b.errorf("delete expired responses' events", err)
		}
		return nil
	})
	return n, err
}
