// Package reload applies configuration changes to a running router: a
// text sent to the admin API, a version rolled back to, or the file on
// disk read again. Each is validated as `switchyard config check` does,
// checked against the file's security section and against what only a
// restart can change, built aside, stored as a new version (its secrets
// masked, with the diff from the one before), swapped in without
// dropping a request, and audited; a change that fails any step leaves
// the running configuration as it was.
package reload

import (
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/audit"
	"switchyard/config"
	"switchyard/internal/textdiff"
	"switchyard/learn/bandit"
	"switchyard/store"
)

// Prepared is a configuration built aside, ready to serve.
type Prepared interface {
	// Commit swaps it in: new requests use it, those in flight finish on
	// the configuration they started with.
	Commit()
	// Discard releases it unused.
	Discard()
}

// Options configure a Manager.
type Options struct {
	// Path is the configuration file the router runs; a text sent to the
	// admin API stands for it (learned model paths are relative to its
	// directory). Required.
	Path string
	// Getenv expands ${VAR}; nil means os.LookupEnv.
	Getenv func(string) (string, bool)
	// History stores the versions. Required.
	History store.ConfigHistory
	// Trail records the changes; nil means none are audited.
	Trail *audit.Trail
	// Logger logs the changes and the refused ones; nil means
	// slog.Default().
	Logger *slog.Logger
	// Check checks what validation cannot see (the routes' learned model
	// files), returning config.Errors; nil means nothing more.
	Check func(*config.Config) error
	// Prepare builds the router's state for a configuration. Required.
	Prepare func(*config.Config) (Prepared, error)
	// Requests is the request log dry runs replay; nil means a dry run
	// only validates.
	Requests store.Store
	// Learned returns the adaptive scorer's statistics for dry runs; nil
	// means none (every estimate its prior).
	Learned func() *bandit.Snapshot
	// Replica names this router in the audit trail when it applies a
	// version another router stored (actor "replica:<Replica>"); empty
	// means the host's name and the process id.
	Replica string
	// Registerer receives the configuration's metrics
	// (switchyard_config_version, …); nil means none.
	Registerer prometheus.Registerer
	// StoreTimeouts bound the store calls of a change (store.timeout,
	// its Request: each read or write of History and Trail a change or a
	// rollback makes) and of a dry run (store.aggregate_timeout, its
	// Aggregate: the read of the request log it replays). With the
	// database not answering, Apply, Rollback and DryRun fail with its
	// error within them rather than at their caller's deadline (Apply
	// and Rollback holding every other change until then). The zero
	// value holds the defaults.
	StoreTimeouts store.Timeouts
}

// Manager applies configuration changes one at a time. It is safe for
// concurrent use.
type Manager struct {
	opts Options
	log  *slog.Logger
	mu   sync.Mutex // held through a change
	cur  atomic.Pointer[running]
	// failed is the newest stored version this router could not apply
	// when following (0: none), which it does not try again.
	failed  atomic.Int64
	metrics *followMetrics
}

// running is the configuration being served.
type running struct {
	cfg *config.Config
	// text is its text with the literal secrets masked; secrets are its
	// secrets as written, which the masks of a later text keep.
	text    []byte
	secrets config.Secrets
	// version is its number in the history; zero when it could not be
	// stored.
	version int64
	// security is the file's section, which only the file may change;
	// shown is the section the text holds when it is another one (a
	// version another router stored), which a text sent back may repeat.
	security config.Security
	shown    *config.Security
	// fileSum is the SHA-256 of the file's bytes last read.
	fileSum [sha256.Size]byte
}

// New returns a Manager; Start must be called before the others.
func New(opts Options) *Manager {
	if opts.Getenv == nil {
		opts.Getenv = os.LookupEnv
	}
	if opts.Replica == "" {
		host, _ := os.Hostname()
		opts.Replica = fmt.Sprintf("%s/%d", host, os.Getpid())
	}
	m := &Manager{opts: opts, log: opts.Logger, metrics: newFollowMetrics(opts.Registerer)}
	if m.log == nil {
		m.log = slog.Default()
	}
	return m
}

