package store

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AuditLog is the audit trail: who changed the configuration or the
// keys, who was refused an admin endpoint, which logins failed. Events are
// appended, never changed; the request log's retention (DeleteBefore) does
// not remove them. Implementations are safe for concurrent use.
type AuditLog interface {
	// AppendAudit stores e (its ID is ignored and assigned by the store).
	// A zero Time means now. Target and Detail longer than MaxAuditTarget
	// and MaxAuditDetail bytes are cut at a character boundary. It returns
	// ErrBadQuery for an event without an Action or an Outcome.
	AppendAudit(ctx context.Context, e AuditEvent) error
	// ListAudit returns the events in scope that match f, newest first
	// (by ID, the order they were appended in). It returns ErrBadCursor
	// or ErrBadQuery for a malformed f.
	ListAudit(ctx context.Context, scope Scope, f AuditFilter) (AuditPage, error)
}

// AuditEvent is one entry of the audit trail. It never holds a secret:
// a key is named by its configured name, a presented key that matched
// none at most by a short hash prefix.
type AuditEvent struct {
	// ID orders the events; assigned by AppendAudit.
	ID int64 `json:"id"`
	// Time is when it happened, UTC.
	Time time.Time `json:"time"`
	// Actor is who acted: an admin key's name, "loopback" or "demo", a
	// client key's name, "file" for a change of the file on disk, or
	// "anonymous" for a request that presented no known key.
	Actor string `json:"actor"`
	// Tenant is the tenant the event belongs to: the acting key's tenant,
	// or the tenant of the key changed. Empty for events about every
	// tenant (configuration changes), which only unscoped principals see.
	Tenant string `json:"tenant"`
	// Action names what was attempted, dotted: "config.update",
	// "config.rollback", "config.reload", "config.start", "admin.denied",
	// "auth.failed", "health.reset", "key.create"...
	Action string `json:"action"`
	// Target is what it was attempted on: "PUT /admin/config", "config
	// version 7", a deployment or key name.
	Target string `json:"target"`
	// Detail says more, in words: the versions and lines a change moved,
	// the validation errors of a refused change, the role a denied call
	// lacked.
	Detail string `json:"detail"`
	// Outcome is one of AuditOK, AuditDenied, AuditRefused, AuditFailed.
	Outcome string `json:"outcome"`
}

// The outcomes of an AuditEvent.
const (
	AuditOK      = "ok"      // done
	AuditDenied  = "denied"  // refused for lack of a right or a valid key
	AuditRefused = "refused" // refused as invalid (a configuration that does not validate)
	AuditFailed  = "failed"  // valid, but it failed (a database error)
)

// Bounds of an AuditEvent's free text fields, in bytes.
const (
	MaxAuditTarget = 512
	MaxAuditDetail = 4096
)

// Clean returns e ready to store: a zero Time set to now, times in UTC,
// Target and Detail cut to their bounds. It returns ErrBadQuery for an
// event without an Action or an Outcome.
func (e AuditEvent) Clean(now time.Time) (AuditEvent, error) {
	if e.Action == "" || e.Outcome == "" {
		return e, fmt.Errorf("%w: an audit event needs an action and an outcome", ErrBadQuery)
	}
	if e.Time.IsZero() {
		e.Time = now
	}
	e.Time = e.Time.UTC()
	e.Target, e.Detail = cut(e.Target, MaxAuditTarget), cut(e.Detail, MaxAuditDetail)
	e.Actor, e.Action = cut(e.Actor, MaxAuditTarget), cut(e.Action, MaxAuditTarget)
	return e, nil
}

// cut shortens s to at most n bytes, at a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// AuditFilter selects events for ListAudit. Zero fields do not filter.
type AuditFilter struct {
	// Action is an action ("config.update"), or a prefix of actions
	// ending in ".*" ("config.*").
	Action string
	// Actor is an actor's exact name.
	Actor string
	// Since <= Time < Until.
	Since, Until time.Time
	// Limit bounds the page; zero means DefaultLimit, above MaxLimit
	// means MaxLimit.
	Limit int
	// Cursor is a previous AuditPage.Next; empty starts at the newest.
	Cursor string
}

// ActionPrefix returns the prefix f.Action selects ("config." for
// "config.*") and true, or f.Action and false for an exact action.
func (f *AuditFilter) ActionPrefix() (string, bool) {
	if p, ok := strings.CutSuffix(f.Action, "*"); ok && strings.HasSuffix(p, ".") {
		return p, true
	}
	return f.Action, false
}

