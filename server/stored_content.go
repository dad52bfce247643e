package server

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/config"
	"switchyard/guard"
	"switchyard/store"
	"switchyard/store/seal"
)

// This file holds what the router does to the content of the stored
// responses and conversations besides keeping it: the store seals it with
// the keys of responses.encryption (given once, at start: sealStore), it
// is masked as responses.redact says before it is stored, and what does
// not open when read is logged once and counted.

// sealStore gives st, when it keeps stored responses, the keys of cfg's
// responses.encryption (none: content is written clear, and sealed
// content read is an error). It fails only for keys that did not
// validate.
func sealStore(cfg *config.Config, st store.Store, log *slog.Logger) error {
	keys, err := cfg.Responses.Encryption.Keys()
	if err != nil {
		return err
	}
	cs, ok := st.(store.ContentSealer)
	if !ok {
		return nil
	}
	cs.SealWith(keys)
	if keys.Sealing() {
		log.Info("responses: stored responses and conversations are encrypted at rest", "key_id", keys.Current().String())
	}
	return nil
}

// maxLoggedRows bounds the altered rows logged (each once).
const maxLoggedRows = 1000

// storedContent masks the content the response and conversation stores
// keep, as the serving configuration's responses.redact says, and logs
// once, and counts, the content they read that does not open. Safe for
// concurrent use.
type storedContent struct {
	cfg        func() *config.Config
	logger     *slog.Logger
	unreadable *prometheus.CounterVec
	mu         sync.Mutex
	logged     map[string]bool // the causes logged
	red        atomic.Pointer[configRedactor]
}

// configRedactor is the redactor of one configuration's responses.redact.
type configRedactor struct {
	cfg *config.Config
	red *guard.Redactor // nil: nothing masked
}

// newStoredContent returns the storedContent of the serving configuration
// cfg, its metric registered with reg (when not nil).
func newStoredContent(cfg func() *config.Config, log *slog.Logger, reg prometheus.Registerer) *storedContent {
	c := &storedContent{cfg: cfg, logger: log, logged: map[string]bool{},
		unreadable: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchyard_stored_content_unreadable_total",
			Help: "Reads of stored responses or conversations whose content did not open (responses.encryption), by reason (missing_key: sealed under a key the router is not configured with; altered: changed, or moved from another row or tenant; malformed)."}, []string{"reason"})}
	if reg != nil {
		reg.MustRegister(c.unreadable)
	}
	return c
}

// redactor returns the redactor of the serving configuration's
// responses.redact, nil when nothing is masked: secrets, the
// credentials (the configuration's own included); all, also personal
// data and store.redact_patterns.
func (c *storedContent) redactor() *guard.Redactor {
	cfg := c.cfg()
	if cr := c.red.Load(); cr != nil && cr.cfg == cfg {
		return cr.red
	}
	var red *guard.Redactor
	switch cfg.Responses.Redact {
	case config.RedactSecrets:
		red, _ = guard.New(guard.Options{Secrets: cfg.SecretValues(), SecretsOnly: true}) // no pattern: no error
	case config.RedactAll:
		pats := make([]guard.Pattern, len(cfg.Store.RedactPatterns))
		for i, p := range cfg.Store.RedactPatterns {
			pats[i] = guard.Pattern{Name: p.Name, Expr: p.Pattern}
		}
		var err error
		if red, err = guard.New(guard.Options{Secrets: cfg.SecretValues(), Patterns: pats}); err != nil {
			red = guard.NewRedactor(cfg.SecretValues()...) // the patterns were checked by Validate
		}
	}
	c.red.Store(&configRedactor{cfg: cfg, red: red})
	return red
}

// maskResponse masks r's object, input and output in place.
func (c *storedContent) maskResponse(r *store.Response) {
	if red := c.redactor(); red != nil {
		r.Object, r.Input, r.Output = red.RedactJSON(r.Object), red.RedactJSON(r.Input), red.RedactJSON(r.Output)
	}
}

// maskItems returns items masked (items itself when nothing is masked).
func (c *storedContent) maskItems(items []store.ConversationItem) []store.ConversationItem {
	red := c.redactor()
	if red == nil {
		return items
	}
	out := make([]store.ConversationItem, len(items))
	for i, it := range items {
		out[i] = store.ConversationItem{ID: it.ID, Item: red.RedactJSON(it.Item)}
	}
	return out
}

// maskMetadata returns a conversation's metadata masked.
func (c *storedContent) maskMetadata(md []byte) []byte {
	if red := c.redactor(); red != nil {
		return red.RedactJSON(md)
	}
	return md
}

// check returns err, after counting it and logging it the first time
// its cause is met when it is store.ErrUnreadable: once per missing key,
// once per altered row (the first maxLoggedRows).
func (c *storedContent) check(ctx context.Context, err error) error {
	if !errors.Is(err, store.ErrUnreadable) {
		return err
	}
	reason, cause := "altered", err.Error()
	var missing *seal.MissingKeyError
	switch {
	case errors.As(err, &missing):
		reason, cause = "missing_key", "key "+missing.ID.String()
	case errors.Is(err, seal.ErrMalformed):
		reason = "malformed"
	}
	c.unreadable.WithLabelValues(reason).Inc()
	c.mu.Lock()
	first := !c.logged[cause] && (reason == "missing_key" || len(c.logged) < maxLoggedRows)
	if first {
		c.logged[cause] = true
	}
	c.mu.Unlock()
	if !first {
		return err
	}
	if missing != nil {
		c.logger.ErrorContext(ctx, "responses: stored content is encrypted under a key this router is not configured with; add that key to responses.encryption.previous_keys and restart (logged once per key)",
			"key_id", missing.ID.String(), "err", err)
	} else {
		c.logger.ErrorContext(ctx, "responses: stored content does not open under its key: it was altered, or moved from another row or tenant (logged once per row)", "err", err)
	}
	return err
}
