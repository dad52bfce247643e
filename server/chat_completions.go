package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/store"
)

// chatStore keeps the Chat Completions created with store true in the
// request store (store.ChatCompletionLog), each owned by the tenant and
// key of the request that created it (the caller in ctx), as the serving
// configuration's responses.chat_completions section says (storing on or
// off, retention); responses.redact masks them and responses.encryption
// seals them, as the stored responses.
type chatStore struct {
	log store.ChatCompletionLog
	cfg func() *config.Config
	now func() time.Time
	// logger hears of the writes that failed (the answer goes on); saved
	// counts the writes by outcome.
	logger *slog.Logger
	saved  *prometheus.CounterVec
	// content masks what is saved and reports what does not open when
	// read.
	content *storedContent
}

var _ apiopenai.ChatStore = (*chatStore)(nil)

// newChatStore returns the chat completion store of st, nil when st keeps
// none (no request store).
func newChatStore(st store.Store, cfg func() *config.Config, log *slog.Logger, reg prometheus.Registerer, content *storedContent) apiopenai.ChatStore {
	cl, ok := st.(store.ChatCompletionLog)
	if !ok {
		return nil
	}
	s := &chatStore{log: cl, cfg: cfg, now: time.Now, logger: log, content: content,
		saved: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchyard_chat_completions_saved_total",
			Help: "Chat completions created with store true written to the store before their last bytes, by outcome (ok; failed: the answer went on, nothing was kept)."}, []string{"outcome"})}
	if reg != nil {
		reg.MustRegister(s.saved)
	}
	return s
}

// Storing implements apiopenai.ChatStore.
func (s *chatStore) Storing() bool {
	cc := s.cfg().Responses.ChatCompletions
	return cc.StoreOn()
}

// Save implements apiopenai.ChatStore: c expires after the serving
// configuration's responses.chat_completions.retention, its content
// masked as responses.redact says (c itself is left as it is); a failure
// is logged and counted.
func (s *chatStore) Save(ctx context.Context, c *store.ChatCompletion) error {
	caller := gateway.CallerFrom(ctx)
	kept := *c
	kept.Tenant, kept.KeyName = caller.Tenant, caller.Name
	kept.Created = s.now()
	kept.Expires = kept.Created.Add(s.cfg().Responses.ChatCompletions.Retention)
	if red := s.content.redactor(); red != nil {
		kept.Object, kept.Messages, kept.Metadata = red.RedactJSON(kept.Object), red.RedactJSON(kept.Messages), red.RedactJSON(kept.Metadata)
	}
	if err := s.log.SaveChatCompletion(ctx, &kept); err != nil {
		s.saved.WithLabelValues("failed").Inc()
		s.logger.WarnContext(ctx, "chat completions: storing a chat completion failed; it was answered all the same", "chat_completion", c.ID, "err", err)
		return err
	}
	s.saved.WithLabelValues("ok").Inc()
	return nil
}

// Get implements apiopenai.ChatStore.
func (s *chatStore) Get(ctx context.Context, id string) (*store.ChatCompletion, error) {
	c, err := s.log.GetChatCompletion(ctx, callerScope(ctx), id, s.now())
	return c, s.content.check(ctx, err)
}

// List implements apiopenai.ChatStore.
func (s *chatStore) List(ctx context.Context, q store.ChatCompletionQuery) (store.ChatCompletionPage, error) {
	p, err := s.log.ListChatCompletions(ctx, callerScope(ctx), q, s.now())
	return p, s.content.check(ctx, err)
}

// Update implements apiopenai.ChatStore: the answer holds the metadata
// sent; what is stored may be masked.
func (s *chatStore) Update(ctx context.Context, id string, metadata []byte) (*store.ChatCompletion, error) {
	c, err := s.log.UpdateChatCompletion(ctx, callerScope(ctx), id, s.content.maskMetadata(metadata), s.now())
	if err != nil {
		return nil, s.content.check(ctx, err)
	}
	c.Metadata = metadata
	return c, nil
}

// Delete implements apiopenai.ChatStore.
func (s *chatStore) Delete(ctx context.Context, id string) error {
	return s.log.DeleteChatCompletion(ctx, callerScope(ctx), id, s.now())
}
