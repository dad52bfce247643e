package openai

import (
	"context"
	"errors"
	"net/http"

	"switchyard/llm"
	"switchyard/store"
	wireresp "switchyard/wire/responses"
)

// This file serves OpenAI's Conversations API (/v1/conversations) over a
// ConversationStore: a conversation and its items, created, read,
// updated and deleted as OpenAI does, each the caller's tenant's. Without
// a store, or while responses are not kept, every path answers 404
// conversation_not_stored saying why.

// mountConversations registers the Conversations API's routes on mux.
func (h *Handler) mountConversations(mux *http.ServeMux) {
	bounded := h.bounded(mux)
	bounded.HandleFunc("POST /v1/conversations", h.createConversation)
	bounded.HandleFunc("GET /v1/conversations/{id}", h.getConversation)
	bounded.HandleFunc("POST /v1/conversations/{id}", h.updateConversation)
	bounded.HandleFunc("DELETE /v1/conversations/{id}", h.deleteConversation)
	bounded.HandleFunc("POST /v1/conversations/{id}/items", h.addItems)
	bounded.HandleFunc("GET /v1/conversations/{id}/items", h.listItems)
	bounded.HandleFunc("GET /v1/conversations/{id}/items/{item_id}", h.getItem)
	bounded.HandleFunc("DELETE /v1/conversations/{id}/items/{item_id}", h.deleteItem)
	mux.HandleFunc("/v1/conversations", h.conversationNotServed)
	mux.HandleFunc("/v1/conversations/", h.conversationNotServed)
}

// conversationNotServed answers what the router does not serve under
// /v1/conversations: everything when it keeps no conversations; other
// methods and paths (listing every conversation) otherwise.
func (h *Handler) conversationNotServed(w http.ResponseWriter, r *http.Request) {
	var e *llm.Error
	if h.conversing() == nil {
		e = llm.Errorf(llm.KindNotFound, "%s %s is not supported: this router keeps no conversations (responses.store is false, or store.driver is none). Send the whole conversation in 'input' of POST /v1/responses.", r.Method, r.URL.Path)
		e.Code = "conversation_not_stored"
	} else {
		e = llm.Errorf(llm.KindNotFound, "%s %s is not supported by this router: it serves POST /v1/conversations, GET, POST and DELETE /v1/conversations/{id}, GET and POST /v1/conversations/{id}/items, and GET and DELETE /v1/conversations/{id}/items/{item_id}.", r.Method, r.URL.Path)
		e.Code = "unknown_url"
	}
	WriteError(w, e)
}

// conversations returns the conversation store, or answers that there
// is none and returns nil.
func (h *Handler) conversations(w http.ResponseWriter, r *http.Request) ConversationStore {
	cs := h.conversing()
	if cs == nil {
		h.conversationNotServed(w, r)
	}
	return cs
}

// itemNotFound is the error of an item the conversation does not hold.
func itemNotFound(id string) *llm.Error {
	return llm.Errorf(llm.KindNotFound, "Item with id '%s' not found.", llm.Clip(id))
}

// storeFailed answers err, a conversation store's: not found as OpenAI
// says it (the conversation id, the item itemID), anything else as the
// store being unavailable, retried.
func storeFailed(w http.ResponseWriter, err error, id, itemID string) {
	switch {
	case errors.Is(err, store.ErrConversationNotFound):
		WriteError(w, wireresp.ConversationNotFound(id, ""))
	case errors.Is(err, store.ErrItemNotFound):
		WriteError(w, itemNotFound(itemID))
	default:
		WriteError(w, storeError(err, "The conversation", "The conversation could not be read or written; try again."))
	}
}

// writeConversation answers c, or the error of err.
func writeConversation(w http.ResponseWriter, c *store.Conversation, err error, id string) {
	if err != nil {
		storeFailed(w, err, id, "")
		return
	}
	writeJSON(w, wireresp.AppendConversation(nil, c.ID, c.Created.Unix(), c.Metadata))
}

// createConversation answers POST /v1/conversations.
func (h *Handler) createConversation(w http.ResponseWriter, r *http.Request) {
	cs := h.conversations(w, r)
	if cs == nil {
		return
	}
	body, err := decodeBody(h, w, r, wireresp.DecodeNewConversation)
	var items []wireresp.StoredItem
	if err == nil {
		items, err = wireresp.NewItems(body.Items)
	}
	if err != nil {
		WriteError(w, err)
		return
	}
	id := wireresp.NewConversationID()
	ctx, cancel := h.writeCtx(r)
	defer cancel()
	c, err := cs.Create(ctx, id, wireresp.MetadataJSON(body.Metadata), storeItems(items))
	writeConversation(w, c, err, id)
}

