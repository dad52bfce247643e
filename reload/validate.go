package reload

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"switchyard/config"
	"switchyard/guard"
	"switchyard/store"
)

// This file validates a change: as the file would be read, with the
// running secrets kept where it masks them, held to the file's security
// section and to what only a restart can change; and it masks what looks
// like a credential in the errors it returns.

// Invalid is the error of a change that does not validate: every mistake,
// positioned in the text sent, none holding a secret.
type Invalid struct {
	Errors config.Errors
}

func (e *Invalid) Error() string {
	return fmt.Sprintf("the configuration is not valid (%d problem(s)): %v", len(e.Errors), e.Errors)
}

// invalid wraps err, config.Errors, as *Invalid with what looks like a
// secret masked in each (see redacted); other errors pass.
func (m *Manager) invalid(err error) error {
	var errs config.Errors
	if errors.As(err, &errs) {
		return &Invalid{Errors: m.redacted(errs)}
	}
	return err
}

// redacted returns copies of errs with the running configuration's
// credentials, and text shaped like a key or a token (guard's built-in
// kinds), masked. A configuration's errors never quote a secret field's
// value, but they quote what is written elsewhere: a key pasted where a
// name belongs (kind: sk-…) must not reach the answer, the log or the
// audit trail.
func (m *Manager) redacted(errs config.Errors) config.Errors {
	var secrets []string
	if cur := m.cur.Load(); cur != nil {
		secrets = cur.cfg.SecretValues()
	}
	red := guard.NewRedactor(secrets...)
	out := make(config.Errors, len(errs))
	for i, e := range errs {
		c := *e
		c.Problem, c.Hint = maskSecrets(red, e.Problem), maskSecrets(red, e.Hint)
		out[i] = &c
	}
	return out
}

// secretKinds are the kinds of guard's findings masked in a
// configuration's errors: credentials. Personal data kinds are not: an
// IP address in a configuration is a host, which an error must name.
var secretKinds = map[guard.Kind]bool{
	guard.KindSecret: true, guard.KindAPIKey: true, guard.KindAWSKey: true, guard.KindAWSSecret: true,
	guard.KindCredential: true, guard.KindJWT: true, guard.KindPrivateKey: true,
}

// maskSecrets replaces the credentials red finds in s by guard's
// placeholders.
func maskSecrets(red *guard.Redactor, s string) string {
	var b strings.Builder
	last := 0
	for _, m := range red.Find(s) {
		if !secretKinds[m.Kind] {
			continue
		}
		b.WriteString(s[last:m.Start])
		b.WriteString(guard.Placeholder(m.Kind))
		last = m.End
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// origin is where a change comes from, which decides how it is read.
type origin int

const (
	// fromAPI: a text sent to the admin API (or a rollback): its masks keep
	// the running secrets, and its security section must be the file's.
	fromAPI origin = iota
	// fromFile: the file on disk, which holds its secrets (no masks) and
	// may change the security section.
	fromFile
	// fromStore: a version another router sharing the store stored: read
	// as fromAPI, but held to this router's file's security section
	// whatever section it holds, and keeping this router's sections that
	// only a restart changes.
	fromStore
	// fromHistory: a stored version rolled back to: read as fromAPI, but
	// held to the file's security section whatever section it holds
	// (another router's, or the file's before it changed).
	fromHistory
)

// checked is a change that validated.
type checked struct {
	cfg     *config.Config
	secrets config.Secrets
	// masked is its text with the literal secrets masked.
	masked []byte
	// kept are the sections only a restart changes that this router kept
	// of its own (fromStore).
	kept []string
	// shown is the security section its text holds when that is not the
	// file's (a version another router stored); nil otherwise.
	shown *config.Security
}

// validate parses c.Text as the file would be, with the running secrets
// kept where it masks them, and checks it as a replacement of cur: a
// text that does not come from the file is held to the file's security
// section (cur.security), and one sent to the API may hold no other
// section than the file's or the one GET /admin/config shows.
func (m *Manager) validate(cur *running, c Change, o origin) (checked, error) {
	opts := config.ParseOptions{Path: m.opts.Path, Getenv: m.opts.Getenv, Keep: cur.secrets, Security: &cur.security}
	if o == fromFile {
		opts.Keep, opts.Security = nil, nil // the file holds its secrets, never masks, and its own section
	}
	var out checked
	cfg, secrets, err := config.ParseText(c.Text, opts)
	if err == nil && o != fromFile {
		out.shown, err = shownSecurity(cfg, cur, o)
	}
	if err == nil && o == fromStore {
		out.kept = cfg.KeepRestartOnly(cur.cfg)
	}
	if err == nil {
		err = cfg.CheckReload(cur.cfg)
	}
	if err == nil && (o == fromAPI || o == fromHistory) {
		err = cfg.CheckAuditKept(cur.cfg) // only the file may shorten the trail
	}
	if err == nil && m.opts.Check != nil {
		err = m.opts.Check(cfg)
	}
	if err != nil {
		return checked{}, m.invalid(err)
	}
	masked, err := config.MaskSecrets(c.Text)
	if err != nil {
		return checked{}, &Invalid{Errors: config.Errors{cfg.FieldError("", err.Error(), "")}}
	}
	out.cfg, out.secrets, out.masked = cfg, secrets, masked
	return out, nil
}

// shownSecurity returns the security section cfg's text holds when it is
// not the file's (nil when it is, or holds none): accepted from the
// store and the history, and from the API only when it is the running
// text's (a version another router stored, sent back as shown).
func shownSecurity(cfg *config.Config, cur *running, o origin) (*config.Security, error) {
	w, ok := cfg.WrittenSecurity()
	switch {
	case !ok || w.Equal(&cur.security):
		return nil, nil
	case o != fromAPI:
		return &w, nil
	case cur.shown != nil && w.Equal(cur.shown):
		return cur.shown, nil
	}
	return nil, cfg.SecurityDiffers()
}

// problems says what is wrong with a change in words, for the log and
// the audit trail: its mistakes (at most 10), or err's text with what
// looks like a credential masked.
func (m *Manager) problems(err error) string {
	var inv *Invalid
	if errors.As(err, &inv) {
		lines := make([]string, 0, 10)
		for i, e := range inv.Errors {
			if i == cap(lines) {
				lines = append(lines, fmt.Sprintf("… and %d more", len(inv.Errors)-i))
				break
			}
			lines = append(lines, e.Error())
		}
		return strings.Join(lines, "\n")
	}
	if cur := m.cur.Load(); cur != nil {
		return maskSecrets(guard.NewRedactor(cur.cfg.SecretValues()...), err.Error())
	}
	return err.Error()
}

// refused logs and audits a change that failed validation.
func (m *Manager) refused(ctx context.Context, c Change, err error) {
	cur := m.cur.Load()
	detail := m.problems(err)
	m.log.Warn("config: a change was refused; the running configuration is kept", "actor", c.Actor, "source", c.Source,
		"version", cur.version, "problems", detail)
	m.record(ctx, c.event(store.AuditRefused, cur.version, detail))
}
