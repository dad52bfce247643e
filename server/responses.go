package server

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/background"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/store"
)

// responseStore keeps the Responses API's stored responses in the request
// store (store.ResponseLog), each owned by the tenant and key of the
// request that created it (the caller in ctx), as the serving
// configuration's responses section says (storing on or off, retention).
type responseStore struct {
	log store.ResponseLog
	cfg func() *config.Config
	now func() time.Time
	// logger hears of the writes that failed (the client is told "store":
	// false); saved counts the writes by outcome and took times them (they
	// are on the response's path).
	logger *slog.Logger
	saved  *prometheus.CounterVec
	took   prometheus.Histogram
	// content masks what is saved (responses.redact) and reports what
	// does not open when read.
	content *storedContent
}

// backgroundResponses is a responseStore whose store keeps the
// background responses too.
type backgroundResponses struct {
	*responseStore
	bg store.BackgroundLog
}

var (
	_ apiopenai.ResponseStore   = (*responseStore)(nil)
	_ apiopenai.BackgroundStore = backgroundResponses{}
)

// newResponseStore returns the response store of st, nil when st keeps
// no responses (no request store). The message threads are kept in it
// too (threadStore), under their msg_ ids, which it never finds.
func newResponseStore(st store.Store, cfg func() *config.Config, log *slog.Logger, reg prometheus.Registerer, content *storedContent) *responseStore {
	rl, ok := st.(store.ResponseLog)
	if !ok {
		return nil
	}
	s := &responseStore{log: rl, cfg: cfg, now: time.Now, logger: log, content: content,
		saved: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchyard_responses_saved_total",
			Help: "Responses API responses written to the store before their last bytes, by outcome (ok; failed: answered with store false; parent_gone: the response continued, or the conversation it was made in, was erased meanwhile, so it is written again with its whole conversation)."}, []string{"outcome"}),
		took: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "switchyard_responses_save_seconds",
			Help:    "Time to write a stored response, which its last bytes wait for.",
			Buckets: []float64{0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5}})}
	if reg != nil {
		reg.MustRegister(s.saved, s.took)
	}
	return s
}

// responsesAPI is the Responses API's store of s (nil when s is nil):
// with the background responses when st keeps them.
func responsesAPI(s *responseStore, st store.Store) apiopenai.ResponseStore {
	if s == nil {
		return nil
	}
	if bg, ok := st.(store.BackgroundLog); ok {
		return backgroundResponses{s, bg}
	}
	return s
}

// Storing implements apiopenai.ResponseStore.
func (s *responseStore) Storing() bool {
	r := s.cfg().Responses
	return r.StoreOn()
}

// Save implements apiopenai.ResponseStore: r expires after the serving
// configuration's responses.retention, its content masked as its
// responses.redact says (r itself is left as it is). A parent no longer
// kept (store.ErrParentNotFound) is counted apart, not as a failure: the
// caller saves r again as a root.
func (s *responseStore) Save(ctx context.Context, r *store.Response) error {
	c := gateway.CallerFrom(ctx)
	r.Tenant, r.KeyName = c.Tenant, c.Name
	r.Created = s.now()
	r.Expires = r.Created.Add(s.cfg().Responses.Retention)
	kept := *r
	s.content.maskResponse(&kept)
	err := s.log.SaveResponse(ctx, &kept)
	s.took.Observe(time.Since(r.Created).Seconds())
	if errors.Is(err, store.ErrParentNotFound) {
		s.saved.WithLabelValues("parent_gone").Inc()
		return err
	}
	if err != nil {
		s.saved.WithLabelValues("failed").Inc()
		s.logger.WarnContext(ctx, "responses: storing a response failed; it was answered with store false", "response", r.ID, "err", err)
		return err
	}
	s.saved.WithLabelValues("ok").Inc()
	return nil
}

// Load implements apiopenai.ResponseStore; a message thread's turn is
// not found (isThreadTurn).
func (s *responseStore) Load(ctx context.Context, id string) (*store.Response, error) {
	if isThreadTurn(id) {
		return nil, store.ErrResponseNotFound
	}
	r, err := s.log.GetResponse(ctx, store.TenantScope(gateway.CallerFrom(ctx).Tenant), id, s.now())
	return r, s.content.check(ctx, err)
}

// Chain implements apiopenai.ResponseStore; a message thread's turn is
// not found (isThreadTurn).
func (s *responseStore) Chain(ctx context.Context, id string) ([]*store.Response, error) {
	if isThreadTurn(id) {
		return nil, store.ErrResponseNotFound
	}
	chain, err := s.log.ResponseChain(ctx, store.TenantScope(gateway.CallerFrom(ctx).Tenant), id, s.now())
	return chain, s.content.check(ctx, err)
}

// Delete implements apiopenai.ResponseStore; a message thread's turn is
// not found (isThreadTurn).
func (s *responseStore) Delete(ctx context.Context, id string) error {
	if isThreadTurn(id) {
		return store.ErrResponseNotFound
	}
	return s.log.DeleteResponse(ctx, store.TenantScope(gateway.CallerFrom(ctx).Tenant), id, s.now())
}

// scope is the caller's tenant's scope.
func scope(ctx context.Context) store.Scope { return store.TenantScope(gateway.CallerFrom(ctx).Tenant) }

// Update implements apiopenai.BackgroundStore: u is the caller's, its
// content masked as responses.redact says (u itself is left as it is).
func (s backgroundResponses) Update(ctx context.Context, u *store.BackgroundUpdate) error {
	kept := *u
	kept.Tenant = gateway.CallerFrom(ctx).Tenant
	if red := s.content.redactor(); red != nil {
		kept.Object, kept.Output = red.RedactJSON(kept.Object), red.RedactJSON(kept.Output)
	}
	return s.bg.UpdateBackground(ctx, &kept)
}

// Cancel implements apiopenai.BackgroundStore; object is made from the
// stored one, masked already.
func (s backgroundResponses) Cancel(ctx context.Context, id string, object []byte) (bool, error) {
	return s.bg.CancelResponse(ctx, scope(ctx), id, object, s.now())
}

// AppendEvents implements apiopenai.BackgroundStore: the events masked as
// responses.redact says, each string of their data on its own.
func (s backgroundResponses) AppendEvents(ctx context.Context, id string, b store.EventBatch) error {
	if red := s.content.redactor(); red != nil {
		b.Data = red.RedactJSON(b.Data)
	}
	return s.bg.AppendEvents(ctx, gateway.CallerFrom(ctx).Tenant, id, b)
}

// Events implements apiopenai.BackgroundStore.
func (s backgroundResponses) Events(ctx context.Context, id string, after int64) ([]store.EventBatch, error) {
	evs, err := s.bg.Events(ctx, scope(ctx), id, after, s.now())
	return evs, s.content.check(ctx, err)
}

// newBackground returns the runner of the background responses kept in
// st, as cfg's responses.background says; nil without a store keeping
// them, or with background responses off.
func newBackground(cfg *config.Config, st store.Store, log *slog.Logger, reg prometheus.Registerer) *background.Runner {
	bg, ok := st.(store.BackgroundLog)
	b := &cfg.Responses.Background
	if !ok || !b.On() {
		return nil
	}
	return background.New(background.Options{Log: bg, MaxConcurrent: b.MaxConcurrent, MaxQueued: b.MaxQueued,
		Timeout: b.Timeout, Lease: b.Lease, EventsRetention: b.EventsRetention, Logger: log, Metrics: background.NewMetrics(reg)})
}