// Check returns ErrBadQuery for a negative limit, an Until before Since,
// or an action pattern with a * other than a final ".*"; and
// ErrBadCursor for a cursor ListAudit did not issue.
func (f *AuditFilter) Check() error {
	if _, err := (&Filter{Limit: f.Limit}).PageLimit(); err != nil {
		return err
	}
	if !f.Until.IsZero() && f.Until.Before(f.Since) {
		return fmt.Errorf("%w: until is before since", ErrBadQuery)
	}
	if p, _ := f.ActionPrefix(); strings.Contains(p, "*") {
		return fmt.Errorf("%w: action %q: give an action or a prefix ending in .*", ErrBadQuery, f.Action)
	}
	if f.Cursor != "" {
		if _, err := DecodeAuditCursor(f.Cursor); err != nil {
			return err
		}
	}
	return nil
}

// AuditPage is one page of the audit trail.
type AuditPage struct {
	Events []AuditEvent
	// Next is the cursor of the next page; empty on the last one.
	Next string
}

// EncodeAuditCursor returns the cursor of the events older than id.
func EncodeAuditCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("audit:" + strconv.FormatInt(id, 10)))
}

// DecodeAuditCursor parses an AuditPage.Next, or returns ErrBadCursor.
func DecodeAuditCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, ErrBadCursor
	}
	n, ok := strings.CutPrefix(string(b), "audit:")
	id, err := strconv.ParseInt(n, 10, 64)
	if !ok || err != nil || id <= 0 {
		return 0, ErrBadCursor
	}
	return id, nil
}

// ConfigHistory keeps every configuration the router applied, numbered
// 1, 2, 3... Implementations are safe for concurrent use, also by several
// router processes sharing one database.
type ConfigHistory interface {
	// AppendConfigVersion stores v as the version after the newest one
	// and returns its number (v.Version is ignored; a zero Time means
	// now).
	AppendConfigVersion(ctx context.Context, v ConfigVersion) (int64, error)
	// ConfigVersion returns version n, or ErrVersionNotFound.
	ConfigVersion(ctx context.Context, n int64) (ConfigVersion, error)
	// ConfigVersions lists the versions older than before (0: from the
	// newest), newest first, at most limit (zero: DefaultLimit; above
	// MaxLimit: MaxLimit), without their YAML and Diff.
	ConfigVersions(ctx context.Context, before int64, limit int) ([]ConfigVersion, error)
}

// ErrVersionNotFound: ConfigVersion found no such version.
var ErrVersionNotFound = errors.New("store: configuration version not found")

// The sources of a ConfigVersion.
const (
	// SourceStart: the file the router started with.
	SourceStart = "start"
	// SourceFile: the file on disk, reloaded (SIGHUP or a watch).
	SourceFile = "file"
	// SourceAPI: PUT /admin/config or POST /admin/config/rollback.
	SourceAPI = "api"
)

// ConfigVersion is one configuration the router applied.
type ConfigVersion struct {
	// Version numbers the versions from 1, in the order they were stored.
	Version int64 `json:"version"`
	// Time is when it was applied, UTC.
	Time time.Time `json:"time"`
	// Actor is who applied it: an admin key's name, or "file".
	Actor string `json:"actor"`
	// Source is SourceStart, SourceFile or SourceAPI.
	Source string `json:"source"`
	// Restores is the version a rollback brought back; zero otherwise.
	Restores int64 `json:"restores,omitempty"`
	// Base is the version Diff is against (the newest when this one was
	// applied); zero for the first.
	Base int64 `json:"base,omitempty"`
	// YAML is the configuration as written, each secret either the
	// ${VAR} reference it was written as or masked: never a secret.
	YAML string `json:"yaml,omitempty"`
	// Diff is the unified diff of YAML against version Base's.
	Diff string `json:"diff,omitempty"`
}

// HistoryPruner deletes what the audit trail and the configuration
// history no longer keep (config audit.retention). Implementations are
// safe for concurrent use, also by several router processes pruning one
// database at once.
type HistoryPruner interface {
	// PruneAudit deletes the audit events older than before, of every
	// tenant, and returns how many it deleted.
	PruneAudit(ctx context.Context, before time.Time) (int64, error)
	// PruneConfigVersions deletes the configuration versions older than
	// before but the keep newest (keep at least 1, so the numbering goes
	// on), and returns how many it deleted.
	PruneConfigVersions(ctx context.Context, before time.Time, keep int) (int64, error)
}
