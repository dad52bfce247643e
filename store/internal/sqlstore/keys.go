package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"switchyard/store"
)

// This file holds the SQL of the managed keys (store.KeyStore) that both
// back ends share, and the logic of the operations that take several
// statements, run on a back end's transaction (KeyTx).

// KeyColumns are the keys table's columns in the order of KeyValues and
// ScanKey.
var KeyColumns = []string{
	"id", "hash", "name", "tenant", "role", "routes", "deployments", "overrides",
	"rpm", "tpm", "max_concurrent", "created_ns", "created_by", "expires_ns", "revoked_ns",
	"rotated_to", "version",
}

var keyColumnList = strings.Join(KeyColumns, ", ")

// KeyTx is what the multi-statement operations need of a back end's
// transaction.
type KeyTx interface {
	// Exec runs a statement and returns the rows it changed.
	Exec(ctx context.Context, sql string, args ...any) (int64, error)
	// QueryRow runs a query of one row and returns its Scan; the Scan
	// returns ErrNoRow when the query found none.
	QueryRow(ctx context.Context, sql string, args ...any) func(dest ...any) error
}

// ErrNoRow is what a KeyTx's QueryRow scan returns when there is no row.
var ErrNoRow = errors.New("sqlstore: no row")

// KeyValues returns k's column values, the lists as JSON text (NULL for
// a nil list), times as Unix nanoseconds (0 for none), version 1.
func KeyValues(k *store.KeyRecord) ([]any, error) {
	lists := make([]any, 3)
	for i, l := range [][]string{k.Routes, k.Deployments, k.Overrides} {
		if l == nil {
			continue
		}
		b, err := json.Marshal(l)
		if err != nil {
			return nil, fmt.Errorf("store: encode key %s: %w", k.ID, err)
		}
		lists[i] = string(b)
	}
	return []any{
		k.ID, k.Hash, k.Name, k.Tenant, k.Role, lists[0], lists[1], lists[2],
		k.RPM, k.TPM, k.MaxConcurrent, unixNano(k.Created), k.CreatedBy, unixNano(k.Expires), unixNano(k.Revoked),
		k.RotatedTo, int64(1),
	}, nil
}

// ScanKey reads one row of KeyColumns.
func ScanKey(scan func(dest ...any) error) (*store.KeyRecord, error) {
	var (
		k                         store.KeyRecord
		lists                     [3]*string
		created, expires, revoked int64
	)
	err := scan(&k.ID, &k.Hash, &k.Name, &k.Tenant, &k.Role, &lists[0], &lists[1], &lists[2],
		&k.RPM, &k.TPM, &k.MaxConcurrent, &created, &k.CreatedBy, &expires, &revoked, &k.RotatedTo, &k.Version)
	if err != nil {
		return nil, err
	}
	for i, dst := range []*[]string{&k.Routes, &k.Deployments, &k.Overrides} {
		if lists[i] == nil {
			continue
		}
		*dst = []string{}
		if err := json.Unmarshal([]byte(*lists[i]), dst); err != nil {
			return nil, fmt.Errorf("store: decode key %s: %w", k.ID, err)
		}
	}
	k.Created, k.Expires, k.Revoked = fromNano(created), fromNano(expires), fromNano(revoked)
	return &k, nil
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNano(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}

// InsertKey is the statement storing one key; it changes no row when the
// id is taken.
func InsertKey(ph Placeholder) string {
	phs := make([]string, len(KeyColumns))
	for i := range phs {
		phs[i] = ph(i + 1)
	}
	return "INSERT INTO keys (" + keyColumnList + ") VALUES (" + strings.Join(phs, ", ") + ") ON CONFLICT (id) DO NOTHING"
}

// keyQuery returns the query of the keys in scope (with id, when not
// empty), oldest first.
func keyQuery(s store.Scope, id string, ph Placeholder) (string, []any) {
	q := query{ph: ph}
	q.scope(s)
	if id != "" {
		q.where("id = %s", id)
	}
	return "SELECT " + keyColumnList + " FROM keys" + q.clause() + " ORDER BY created_ns, id", q.args
}

// GetKey returns the query of one key by id within scope.
func GetKey(s store.Scope, id string, ph Placeholder) (string, []any) { return keyQuery(s, id, ph) }

// ListKeys returns the query of every key in scope, oldest first.
func ListKeys(s store.Scope, ph Placeholder) (string, []any) { return keyQuery(s, "", ph) }

// KeysVersion is the query of store.KeyStore.KeysVersion.
const KeysVersion = "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM keys"

// CreateKey stores k on tx: ErrKeyExists when its id is taken.
func CreateKey(ctx context.Context, tx KeyTx, k *store.KeyRecord, ph Placeholder) error {
	v, err := KeyValues(k)
	if err != nil {
		return err
	}
	n, err := tx.Exec(ctx, InsertKey(ph), v...)
	switch {
	case err != nil:
		return err
	case n == 0:
		return fmt.Errorf("%w: %s", store.ErrKeyExists, k.ID)
	}
	k.Version = 1
	return nil
}

// keyState reads whether the key with id in scope is revoked or rotated.
func keyState(ctx context.Context, tx KeyTx, s store.Scope, id string, ph Placeholder) (inactive bool, err error) {
	q := query{ph: ph}
	q.scope(s)
	q.where("id = %s", id)
	var revoked int64
	var rotatedTo string
	err = tx.QueryRow(ctx, "SELECT revoked_ns, rotated_to FROM keys"+q.clause(), q.args...)(&revoked, &rotatedTo)
	if errors.Is(err, ErrNoRow) {
		return false, fmt.Errorf("%w: %s", store.ErrKeyNotFound, id)
	}
	return revoked != 0 || rotatedTo != "", err
}

// RevokeKey implements store.KeyStore.RevokeKey on tx.
func RevokeKey(ctx context.Context, tx KeyTx, s store.Scope, id string, t time.Time, ph Placeholder) error {
	q := query{ph: ph}
	q.where("revoked_ns = %s", t.UnixNano())
	set := q.conds[0]
	q.conds = nil
	q.scope(s)
	q.where("id = %s", id)
	q.where("revoked_ns = 0")
	n, err := tx.Exec(ctx, "UPDATE keys SET "+set+", version = version + 1"+q.clause(), q.args...)
	if err != nil || n > 0 {
		return err
	}
	_, err = keyState(ctx, tx, s, id, ph) // revoked already (nil), or not found
	return err
}

// RotateKey implements store.KeyStore.RotateKey on tx: the old key is
// changed only while it is active (so of concurrent rotations one wins),
// then the new one is stored.
func RotateKey(ctx context.Context, tx KeyTx, s store.Scope, id string, next *store.KeyRecord, graceEnd time.Time, ph Placeholder) error {
	end := graceEnd.UnixNano()
	q := query{ph: ph}
	q.where("rotated_to = %s", next.ID)
	q.where("expires_ns = CASE WHEN expires_ns <> 0 AND expires_ns < %s THEN expires_ns ELSE %s END", end, end)
	set := strings.Join(q.conds, ", ")
	q.conds = nil
	q.scope(s)
	q.where("id = %s", id)
	q.where("revoked_ns = 0")
	q.where("rotated_to = ''")
	n, err := tx.Exec(ctx, "UPDATE keys SET "+set+", version = version + 1"+q.clause(), q.args...)
	if err != nil {
		return err
	}
	if n == 0 {
		inactive, err := keyState(ctx, tx, s, id, ph)
		if err == nil && inactive {
			err = fmt.Errorf("%w: %s", store.ErrKeyInactive, id)
		}
		return err
	}
	return CreateKey(ctx, tx, next, ph)
}
