package sqlstore

import (
	"context"
	"errors"
	"time"
)

// This file holds what the background responses and the batches share:
// the writes that apply only while a row is in the state its writer
// holds it in, and the renewal of their leases.

// maxRenew bounds the ids of one RenewLeases or RenewBatchLeases
// statement.
const maxRenew = 500

// leaseNS is a lease as stored: Unix nanoseconds, 0 for none.
func leaseNS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// updateHeld runs update with args, a statement that changes the row id
// of tenant in table only in the state its writer holds it in. When it
// changes none, the row is notFound when it is not there, else moved (to
// another state); op names it in errors.
func (b *Backend) updateHeld(ctx context.Context, op, table, update string, args []any, id, tenant string, notFound, moved error) error {
	n, err := b.one.Exec(ctx, update, b.storable(args)...)
	switch {
	case err != nil:
		return b.errorf(op, err)
	case n == 1:
		return nil
	}
	ph := b.d.Placeholder
	var one int
	err = b.read.QueryRow(ctx, "SELECT 1 FROM "+table+" WHERE id = "+ph(1)+" AND tenant = "+ph(2), id, tenant)(&one)
	switch {
	case errors.Is(err, ErrNoRow):
		return notFound
	case err != nil:
		return b.errorf(op, err)
	}
	return moved
}

// renewInGroups calls renew on ids in groups of at most maxRenew and
// returns the ids it returns: those no longer running.
func renewInGroups(ids []string, renew func([]string) ([]string, error)) ([]string, error) {
	var stopped []string
	for len(ids) > 0 {
		n := min(len(ids), maxRenew)
		s, err := renew(ids[:n])
		if err != nil {
			return nil, err
		}
		stopped, ids = append(stopped, s...), ids[n:]
	}
	return stopped, nil
}

// renewOn renews until until the leases of the rows among ids in table
// that run (the condition running), with write, then reads which they
// are with read, and returns the ids of the others; op names it in
// errors.
func (b *Backend) renewOn(ctx context.Context, write, read Conn, op, table, running string, ids []string, until time.Time) ([]string, error) {
	ph := b.d.Placeholder
	idArgs := make([]any, len(ids))
	for i, id := range ids {
		idArgs[i] = id
	}
	update := "UPDATE " + table + " SET lease_ns = " + ph(1) + " WHERE id IN (" + placeholders(ph, 2, len(ids)) + ") AND " + running
	if _, err := write.Exec(ctx, update, append([]any{until.UnixNano()}, idArgs...)...); err != nil {
		return nil, b.errorf(op, err)
	}
	rows, err := read.Query(ctx, "SELECT id FROM "+table+" WHERE id IN ("+placeholders(ph, 1, len(ids))+") AND "+running, idArgs...)
	if err != nil {
		return nil, b.errorf(op, err)
	}
	defer rows.Close()
	runs := make(map[string]bool, len(ids))
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, b.errorf(op, err)
		}
		runs[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, b.errorf(op, err)
	}
	var stopped []string
	for _, id := range ids {
		if !runs[id] {
			stopped = append(stopped, id)
		}
	}
	return stopped, nil
}
