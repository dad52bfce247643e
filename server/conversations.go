package server

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/store"
)

// conversationStore keeps the Conversations API's conversations in the
// request store (store.ConversationLog), each owned by the tenant and key
// of the request that created it (the caller in ctx), kept for the
// serving configuration's responses.conversation_retention after its last
// write.
type conversationStore struct {
	log store.ConversationLog
	cfg func() *config.Config
	now func() time.Time
	// logger hears of the items of a response that could not be added
	// (the client is told "conversation": null); added counts the
	// responses' additions by outcome.
	logger *slog.Logger
	added  *prometheus.CounterVec
	// content masks what is written (responses.redact) and reports what
	// does not open when read.
	content *storedContent
}

var (
	_ apiopenai.ConversationStore = (*conversationStore)(nil)
	_ apiopenai.ItemFinder        = (*conversationStore)(nil)
)

// newConversationStore returns the conversation store of st, nil when st
// keeps none (no request store).
func newConversationStore(st store.Store, cfg func() *config.Config, log *slog.Logger, reg prometheus.Registerer, content *storedContent) apiopenai.ConversationStore {
	cl, ok := st.(store.ConversationLog)
	if !ok {
		return nil
	}
	s := &conversationStore{log: cl, cfg: cfg, now: time.Now, logger: log, content: content,
		added: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchyard_conversation_items_added_total",
			Help: "Additions of items to a conversation before the last bytes of their answer or of POST /v1/conversations/{id}/items, by outcome (ok; failed: the items were not added, a response made in the conversation says conversation null; gone: the conversation was deleted or expired meanwhile)."}, []string{"outcome"})}
	if reg != nil {
		reg.MustRegister(s.added)
	}
	return s
}

// callerScope is the caller's tenant.
func callerScope(ctx context.Context) store.Scope {
	return store.TenantScope(gateway.CallerFrom(ctx).Tenant)
}

// expires is when a conversation written now expires.
func (s *conversationStore) expires(now time.Time) time.Time {
	return now.Add(s.cfg().Responses.ConversationRetention)
}

// Create implements apiopenai.ConversationStore.
func (s *conversationStore) Create(ctx context.Context, id string, metadata []byte, items []store.ConversationItem) (*store.Conversation, error) {
	c := gateway.CallerFrom(ctx)
	now := s.now()
	conv := &store.Conversation{ID: id, Tenant: c.Tenant, KeyName: c.Name, Created: now, Expires: s.expires(now), Metadata: s.content.maskMetadata(metadata)}
	if err := s.log.CreateConversation(ctx, conv, s.content.maskItems(items)); err != nil {
		return nil, err
	}
	conv.Metadata = metadata // the answer says what was sent; what is stored may be masked
	return conv, nil
}

// Get implements apiopenai.ConversationStore.
func (s *conversationStore) Get(ctx context.Context, id string) (*store.Conversation, error) {
	c, err := s.log.GetConversation(ctx, callerScope(ctx), id, s.now())
	return c, s.content.check(ctx, err)
}

// Update implements apiopenai.ConversationStore.
func (s *conversationStore) Update(ctx context.Context, id string, metadata []byte) (*store.Conversation, error) {
	now := s.now()
	c, err := s.log.UpdateConversation(ctx, callerScope(ctx), id, s.content.maskMetadata(metadata), s.expires(now), now)
	if err != nil {
		return nil, s.content.check(ctx, err)
	}
	c.Metadata = metadata // the answer says what was sent; what is stored may be masked
	return c, nil
}

// Delete implements apiopenai.ConversationStore.
func (s *conversationStore) Delete(ctx context.Context, id string) error {
	return s.log.DeleteConversation(ctx, callerScope(ctx), id, s.now())
}

// Append implements apiopenai.ConversationStore: a failure is logged and
// counted (a conversation gone meanwhile apart).
func (s *conversationStore) Append(ctx context.Context, id string, items []store.ConversationItem) error {
	now := s.now()
	err := s.log.AppendItems(ctx, callerScope(ctx), id, s.content.maskItems(items), s.expires(now), now)
	switch {
	case errors.Is(err, store.ErrConversationNotFound):
		s.added.WithLabelValues("gone").Inc()
	case err != nil:
		s.added.WithLabelValues("failed").Inc()
		s.logger.WarnContext(ctx, "conversations: adding items failed", "conversation", id, "items", len(items), "err", err)
	default:
		s.added.WithLabelValues("ok").Inc()
	}
	return err
}

// Items implements apiopenai.ConversationStore.
func (s *conversationStore) Items(ctx context.Context, id string) ([]store.ConversationItem, int64, error) {
	items, next, err := s.log.ConversationItems(ctx, callerScope(ctx), id, s.now())
	return items, next, s.content.check(ctx, err)
}

// List implements apiopenai.ConversationStore.
func (s *conversationStore) List(ctx context.Context, id string, q store.ItemQuery) (store.ItemPage, error) {
	p, err := s.log.ListItems(ctx, callerScope(ctx), id, q, s.now())
	return p, s.content.check(ctx, err)
}

// Item implements apiopenai.ConversationStore.
func (s *conversationStore) Item(ctx context.Context, id, itemID string) (*store.ConversationItem, error) {
	it, err := s.log.GetItem(ctx, callerScope(ctx), id, itemID, s.now())
	return it, s.content.check(ctx, err)
}

// FindItem implements apiopenai.ItemFinder: the item of that id among
// the caller's live conversations; store.ErrItemNotFound when the store
// finds none (or finds no item by id alone).
func (s *conversationStore) FindItem(ctx context.Context, itemID string) (*store.ConversationItem, error) {
	f, ok := s.log.(store.ConversationItemFinder)
	if !ok {
		return nil, store.ErrItemNotFound
	}
	it, _, err := f.FindItem(ctx, callerScope(ctx), itemID, s.now())
	return it, s.content.check(ctx, err)
}

// DeleteItem implements apiopenai.ConversationStore.
func (s *conversationStore) DeleteItem(ctx context.Context, id, itemID string) (*store.Conversation, error) {
	now := s.now()
	c, err := s.log.DeleteItem(ctx, callerScope(ctx), id, itemID, s.expires(now), now)
	return c, s.content.check(ctx, err)
}