// getConversation answers GET /v1/conversations/{id}.
func (h *Handler) getConversation(w http.ResponseWriter, r *http.Request) {
	if cs := h.conversations(w, r); cs != nil {
		id := r.PathValue("id")
		c, err := cs.Get(r.Context(), id)
		writeConversation(w, c, err, id)
	}
}

// updateConversation answers POST /v1/conversations/{id}: its metadata
// replaced by the one sent.
func (h *Handler) updateConversation(w http.ResponseWriter, r *http.Request) {
	cs := h.conversations(w, r)
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
	c, err := cs.Update(ctx, id, wireresp.MetadataJSON(md))
	writeConversation(w, c, err, id)
}

// deleteConversation answers DELETE /v1/conversations/{id}.
func (h *Handler) deleteConversation(w http.ResponseWriter, r *http.Request) {
	if cs := h.conversations(w, r); cs != nil {
		id := r.PathValue("id")
		ctx, cancel := h.writeCtx(r)
		defer cancel()
		if err := cs.Delete(ctx, id); err != nil {
			storeFailed(w, err, id, "")
			return
		}
		writeJSON(w, wireresp.AppendConversationDeleted(nil, id))
	}
}

// addItems answers POST /v1/conversations/{id}/items: the items added,
// with their ids, as a list.
func (h *Handler) addItems(w http.ResponseWriter, r *http.Request) {
	cs := h.conversations(w, r)
	if cs == nil {
		return
	}
	raw, err := decodeBody(h, w, r, wireresp.DecodeAddItems)
	var items []wireresp.StoredItem
	if err == nil {
		items, err = wireresp.NewItems(raw)
	}
	if err != nil {
		WriteError(w, err)
		return
	}
	id := r.PathValue("id")
	ctx, cancel := h.writeCtx(r)
	defer cancel()
	if err := cs.Append(ctx, id, storeItems(items)); err != nil {
		storeFailed(w, err, id, "")
		return
	}
	writeJSON(w, wireresp.AppendItemList(nil, items, false))
}

// listItems answers GET /v1/conversations/{id}/items: a page of its
// items, newest first unless order=asc, after the item after.
func (h *Handler) listItems(w http.ResponseWriter, r *http.Request) {
	cs := h.conversations(w, r)
	if cs == nil {
		return
	}
	q, err := wireresp.ParseListQuery(r.URL.Query())
	if err != nil {
		WriteError(w, err)
		return
	}
	id := r.PathValue("id")
	page, err := cs.List(r.Context(), id, store.ItemQuery{After: q.After, Limit: q.Limit, Desc: q.Desc})
	if errors.Is(err, store.ErrItemNotFound) {
		e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'after': no item with id '%s' in this conversation.", llm.Clip(q.After))
		e.Param = "after"
		WriteError(w, e)
		return
	}
	if err != nil {
		storeFailed(w, err, id, "")
		return
	}
	items := make([]wireresp.StoredItem, len(page.Items))
	for i, it := range page.Items {
		items[i] = wireresp.StoredItem{ID: it.ID, JSON: it.Item}
	}
	buf := getBuf()
	defer putBuf(buf)
	*buf = wireresp.AppendItemList(*buf, items, page.HasMore)
	writeJSON(w, *buf)
}

// getItem answers GET /v1/conversations/{id}/items/{item_id}.
func (h *Handler) getItem(w http.ResponseWriter, r *http.Request) {
	if cs := h.conversations(w, r); cs != nil {
		id, itemID := r.PathValue("id"), r.PathValue("item_id")
		it, err := cs.Item(r.Context(), id, itemID)
		if err != nil {
			storeFailed(w, err, id, itemID)
			return
		}
		writeJSON(w, it.Item)
	}
}

// deleteItem answers DELETE /v1/conversations/{id}/items/{item_id}: the
// conversation, without the item.
func (h *Handler) deleteItem(w http.ResponseWriter, r *http.Request) {
	if cs := h.conversations(w, r); cs != nil {
		id, itemID := r.PathValue("id"), r.PathValue("item_id")
		ctx, cancel := h.writeCtx(r)
		defer cancel()
		c, err := cs.DeleteItem(ctx, id, itemID)
		if err != nil {
			storeFailed(w, err, id, itemID)
			return
		}
		writeConversation(w, c, nil, id)
	}
}

// writeCtx is r's context for a write, bounded: a client leaving does
// not cancel it halfway, as for the stored responses.
func (h *Handler) writeCtx(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(r.Context()), h.storeTimeout())
}