// Start records f, the file the router started with: a new version
// (source start) when its masked text differs from the newest stored one,
// else that version. A history that cannot be read or written is logged
// and the version is then 0: the router serves anyway.
func (m *Manager) Start(ctx context.Context, f *File) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	masked, err := config.MaskSecrets(f.Data)
	if err != nil {
		return 0, err
	}
	r := &running{cfg: f.Config, text: masked, secrets: f.Secrets, security: f.Config.Security, fileSum: sha256.Sum256(f.Data)}
	defer func() { m.store(r) }()
	newest, err := m.newest(ctx)
	if err == nil && newest.Version > 0 && newest.YAML == string(masked) {
		r.version = newest.Version
		return r.version, nil
	}
	if err == nil {
		udiff := textdiff.Unified(versionName(newest.Version), "started", newest.YAML, string(masked))
		r.version, err = m.opts.History.AppendConfigVersion(ctx, store.ConfigVersion{Actor: "file", Source: store.SourceStart,
			Base: newest.Version, YAML: string(masked), Diff: udiff})
	}
	if err != nil {
		m.log.Error("config: the configuration the router starts with was not stored as a version", "err", err)
		return 0, nil
	}
	m.record(ctx, store.AuditEvent{Actor: "file", Action: "config.start", Target: fmt.Sprintf("config version %d", r.version),
		Detail: fmt.Sprintf("started with %s: %s", cmp.Or(m.opts.Path, "a configuration without a file"), changeSummary(newest.Version, r.version, diff(newest.YAML, string(masked)))), Outcome: store.AuditOK})
	return r.version, nil
}

// newest returns the newest stored version, with its text; the zero
// version when there is none.
func (m *Manager) newest(ctx context.Context) (store.ConfigVersion, error) {
	vs, err := m.opts.History.ConfigVersions(ctx, 0, 1)
	if err != nil || len(vs) == 0 {
		return store.ConfigVersion{}, err
	}
	return m.opts.History.ConfigVersion(ctx, vs[0].Version)
}

func versionName(n int64) string {
	if n == 0 {
		return "nothing"
	}
	return fmt.Sprintf("version %d", n)
}

// Current returns the configuration being served, its masked text and
// its version.
func (m *Manager) Current() (*config.Config, []byte, int64) {
	r := m.cur.Load()
	if r == nil {
		return nil, nil, 0
	}
	return r.cfg, r.text, r.version
}

// History returns the stored versions.
func (m *Manager) History() store.ConfigHistory { return m.opts.History }

// Change is one configuration change.
type Change struct {
	// Text is the configuration, whole; a masked secret keeps the running
	// value of its place.
	Text []byte
	// Actor is who asks: an admin key's name, or "file".
	Actor string
	// Source is store.SourceAPI or store.SourceFile.
	Source string
	// Restores is the version a rollback brings back; zero otherwise.
	Restores int64
	// Base is the version the text was made from: the change is refused
	// with *Conflict when another version runs. Zero means whatever runs.
	Base int64
}

// Conflict is the error of a change made from a version that no longer
// runs (Change.Base): another change was applied meanwhile.
type Conflict struct {
	// Base is the version the change was made from; Running the one that
	// runs.
	Base, Running int64
}

func (e *Conflict) Error() string {
	return fmt.Sprintf("made from version %d, but version %d runs now", e.Base, e.Running)
}

// conflict returns *Conflict when c was made from another version than
// cur; nil when it was, or names none.
func conflict(cur *running, c Change) error {
	if c.Base == 0 || c.Base == cur.version {
		return nil
	}
	return &Conflict{Base: c.Base, Running: cur.version}
}

// Result is what a change did.
type Result struct {
	// Version is the version running after it; Previous the one before.
	Version  int64 `json:"version"`
	Previous int64 `json:"previous"`
	// Changed is false when the text was the running one: nothing was
	// stored (a reload of the file still rebuilt the router).
	Changed  bool  `json:"changed"`
	Restores int64 `json:"restores,omitempty"`
	// Added and Removed count the lines of the diff.
	Added   int    `json:"lines_added"`
	Removed int    `json:"lines_removed"`
	Diff    string `json:"diff"`
	// SecretsChanged are the fields whose secret changed (a key written
	// literally is masked, so the diff cannot show it); never a value.
	SecretsChanged []string `json:"secrets_changed,omitempty"`
}

// Apply validates c.Text and, when it is valid, applies it as a new
// version. It returns *Conflict when c.Base is set and another version
// runs, *Invalid for a configuration that does not validate (a mistake, a
// change of the security section through the API, a change only a
// restart applies), or the store's error when the version could not be
// stored (nothing changed then).
func (m *Manager) Apply(ctx context.Context, c Change) (Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.apply(ctx, c, fromAPI, nil)
}

