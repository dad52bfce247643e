package sqlstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"switchyard/store"
)

// This file holds the statements of the stored responses
// (store.ResponseLog), which both back ends run alike.

// responseColumns are the responses table's columns in the order of
// responseValues and scanResponse.
var responseColumns = []string{"id", "tenant", "key_name", "created_ns", "expires_ns", "model", "status", "object", "input", "output"}

var responseColumnList = strings.Join(responseColumns, ", ")

// saveResponse is the statement storing a response, replacing one of the
// same id.
func saveResponse(ph Placeholder) string {
	phs := make([]string, len(responseColumns))
	for i := range phs {
		phs[i] = ph(i + 1)
	}
	set := make([]string, 0, len(responseColumns)-1)
	for _, c := range responseColumns[1:] {
		set = append(set, c+" = excluded."+c)
	}
	return "INSERT INTO responses (" + responseColumnList + ") VALUES (" + strings.Join(phs, ", ") +
		") ON CONFLICT (id) DO UPDATE SET " + strings.Join(set, ", ")
}

// responseWhere returns the condition of the live response with id in
// scope at now, and its arguments.
func responseWhere(s store.Scope, id string, now time.Time, ph Placeholder) (string, []any) {
	q := query{ph: ph}
	q.where("id = %s", id)
	q.scope(s)
	q.where("expires_ns > %s", now.UnixNano())
	return q.clause(), q.args
}

// SaveResponse implements store.ResponseLog.
func (b *Backend) SaveResponse(ctx context.Context, r *store.Response) error {
	v := b.storable([]any{r.ID, r.Tenant, r.KeyName, r.Created.UnixNano(), r.Expires.UnixNano(), r.Model, r.Status, r.Object, r.Input, r.Output})
	if _, err := b.one.Exec(ctx, saveResponse(b.d.Placeholder), v...); err != nil {
		return b.errorf("save response", err)
	}
	return nil
}

// GetResponse implements store.ResponseLog.
func (b *Backend) GetResponse(ctx context.Context, scope store.Scope, id string, now time.Time) (*store.Response, error) {
	where, args := responseWhere(scope, id, now, b.d.Placeholder)
	var (
		r                store.Response
		created, expires int64
	)
	err := b.read.QueryRow(ctx, "SELECT "+responseColumnList+" FROM responses"+where, args...)(
		&r.ID, &r.Tenant, &r.KeyName, &created, &expires, &r.Model, &r.Status, &r.Object, &r.Input, &r.Output)
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrResponseNotFound
	case err != nil:
		return nil, b.errorf("get response", err)
	}
	r.Created, r.Expires = time.Unix(0, created).UTC(), time.Unix(0, expires).UTC()
	return &r, nil
}

// DeleteResponse implements store.ResponseLog.
func (b *Backend) DeleteResponse(ctx context.Context, scope store.Scope, id string, now time.Time) error {
	where, args := responseWhere(scope, id, now, b.d.Placeholder)
	n, err := b.one.Exec(ctx, "DELETE FROM responses"+where, args...)
	switch {
	case err != nil:
		return b.errorf("delete response", err)
	case n == 0:
		return store.ErrResponseNotFound
	}
	return nil
}

// DeleteExpiredResponses implements store.ResponseLog.
func (b *Backend) DeleteExpiredResponses(ctx context.Context, now time.Time) (int64, error) {
	n, err := b.one.Exec(ctx, "DELETE FROM responses WHERE expires_ns <= "+b.d.Placeholder(1), now.UnixNano())
	if err != nil {
		return 0, b.errorf("delete expired responses", err)
	}
	return n, nil
}
