package sqlstore

import (
	"context"
	"errors"
	"strconv"
	"time"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file holds the statements of the background responses
// (store.BackgroundLog), which both back ends run alike: each write that
// applies only while a response runs is one UPDATE conditioned on its
// status, so that a cancel, an expired lease's failure and the runner's
// own writes, from any router, never overwrite a final status.

// runningCond is the condition of a background response that runs:
// queued or in progress, and not deleted.
const runningCond = "status IN ('" + store.StatusQueued + "', '" + store.StatusInProgress + "') AND deleted_ns = 0"

// eventPlace is the place of a batch of events of the response id of
// tenant, starting at the sequence number first.
func eventPlace(tenant, id string, first int64) []byte {
	return seal.Place("response_events", "data", tenant, id, strconv.FormatInt(first, 10))
}

// UpdateBackground implements store.BackgroundLog.
func (b *Backend) UpdateBackground(ctx context.Context, u *store.BackgroundUpdate) error {
	k, ph := b.sealing(), b.d.Placeholder
	object := k.Seal(u.Object, responsePlace("object", u.Tenant, u.ID))
	output := k.Seal(u.Output, responsePlace("output", u.Tenant, u.ID))
	q := "UPDATE responses SET status = " + ph(1) + ", model = " + ph(2) + ", object = " + ph(3) + ", output = " + ph(4) +
		", lease_ns = " + ph(5) + " WHERE id = " + ph(6) + " AND tenant = " + ph(7) + " AND " + runningCond
	return b.updateHeld(ctx, "update background response", "responses", q,
		[]any{u.Status, u.Model, object, output, leaseNS(u.Lease), u.ID, u.Tenant}, u.ID, u.Tenant,
		store.ErrResponseNotFound, store.ErrNotRunning)
}

// RenewLeases implements store.BackgroundLog: per group of at most
// maxRenew ids, one transaction renews the running ones and reads which
// they are.
func (b *Backend) RenewLeases(ctx context.Context, ids []string, until time.Time) ([]string, error) {
	return renewInGroups(ids, func(ids []string) ([]string, error) { return b.renew(ctx, ids, until) })
}

// renew renews the leases of the running responses among ids and
// returns the others.
func (b *Backend) renew(ctx context.Context, ids []string, until time.Time) ([]string, error) {
	var stopped []string
	err := b.tx(ctx, "renew leases", func(c Conn) (err error) {
		stopped, err = b.renewOn(ctx, c, c, "renew leases", "responses", runningCond, ids, until)
		return err
	})
	if err != nil {
		return nil, err
	}
	return stopped, nil
}

// CancelResponse implements store.BackgroundLog, in a transaction that
// reads the response's tenant (the place its object is sealed at) and
// status, then writes.
func (b *Backend) CancelResponse(ctx context.Context, scope store.Scope, id string, object []byte, now time.Time) (bool, error) {
	ph, cancelled := b.d.Placeholder, false
	err := b.tx(ctx, "cancel response", func(c Conn) error {
		where, args := liveResponse(scope, id, now, ph)
		var tenant, status string
		err := c.QueryRow(ctx, "SELECT tenant, status FROM responses"+where, args...)(&tenant, &status)
		switch {
		case errors.Is(err, ErrNoRow):
			return store.ErrResponseNotFound
		case err != nil:
			return b.errorf("cancel response", err)
		case !store.Running(status):
			return nil
		}
		sealed := b.sealing().Seal(object, responsePlace("object", tenant, id))
		n, err := c.Exec(ctx, "UPDATE responses SET status = '"+store.StatusCancelled+"', object = "+ph(1)+", lease_ns = 0 WHERE id = "+ph(2)+
			" AND tenant = "+ph(3)+" AND "+runningCond, sealed, id, tenant)
		if err != nil {
			return b.errorf("cancel response", err)
		}
		cancelled = n == 1
		return nil
	})
	return cancelled, err
}

// ExpiredLeases implements store.BackgroundLog. A response whose object
// does not open (its key is missing) is returned with a nil Object,
// never an error: the failing of the others does not wait on it.
func (b *Backend) ExpiredLeases(ctx context.Context, now time.Time, limit int) ([]*store.Response, error) {
	ph := b.d.Placeholder
	q := "SELECT " + responseColumnList + " FROM responses WHERE lease_ns <> 0 AND lease_ns < " + ph(1) + " AND " + runningCond +
		" ORDER BY lease_ns LIMIT " + strconv.Itoa(max(limit, 1))
	rows, err := collect(ctx, b, "expired leases", q, []any{now.UnixNano()}, scanResponse)
	if err != nil {
		return nil, err
	}
	k := b.sealing()
	for _, r := range rows {
		r.Input, r.Output = nil, nil
		if r.Object, err = k.Open(r.Object, responsePlace("object", r.Tenant, r.ID)); err != nil {
			r.Object = nil
		}
	}
	return rows, nil
}

// FailExpired implements store.BackgroundLog.
func (b *Backend) FailExpired(ctx context.Context, r *store.Response, object []byte, last *store.EventBatch) (bool, error) {
	ph := b.d.Placeholder
	sealed := b.sealing().Seal(object, responsePlace("object", r.Tenant, r.ID))
	failed := false
	err := b.tx(ctx, "fail expired response", func(tx Conn) error {
		n, err := tx.Exec(ctx, "UPDATE responses SET status = '"+store.StatusFailed+"', object = "+ph(1)+", lease_ns = 0 WHERE id = "+ph(2)+
			" AND tenant = "+ph(3)+" AND lease_ns = "+ph(4)+" AND "+runningCond, sealed, r.ID, r.Tenant, leaseNS(r.Lease))
		if err != nil {
			return b.errorf("fail expired response", err)
		}
		if n != 1 || last == nil {
			failed = n == 1
			return nil
		}
		data := b.sealing().Seal(last.Data, eventPlace(r.Tenant, r.ID, last.First))
		if _, err := tx.Exec(ctx, insertEvents(ph), r.ID, last.First, last.Last, data); err != nil {
			return b.errorf("fail expired response's events", err)
		}
		failed = true
		return nil
	})
	return failed && err == nil, err
}

// insertEvents is the statement that appends a batch of events.
func insertEvents(ph func(int) string) string {
	return "INSERT INTO response_events (response, first_seq, last_seq, data) VALUES (" + ph(1) + ", " + ph(2) + ", " + ph(3) + ", " + ph(4) + ")"
}

// AppendEvents implements store.BackgroundLog.
func (b *Backend) AppendEvents(ctx context.Context, tenant, id string, e store.EventBatch) error {
	ph := b.d.Placeholder
	data := b.sealing().Seal(e.Data, eventPlace(tenant, id, e.First))
	_, err := b.one.Exec(ctx, insertEvents(ph), id, e.First, e.Last, data)
	if err != nil {
		return b.errorf("append response events", err)
	}
	return nil
}

// Events implements store.BackgroundLog.
func (b *Backend) Events(ctx context.Context, scope store.Scope, id string, after int64, now time.Time) ([]store.EventBatch, error) {
	ph := b.d.Placeholder
	where, args := liveResponse(scope, id, now, ph)
	var tenant string
	err := b.read.QueryRow(ctx, "SELECT tenant FROM responses"+where, args...)(&tenant)
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrResponseNotFound
	case err != nil:
		return nil, b.errorf("response events", err)
	}
	q := "SELECT first_seq, last_seq, data FROM response_events WHERE response = " + ph(1) + " AND last_seq > " + ph(2) + " ORDER BY first_seq"
	batches, err := collect(ctx, b, "response events", q, []any{id, after}, func(scan func(...any) error) (store.EventBatch, error) {
		var e store.EventBatch
		if err := scan(&e.First, &e.Last, &e.Data); err != nil {
			return e, b.errorf("response events", err)
		}
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	k := b.sealing()
	for i := range batches {
		e := &batches[i]
		if e.Data, err = k.Open(e.Data, eventPlace(tenant, id, e.First)); err != nil {
			return nil, b.unreadable("response "+id+" events "+strconv.FormatInt(e.First, 10), err)
		}
	}
	return batches, nil
}

// DeleteEvents implements store.BackgroundLog.
func (b *Backend) DeleteEvents(ctx context.Context, before time.Time) (int64, error) {
	n, err := b.one.Exec(ctx, "DELETE FROM response_events WHERE EXISTS (SELECT 1 FROM responses r WHERE r.id = response_events.response"+
		" AND r.created_ns < "+b.d.Placeholder(1)+" AND r.status NOT IN ('"+store.StatusQueued+"', '"+store.StatusInProgress+"'))", before.UnixNano())
	if err != nil {
		return 0, b.errorf("delete response events", err)
	}
	return n, nil
}

// eraseEvents is the statement erasing the events of every response
// that is not live at the time its argument says (expired, deleted, or
// erased).
func eraseEvents(ph Placeholder) string {
	return "DELETE FROM response_events WHERE NOT EXISTS (SELECT 1 FROM responses r WHERE r.id = response_events.response" +
		" AND r.expires_ns > " + ph(1) + " AND r.deleted_ns = 0)"
}
