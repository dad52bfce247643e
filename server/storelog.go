package server

import (
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/config"
	"switchyard/guard"
	"switchyard/record"
	"switchyard/store"
	"switchyard/store/open"
)

// requestLog starts the writer to st, the request log, and returns it with
// the sink that feeds it; both are nil when st is nil. The writer logs to
// log and exports its metrics to reg. The sink masks bodies with the
// redactor in red, which it sets to cfg's (bodyRedactor) and a change of
// configuration replaces.
func requestLog(cfg *config.Config, st store.Store, red *atomic.Pointer[guard.Redactor], log *slog.Logger, reg prometheus.Registerer) (*store.Writer, record.Sink, error) {
	if st == nil {
		return nil, nil, nil
	}
	r, err := bodyRedactor(cfg)
	if err != nil {
		return nil, nil, err
	}
	red.Store(r)
	wc := open.WriterConfig(&cfg.Store)
	wc.Logger, wc.Registerer = log, reg
	w := store.NewWriter(st, wc)
	return w, record.StoreSink(w, record.StoreOptions{Bodies: keepsBodies(cfg, st), CurrentRedactor: red.Load}), nil
}

// keepsBodies reports whether the request log keeps redacted prompts and
// answers (store.bodies: redacted), so the gateway must keep them in each
// record.
func keepsBodies(cfg *config.Config, st store.Store) bool {
	return st != nil && cfg.Store.Bodies == config.StoreBodiesRedacted
}

// bodyRedactor is the redactor of the bodies the request log keeps: the
// built-in kinds plus every credential of the configuration, so a
// provider or client key pasted into a prompt is masked even when no
// pattern knows its shape, and the custom patterns of
// store.redact_patterns (which Validate has already compiled once).
func bodyRedactor(cfg *config.Config) (*guard.Redactor, error) {
	pats := make([]guard.Pattern, len(cfg.Store.RedactPatterns))
	for i, p := range cfg.Store.RedactPatterns {
		pats[i] = guard.Pattern{Name: p.Name, Expr: p.Pattern}
	}
	r, err := guard.New(guard.Options{Secrets: configSecrets(cfg), Patterns: pats})
	if err != nil {
		return nil, fmt.Errorf("store.redact_patterns: %w", err)
	}
	return r, nil
}

// configSecrets lists the configuration's credentials: provider keys
// (pools included) and header values, client keys and admin keys.
func configSecrets(cfg *config.Config) []string {
	var out []string
	for _, name := range cfg.ProviderNames() {
		p := cfg.Providers[name]
		out = append(out, p.APIKey)
		out = append(out, p.APIKeys...)
		for _, e := range p.Endpoints {
			out = append(out, e.APIKey)
		}
		for _, v := range p.Headers {
			out = append(out, v)
		}
	}
	for _, k := range cfg.Auth.Keys {
		out = append(out, k.Key)
	}
	for _, k := range cfg.Auth.AdminKeys {
		out = append(out, k.Key)
	}
	return out
}
