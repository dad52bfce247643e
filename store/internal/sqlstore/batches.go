package sqlstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file holds the statements of the Batch API's batches
// (store.BatchLog): one row each, its object sealed at its place, and
// one row per line run, sealed too. Each write of a runner is one UPDATE
// conditioned on the batch's status, so that a cancel from any router is
// never overwritten.

// batchColumns are the batches table's columns that scanBatch reads, in
// its order.
const batchColumns = "id, tenant, key_name, created_ns, expires_ns, status, lease_ns, object"

// batchPlace is the place of a batch's object; linePlace of one line's
// result.
func batchPlace(tenant, id string) []byte { return seal.Place("batches", "object", tenant, id) }
func linePlace(tenant, id string, line int) []byte {
	return seal.Place("batch_lines", "data", tenant, id, strconv.Itoa(line))
}

// statusList is statuses as an SQL list of literals (they are ours,
// never the client's).
func statusList(statuses []string) string {
	return "('" + strings.Join(statuses, "', '") + "')"
}

// batchChildren are the tables of a batch's lines, erased with it.
var batchChildren = []string{"batch_lines", "batch_forwards", "batch_retries"}

// runningBatch is the condition of a batch that runs.
var runningBatch = "status IN " + statusList(store.BatchRunning)

// scanBatch reads a row of batchColumns.
func scanBatch(scan func(dest ...any) error) (*store.Batch, error) {
	var (
		bt                      store.Batch
		created, expires, lease int64
	)
	if err := scan(&bt.ID, &bt.Tenant, &bt.KeyName, &created, &expires, &bt.Status, &lease, &bt.Object); err != nil {
		return nil, err
	}
	bt.Created, bt.Expires = time.Unix(0, created).UTC(), time.Unix(0, expires).UTC()
	if lease != 0 {
		bt.Lease = time.Unix(0, lease).UTC()
	}
	return &bt, nil
}

// openBatch opens bt's object in place.
func (b *Backend) openBatch(k *seal.Keys, bt *store.Batch) error {
	v, err := k.Open(bt.Object, batchPlace(bt.Tenant, bt.ID))
	if err != nil {
		return b.unreadable("batch "+bt.ID+" object", err)
	}
	bt.Object = v
	return nil
}

// SaveBatch implements store.BatchLog.
func (b *Backend) SaveBatch(ctx context.Context, bt *store.Batch) error {
	v := b.storable([]any{bt.ID, bt.Tenant, bt.KeyName, bt.Created.UnixNano(), bt.Expires.UnixNano(), bt.Status, leaseNS(bt.Lease),
		b.sealing().Seal(bt.Object, batchPlace(bt.Tenant, bt.ID))})
	q := "INSERT INTO batches (" + batchColumns + ") VALUES (" + placeholders(b.d.Placeholder, 1, len(v)) + ")"
	if _, err := b.one.Exec(ctx, q, v...); err != nil {
		return b.errorf("save batch", err)
	}
	return nil
}

// GetBatch implements store.BatchLog.
func (b *Backend) GetBatch(ctx context.Context, scope store.Scope, id string, now time.Time) (*store.Batch, error) {
	q := query{ph: b.d.Placeholder}
	q.where("id = %s", id)
	q.scope(scope)
	q.where("expires_ns > %s", now.UnixNano())
	bt, err := scanBatch(b.read.QueryRow(ctx, "SELECT "+batchColumns+" FROM batches"+q.clause(), q.args...))
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrBatchNotFound
	case err != nil:
		return nil, b.errorf("get batch", err)
	}
	return bt, b.openBatch(b.sealing(), bt)
}