// apply is Apply with m.mu held, for a change from o; file is the
// file's sum when c comes from it.
func (m *Manager) apply(ctx context.Context, c Change, o origin, file *fileRead) (Result, error) {
	cur := m.cur.Load()
	res := Result{Version: cur.version, Previous: cur.version, Restores: c.Restores}
	err := conflict(cur, c)
	var ch checked
	if err == nil {
		ch, err = m.validate(cur, c, o)
	}
	if err != nil {
		m.refused(ctx, c, err)
		return res, err
	}
	cfg, secrets, masked := ch.cfg, ch.secrets, ch.masked
	d := diff(string(cur.text), string(masked))
	res.Added, res.Removed = textdiff.Stat(d)
	res.SecretsChanged = cur.secrets.Changed(secrets)
	res.Changed = string(masked) != string(cur.text) || len(res.SecretsChanged) > 0
	if !res.Changed && file == nil {
		m.record(ctx, c.event(store.AuditOK, cur.version, fmt.Sprintf("unchanged: the text is version %d's", cur.version)))
		return res, nil
	}
	prepared, err := m.opts.Prepare(cfg)
	if err != nil {
		err = m.invalid(err)
		m.refused(ctx, c, err)
		return res, err
	}
	next := &running{cfg: cfg, text: masked, secrets: secrets, version: cur.version, security: cur.security, shown: ch.shown, fileSum: cur.fileSum}
	if file != nil {
		next.security, next.fileSum = cfg.Security, file.sum
	}
	if res.Changed {
		res.Diff = textdiff.Unified(versionName(cur.version), "this version", string(cur.text), string(masked))
		next.version, err = m.appendVersion(ctx, store.ConfigVersion{Actor: c.Actor, Source: c.Source,
			Restores: c.Restores, Base: cur.version, YAML: string(masked), Diff: res.Diff})
		if err != nil {
			prepared.Discard()
			m.log.Error("config: a change was not applied: its version could not be stored", "actor", c.Actor, "err", err)
			m.record(ctx, c.event(store.AuditFailed, cur.version, "the version could not be stored; nothing changed"))
			return res, fmt.Errorf("reload: store the version: %w", err)
		}
	}
	prepared.Commit()
	m.store(next)
	res.Version = next.version
	summary := changeSummary(cur.version, next.version, d)
	if len(res.SecretsChanged) > 0 {
		summary += "; secrets changed: " + strings.Join(res.SecretsChanged, ", ")
	}
	if !res.Changed {
		summary = fmt.Sprintf("rebuilt from an unchanged text (version %d)", cur.version)
	}
	m.log.Info("config: applied", "version", next.version, "actor", c.Actor, "source", c.Source, "change", summary)
	m.record(ctx, c.event(store.AuditOK, next.version, summary))
	return res, nil
}

// event is the audit event of c with outcome, about version.
func (c Change) event(outcome string, version int64, detail string) store.AuditEvent {
	action := "config.update"
	switch {
	case c.Restores > 0:
		action = "config.rollback"
	case c.Source == store.SourceFile:
		action = "config.reload"
	}
	target := fmt.Sprintf("config version %d", version)
	if c.Restores > 0 {
		target = fmt.Sprintf("config version %d (restoring version %d)", version, c.Restores)
	}
	return store.AuditEvent{Actor: c.Actor, Action: action, Target: target, Detail: detail, Outcome: outcome}
}

// bound returns ctx bounded by the store's timeout (Options.StoreTimeout)
// and its cancel function.
func (m *Manager) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return m.opts.StoreTimeouts.Bound(ctx)
}

// appendVersion stores v in the history, bounded by the store's timeout.
func (m *Manager) appendVersion(ctx context.Context, v store.ConfigVersion) (int64, error) {
	ctx, cancel := m.bound(ctx)
	defer cancel()
	return m.opts.History.AppendConfigVersion(ctx, v)
}

// record writes e to the trail, bounded by the store's timeout, logging
// a failure.
func (m *Manager) record(ctx context.Context, e store.AuditEvent) {
	ctx, cancel := m.bound(ctx)
	defer cancel()
	if err := m.opts.Trail.Record(ctx, e); err != nil {
		m.log.Error("config: a change was applied but not audited", "action", e.Action, "err", err)
	}
}

// diff returns the line edits from a to b.
func diff(a, b string) []textdiff.Edit { return textdiff.Lines(a, b) }

// changeSummary says what a change did in words.
func changeSummary(from, to int64, d []textdiff.Edit) string {
	added, removed := textdiff.Stat(d)
	return fmt.Sprintf("%s → version %d: %d line(s) added, %d removed", versionName(from), to, added, removed)
}

// Rollback applies version n again, as a new version restoring it. Its
// masked secrets keep the running values of their places, and the file's
// security section replaces the one it holds (its base URLs must be on
// the file's allowlist); it is validated as any change, and refused
// (*Invalid) when it no longer validates. It
// returns store.ErrVersionNotFound for an unknown version.
func (m *Manager) Rollback(ctx context.Context, n int64, actor string) (Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rctx, cancel := m.bound(ctx)
	v, err := m.opts.History.ConfigVersion(rctx, n)
	cancel()
	if err != nil {
		return Result{}, err
	}
	return m.apply(ctx, Change{Text: []byte(v.YAML), Actor: actor, Source: store.SourceAPI, Restores: n}, fromHistory, nil)
}
