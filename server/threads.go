package server

import (
	"context"
	"strings"

	apianthropic "switchyard/api/anthropic"
	"switchyard/store"
)

// threadStore keeps the Messages API's message threads in the stored
// responses (store.ResponseLog), each turn under its reply's msg_ id:
// the same table, owner, retention (responses.retention), masking
// (responses.redact), sealing (responses.encryption) and purge as the
// Responses API's stored responses, which never find a msg_ id
// (isThreadTurn), as threads never find a resp_ one. Threads are held
// while responses are stored (responses.store).
type threadStore struct{ *responseStore }

var _ apianthropic.ThreadStore = threadStore{}

// threadsAPI is the thread store of s; nil (no thread held) when s is.
func threadsAPI(s *responseStore) apianthropic.ThreadStore {
	if s == nil {
		return nil
	}
	return threadStore{s}
}

// isThreadTurn reports whether id names a message thread's turn (a
// Messages API message id) rather than a Responses API response.
func isThreadTurn(id string) bool { return strings.HasPrefix(id, "msg_") }

// Holding implements apianthropic.ThreadStore.
func (s threadStore) Holding() bool { return s.Storing() }

// Save implements apianthropic.ThreadStore: as a stored response
// (responseStore.Save: the caller's, retention, masking).
func (s threadStore) Save(ctx context.Context, t *store.Response) error {
	if !isThreadTurn(t.ID) {
		return store.ErrResponseNotFound
	}
	return s.responseStore.Save(ctx, t)
}

// Chain implements apianthropic.ThreadStore.
func (s threadStore) Chain(ctx context.Context, id string) ([]*store.Response, error) {
	if !isThreadTurn(id) {
		return nil, store.ErrResponseNotFound
	}
	chain, err := s.log.ResponseChain(ctx, scope(ctx), id, s.now())
	return chain, s.content.check(ctx, err)
}