// ListBatches implements store.BatchLog.
func (b *Backend) ListBatches(ctx context.Context, scope store.Scope, f store.BatchFilter, after string, limit int, now time.Time) (store.BatchPage, error) {
	w := query{ph: b.d.Placeholder}
	w.scope(scope)
	w.where("expires_ns > %s", now.UnixNano())
	batchFilter(&w, f)
	if after != "" {
		cur, err := b.GetBatch(ctx, scope, after, now)
		if err != nil {
			return store.BatchPage{}, err
		}
		c := cur.Created.UnixNano()
		w.where("(created_ns < %s OR (created_ns = %s AND id < %s))", c, c, cur.ID)
	}
	sql := "SELECT " + batchColumns + " FROM batches" + w.clause() + " ORDER BY created_ns DESC, id DESC LIMIT " + strconv.Itoa(limit+1)
	rows, err := collect(ctx, b, "list batches", sql, w.args, scanBatch)
	if err != nil {
		return store.BatchPage{}, err
	}
	k := b.sealing()
	for _, bt := range rows {
		if err := b.openBatch(k, bt); err != nil {
			return store.BatchPage{}, err
		}
	}
	if len(rows) > limit {
		return store.BatchPage{Batches: rows[:limit], HasMore: true}, nil
	}
	return store.BatchPage{Batches: rows}, nil
}

// batchFilter adds f's conditions to w.
func batchFilter(w *query, f store.BatchFilter) {
	if len(f.Statuses) > 0 {
		args := make([]any, len(f.Statuses))
		for i, st := range f.Statuses {
			args[i] = st
		}
		w.where("status IN ("+strings.TrimSuffix(strings.Repeat("%s, ", len(args)), ", ")+")", args...)
	}
	if f.IDPrefix != "" {
		w.where("substr(id, 1, "+strconv.Itoa(len(f.IDPrefix))+") = %s", f.IDPrefix)
	}
	if !f.Since.IsZero() {
		w.where("created_ns >= %s", f.Since.UnixNano())
	}
	if !f.Until.IsZero() {
		w.where("created_ns < %s", f.Until.UnixNano())
	}
}

// UpdateBatch implements store.BatchLog.
func (b *Backend) UpdateBatch(ctx context.Context, bt *store.Batch, from ...string) error {
	ph := b.d.Placeholder
	object := b.sealing().Seal(bt.Object, batchPlace(bt.Tenant, bt.ID))
	q := "UPDATE batches SET status = " + ph(1) + ", object = " + ph(2) + ", lease_ns = " + ph(3) +
		" WHERE id = " + ph(4) + " AND tenant = " + ph(5) + " AND status IN " + statusList(from)
	return b.updateHeld(ctx, "update batch", "batches", q, []any{bt.Status, object, leaseNS(bt.Lease), bt.ID, bt.Tenant},
		bt.ID, bt.Tenant, store.ErrBatchNotFound, store.ErrBatchMoved)
}

// RenewBatchLeases implements store.BatchLog.
func (b *Backend) RenewBatchLeases(ctx context.Context, ids []string, until time.Time) ([]string, error) {
	return renewInGroups(ids, func(ids []string) ([]string, error) { return b.renewBatches(ctx, ids, until) })
}

// renewBatches renews the leases of the running batches among ids and
// returns the others.
func (b *Backend) renewBatches(ctx context.Context, ids []string, until time.Time) ([]string, error) {
	return b.renewOn(ctx, b.one, b.read, "renew batch leases", "batches", runningBatch, ids, until)
}

// ClaimBatches implements store.BatchLog: the candidates are read, then
// each is taken by an UPDATE conditioned on the lease it had, which one
// router only wins.
func (b *Backend) ClaimBatches(ctx context.Context, now, until time.Time, limit int) ([]*store.Batch, error) {
	ph := b.d.Placeholder
	claimable := "status IN " + statusList(append(append([]string{}, store.BatchRunning...), store.BatchCancelling))
	q := "SELECT " + batchColumns + " FROM batches WHERE lease_ns < " + ph(1) + " AND expires_ns > " + ph(2) + " AND " + claimable +
		" ORDER BY lease_ns LIMIT " + strconv.Itoa(max(limit, 1))
	rows, err := collect(ctx, b, "claim batches", q, []any{now.UnixNano(), now.UnixNano()}, scanBatch)
	if err != nil {
		return nil, err
	}
	var out []*store.Batch
	k := b.sealing()
	for _, bt := range rows {
		n, err := b.one.Exec(ctx, "UPDATE batches SET lease_ns = "+ph(1)+" WHERE id = "+ph(2)+" AND lease_ns = "+ph(3)+" AND "+claimable,
			until.UnixNano(), bt.ID, leaseNS(bt.Lease))
		if err != nil {
			return out, b.errorf("claim batches", err)
		}
		if n == 1 && b.openBatch(k, bt) == nil {
			bt.Lease = until
			out = append(out, bt)
		}
	}
	return out, nil
}

