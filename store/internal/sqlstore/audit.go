package sqlstore

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"switchyard/store"
)

// This file holds the SQL of the audit trail and the configuration
// versions (migration 7).

// AuditColumns are the audit table's columns but id, in the order of
// AuditValues.
var AuditColumns = []string{"time_ns", "actor", "tenant", "action", "target", "detail", "outcome"}

// AuditValues returns e's column values, e cleaned (store.AuditEvent.Clean).
func AuditValues(e store.AuditEvent) ([]any, error) {
	e, err := e.Clean(time.Now())
	if err != nil {
		return nil, err
	}
	return []any{e.Time.UnixNano(), e.Actor, e.Tenant, e.Action, e.Target, e.Detail, e.Outcome}, nil
}

// InsertAudit is the statement appending one event (AuditValues).
func InsertAudit(ph Placeholder) string {
	phs := make([]string, len(AuditColumns))
	for i := range phs {
		phs[i] = ph(i + 1)
	}
	return "INSERT INTO audit (" + strings.Join(AuditColumns, ", ") + ") VALUES (" + strings.Join(phs, ", ") + ")"
}

// ListAudit returns the query of a page of f (one row more than its
// limit, see AuditPage) and the limit.
func ListAudit(s store.Scope, f store.AuditFilter, ph Placeholder) (string, []any, int, error) {
	if err := f.Check(); err != nil {
		return "", nil, 0, err
	}
	limit, _ := (&store.Filter{Limit: f.Limit}).PageLimit()
	q := &query{ph: ph}
	q.scope(s)
	q.between(f.Since, f.Until)
	switch p, prefix := f.ActionPrefix(); {
	case prefix:
		// Not LIKE: an action may hold _ or %.
		q.where(fmt.Sprintf("substr(action, 1, %d) = %%s", utf8.RuneCountInString(p)), p)
	case p != "":
		q.where("action = %s", p)
	}
	if f.Actor != "" {
		q.where("actor = %s", f.Actor)
	}
	if f.Cursor != "" {
		id, _ := store.DecodeAuditCursor(f.Cursor)
		q.where("id < %s", id)
	}
	sql := fmt.Sprintf("SELECT id, %s FROM audit%s ORDER BY id DESC LIMIT %d", strings.Join(AuditColumns, ", "), q.clause(), limit+1)
	return sql, q.args, limit, nil
}

// AuditPage scans every row of a ListAudit query and cuts the page at
// limit. The caller closes rows.
func AuditPage(rows Rows, limit int) (store.AuditPage, error) {
	var out []store.AuditEvent
	for rows.Next() {
		var (
			e  store.AuditEvent
			ns int64
		)
		if err := rows.Scan(&e.ID, &ns, &e.Actor, &e.Tenant, &e.Action, &e.Target, &e.Detail, &e.Outcome); err != nil {
			return store.AuditPage{}, fmt.Errorf("store: scan audit event: %w", err)
		}
		e.Time = time.Unix(0, ns).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return store.AuditPage{}, err
	}
	if len(out) <= limit {
		return store.AuditPage{Events: out}, nil
	}
	return store.AuditPage{Events: out[:limit], Next: store.EncodeAuditCursor(out[limit-1].ID)}, nil
}

// VersionColumns are the config_versions table's columns in the order
// of VersionValues and ScanVersion.
var VersionColumns = []string{"version", "time_ns", "actor", "source", "restores", "base", "yaml", "diff"}

// InsertVersion is the statement storing a version as the one after the
// newest: its values are VersionValues but version, which it computes.
// Two processes appending at once may compute the same number; the
// primary key refuses the second, which retries.
func InsertVersion(ph Placeholder) string {
	return "INSERT INTO config_versions (" + strings.Join(VersionColumns, ", ") + ") " +
		"SELECT COALESCE(MAX(version), 0) + 1, " + ph(1) + ", " + ph(2) + ", " + ph(3) + ", " + ph(4) + ", " + ph(5) + ", " + ph(6) + ", " + ph(7) +
		" FROM config_versions RETURNING version"
}

// VersionValues returns v's column values but version, for InsertVersion.
func VersionValues(v store.ConfigVersion) []any {
	if v.Time.IsZero() {
		v.Time = time.Now()
	}
	return []any{v.Time.UnixNano(), v.Actor, v.Source, v.Restores, v.Base, v.YAML, v.Diff}
}

// GetVersion is the query of one version by number (ScanVersion).
func GetVersion(ph Placeholder) string {
	return "SELECT " + strings.Join(VersionColumns, ", ") + " FROM config_versions WHERE version = " + ph(1)
}

// ListVersions returns the query of the versions older than before (0:
// all), newest first, with empty yaml and diff (ScanVersion), and its
// arguments.
func ListVersions(before int64, limit int, ph Placeholder) (string, []any, error) {
	limit, err := (&store.Filter{Limit: limit}).PageLimit()
	if err != nil {
		return "", nil, err
	}
	q := &query{ph: ph}
	if before > 0 {
		q.where("version < %s", before)
	}
	return fmt.Sprintf("SELECT version, time_ns, actor, source, restores, base, '', '' FROM config_versions%s ORDER BY version DESC LIMIT %d",
		q.clause(), limit), q.args, nil
}

// ScanVersion reads one row of GetVersion or ListVersions.
func ScanVersion(scan func(dest ...any) error) (store.ConfigVersion, error) {
	var (
		v  store.ConfigVersion
		ns int64
	)
	if err := scan(&v.Version, &ns, &v.Actor, &v.Source, &v.Restores, &v.Base, &v.YAML, &v.Diff); err != nil {
		return v, err
	}
	v.Time = time.Unix(0, ns).UTC()
	return v, nil
}

// PruneAudit is the statement deleting the events older than a time
// (Unix nanoseconds, its one argument).
func PruneAudit(ph Placeholder) string {
	return "DELETE FROM audit WHERE time_ns < " + ph(1)
}

// PruneVersions is the statement deleting the configuration versions
// older than a time (Unix nanoseconds, its first argument) but the newest
// ones (their count, its second, at least 1).
func PruneVersions(ph Placeholder) string {
	return "DELETE FROM config_versions WHERE time_ns < " + ph(1) +
		" AND version <= (SELECT MAX(version) FROM config_versions) - " + ph(2)
}

// PruneKeep returns keep as PruneVersions takes it: at least 1.
func PruneKeep(keep int) int64 { return int64(max(keep, 1)) }
