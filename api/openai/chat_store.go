package openai

import (
	"context"
	"errors"
	"net/http"

	"switchyard/llm"
	"switchyard/store"
	wire "switchyard/wire/openai"
	wireresp "switchyard/wire/responses"
)

// This file serves the stored Chat Completions: a chat completion created
// with store true is kept (ChatStore) before its last bytes are sent, and
// GET /v1/chat/completions lists them, GET, POST (metadata) and DELETE
// /v1/chat/completions/{id} read, update and delete one, GET
// …/{id}/messages lists its request's messages, each the caller's
// tenant's. While none are kept, every one of those paths answers 404
// chat_completion_not_stored saying why.

// ChatStore keeps the chat completions created with store true, each the
// caller's tenant's (read from ctx): another tenant's is not found. It is
// safe for concurrent use.
type ChatStore interface {
	// Storing reports whether chat completions are kept now; when not,
	// store true keeps nothing and the endpoints answer 404.
	Storing() bool
	// Save stores c (ID, Model, Object, Messages and Metadata set; the
	// store adds the owner and the times) for the caller of ctx, and
	// returns once any router sharing the store can read it. A failure is
	// the store's to log and count: the answer goes on.
	Save(ctx context.Context, c *store.ChatCompletion) error
	// Get, List, Update and Delete read and change the caller's stored
	// completions (store.ChatCompletionLog): an error wrapping
	// store.ErrChatCompletionNotFound for none.
	Get(ctx context.Context, id string) (*store.ChatCompletion, error)
	List(ctx context.Context, q store.ChatCompletionQuery) (store.ChatCompletionPage, error)
	Update(ctx context.Context, id string, metadata []byte) (*store.ChatCompletion, error)
	Delete(ctx context.Context, id string) error
}

// mountChatStore registers the stored chat completions' routes on mux.
func (h *Handler) mountChatStore(mux *http.ServeMux) {
	bounded := h.bounded(mux)
	bounded.HandleFunc("GET /v1/chat/completions", h.listChats)
	bounded.HandleFunc("GET /v1/chat/completions/{id}", h.getChat)
	bounded.HandleFunc("POST /v1/chat/completions/{id}", h.updateChat)
	bounded.HandleFunc("DELETE /v1/chat/completions/{id}", h.deleteChat)
	bounded.HandleFunc("GET /v1/chat/completions/{id}/messages", h.chatMessages)
}

// keepingChats returns the chat store when chat completions are kept
// now, or nil.
func (h *Handler) keepingChats() ChatStore {
	if h.Chats == nil || !h.Chats.Storing() {
		return nil
	}
	return h.Chats
}

// chats returns the chat store, or answers that none is kept and returns
// nil.
func (h *Handler) chats(w http.ResponseWriter, r *http.Request) ChatStore {
	cs := h.keepingChats()
	if cs == nil {
		e := llm.Errorf(llm.KindNotFound, "%s %s is not supported: this router keeps no chat completions (responses.chat_completions.store is false, or store.driver is none), so none can be listed, retrieved, updated or deleted.", r.Method, r.URL.Path)
		e.Code = "chat_completion_not_stored"
		WriteError(w, e)
	}
	return cs
}

// chatFailed answers err, a chat store's: not found as OpenAI says it,
// anything else as the store being unavailable (or its content
// unreadable).
func chatFailed(w http.ResponseWriter, err error, id string) {
	if errors.Is(err, store.ErrChatCompletionNotFound) {
		e := llm.Errorf(llm.KindNotFound, "Chat completion with id '%s' not found.", llm.Clip(id))
		e.Param = "completion_id"
		WriteError(w, e)
		return
	}
	WriteError(w, storeError(err, "The stored chat completion", "The stored chat completion could not be read or written; try again."))
}

// writeChat answers c as GET /v1/chat/completions/{id} does, or the error
// of err.
func writeChat(w http.ResponseWriter, c *store.ChatCompletion, err error, id string) {
	if err != nil {
		chatFailed(w, err, id)
		return
	}
	buf := getBuf()
	defer putBuf(buf)
	*buf = wire.AppendStoredCompletion(*buf, c.Object, c.Metadata)
	writeJSON(w, *buf)
}

// listChats answers GET /v1/chat/completions.
func (h *Handler) listChats(w http.ResponseWriter, r *http.Request) {
	cs := h.chats(w, r)
	if cs == nil {
		return
	}
	q, err := wire.ParseStoredQuery(r.URL.Query(), true)
	if err != nil {
		WriteError(w, err)
		return
	}
	page, err := cs.List(r.Context(), store.ChatCompletionQuery{Model: q.Model, Metadata: q.Metadata, After: q.After, Limit: q.Limit, Desc: q.Desc})
	if errors.Is(err, store.ErrChatCompletionNotFound) {
		e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'after': no chat completion with id '%s'.", llm.Clip(q.After))
		e.Param = "after"
		WriteError(w, e)
		return
	}
	if err != nil {
		chatFailed(w, err, "")
		return
	}
	items, ids := make([][]byte, len(page.Completions)), make([]string, len(page.Completions))
	for i, c := range page.Completions {
		items[i], ids[i] = wire.AppendStoredCompletion(nil, c.Object, c.Metadata), c.ID
	}
	buf := getBuf()
	defer putBuf(buf)
	*buf = wire.AppendStoredList(*buf, items, ids, page.HasMore)
	writeJSON(w, *buf)
}

// getChat answers GET /v1/chat/completions/{id}.
func (h *Handler) getChat(w http.ResponseWriter, r *http.Request) {
	if cs := h.chats(w, r); cs != nil {
		id := r.PathValue("id")
		c, err := cs.Get(r.Context(), id)
		writeChat(w, c, err, id)
	}
}

// updateChat answers POST /v1/chat/completions/{id}: its metadata
// replaced by the one sent.
func (h *Handler) updateChat(w http.ResponseWriter, r *http.Request) {
	cs := h.chats(w, r)
	if cs == nil {
		return
	}
	md, err := decodeBody(h, w, r, wireresp.DecodeUpdateConversation)
	if err != nil {
		WriteError(w, err)
		return
	}
	id := r.PathValue("id")
	ctx, cancel := h.writeCtx(r)
	defer cancel()
	c, err := cs.Update(ctx, id, wire.AppendMetadata(nil, md))
	writeChat(w, c, err, id)
}

// deleteChat answers DELETE /v1/chat/completions/{id}.
func (h *Handler) deleteChat(w http.ResponseWriter, r *http.Request) {
	if cs := h.chats(w, r); cs != nil {
		id := r.PathValue("id")
		ctx, cancel := h.writeCtx(r)
		defer cancel()
		if err := cs.Delete(ctx, id); err != nil {
			chatFailed(w, err, id)
			return
		}
		writeJSON(w, wire.AppendChatCompletionDeleted(nil, id))
	}
}

// chatMessages answers GET /v1/chat/completions/{id}/messages.
func (h *Handler) chatMessages(w http.ResponseWriter, r *http.Request) {
	cs := h.chats(w, r)
	if cs == nil {
		return
	}
	q, err := wire.ParseStoredQuery(r.URL.Query(), false)
	if err != nil {
		WriteError(w, err)
		return
	}
	id := r.PathValue("id")
	c, err := cs.Get(r.Context(), id)
	if err != nil {
		chatFailed(w, err, id)
		return
	}
	buf := getBuf()
	defer putBuf(buf)
	if *buf, err = wire.AppendStoredMessages(*buf, c.Messages, c.ID, q); err != nil {
		WriteError(w, err)
		return
	}
	writeJSON(w, *buf)
}