// SaveBatchLine implements store.BatchLog.
func (b *Backend) SaveBatchLine(ctx context.Context, tenant, id string, l store.BatchLine) error {
	ph := b.d.Placeholder
	failed := int64(0)
	if l.Failed {
		failed = 1
	}
	data := b.sealing().Seal(l.Data, linePlace(tenant, id, l.Index))
	q := "INSERT INTO batch_lines (batch, line, failed, data) VALUES (" + placeholders(ph, 1, 4) + ") ON CONFLICT (batch, line) DO NOTHING"
	if _, err := b.one.Exec(ctx, q, b.storable([]any{id, int64(l.Index), failed, data})...); err != nil {
		return b.errorf("save batch line", err)
	}
	return nil
}

// BatchLines implements store.BatchLog.
func (b *Backend) BatchLines(ctx context.Context, tenant, id string) ([]store.BatchLine, error) {
	k := b.sealing()
	var out []store.BatchLine
	err := b.each(ctx, "batch lines", "SELECT line, failed, data FROM batch_lines WHERE batch = "+b.d.Placeholder(1)+" ORDER BY line", []any{id}, func(r Rows) error {
		var (
			line, failed int64
			data         []byte
		)
		if err := r.Scan(&line, &failed, &data); err != nil {
			return b.errorf("batch lines", err)
		}
		v, err := k.Open(data, linePlace(tenant, id, int(line)))
		if err != nil {
			return b.unreadable("batch "+id+" line "+strconv.FormatInt(line, 10), err)
		}
		out = append(out, store.BatchLine{Index: int(line), Failed: failed != 0, Data: v})
		return nil
	})
	return out, err
}

// DeleteExpiredBatches implements store.BatchLog: the lines first, then
// the batches, in one transaction.
func (b *Backend) DeleteExpiredBatches(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := b.tx(ctx, "delete expired batches", func(c Conn) error {
		ph := b.d.Placeholder
		for _, table := range batchChildren {
			if _, err := c.Exec(ctx, "DELETE FROM "+table+" WHERE batch IN (SELECT id FROM batches WHERE expires_ns <= "+ph(1)+")", now.UnixNano()); err != nil {
				return b.errorf("delete expired batches", err)
			}
		}
		var err error
		if n, err = c.Exec(ctx, "DELETE FROM batches WHERE expires_ns <= "+ph(1), now.UnixNano()); err != nil {
			return b.errorf("delete expired batches", err)
		}
		return nil
	})
	return n, err
}

// DeleteBatch implements store.BatchLog: its lines, then the batch, in
// one transaction.
func (b *Backend) DeleteBatch(ctx context.Context, tenant, id string) error {
	return b.tx(ctx, "delete batch", func(c Conn) error {
		ph := b.d.Placeholder
		n, err := c.Exec(ctx, "DELETE FROM batches WHERE id = "+ph(1)+" AND tenant = "+ph(2), id, tenant)
		if err != nil {
			return b.errorf("delete batch", err)
		}
		if n == 0 {
			return store.ErrBatchNotFound
		}
		for _, table := range batchChildren {
			if _, err := c.Exec(ctx, "DELETE FROM "+table+" WHERE batch = "+ph(1), id); err != nil {
				return b.errorf("delete batch", err)
			}
		}
		return nil
	})
}
