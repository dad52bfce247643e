package openai

import (
	"context"
	"errors"
	"net/http"
	"time"

	"switchyard/llm"
	"switchyard/store"
	wireresp "switchyard/wire/responses"
)

// This file serves the stored responses of the Responses API: a response
// created with store true is kept (ResponseStore) before its last bytes
// are sent, so that a request continuing it (previous_response_id), on
// this router or another sharing the database, always finds it; GET and
// DELETE /v1/responses/{id} and GET …/{id}/input_items read it.

// ResponseStore keeps the responses created with store true, each the
// caller's tenant's (read from ctx): another tenant's response is not
// found. It is safe for concurrent use.
type ResponseStore interface {
	// Storing reports whether responses are kept now; when not, the
	// Responses API is stateless (previous_response_id is refused and the
	// stored responses' endpoints answer 404 response_not_stored).
	Storing() bool
	// Save stores r (ID, Model, Status, Object, Input and Output set; the
	// store adds the owner and the times) for the caller of ctx, and
	// returns once any router sharing the store can read it.
	Save(ctx context.Context, r *store.Response) error
	// Load returns the caller's stored response id, or an error wrapping
	// store.ErrResponseNotFound.
	Load(ctx context.Context, id string) (*store.Response, error)
	// Delete deletes the caller's stored response id, or returns an error
	// wrapping store.ErrResponseNotFound.
	Delete(ctx context.Context, id string) error
}

// saveTimeout bounds the write of a stored response; the response is
// answered with "store": false when the write fails or takes longer.
const saveTimeout = 5 * time.Second

// storing returns the response store when responses are kept now, or nil.
func (h *Handler) storing() ResponseStore {
	if h.Responses == nil || !h.Responses.Storing() {
		return nil
	}
	return h.Responses
}

// loader returns the Loader of the stored conversations of rs for the
// caller of ctx; nil when rs is nil (stateless).
func loader(ctx context.Context, rs ResponseStore) wireresp.Loader {
	if rs == nil {
		return nil
	}
	return func(id string) (*wireresp.Prior, error) {
		sr, err := rs.Load(ctx, id)
		switch {
		case errors.Is(err, store.ErrResponseNotFound):
			return nil, wireresp.PreviousNotFound(id)
		case err != nil:
			return nil, llm.Wrap(llm.KindUnavailable, err, "The stored response named by previous_response_id could not be read; send the request again.")
		}
		return &wireresp.Prior{Input: sr.Input, Output: sr.Output}, nil
	}
}

// saveResponse stores the response object (the JSON the client gets) of
// rr's response out, and reports whether it was stored. It runs after
// the answer and before its last bytes are sent; a client leaving does
// not cancel it.
func saveResponse(ctx context.Context, rs ResponseStore, rr *wireresp.Request, meta *wireresp.Meta, out *wireresp.Output, object []byte) bool {
	input, err := wireresp.StoredInput(rr, meta.IDs)
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	err = rs.Save(ctx, &store.Response{ID: meta.IDs.Response(), Model: meta.Model, Status: out.Status,
		Object: append([]byte(nil), object...), Input: input, Output: wireresp.StoredOutput(out)})
	return err == nil
}

// responseNotFound is the error of a stored response that is not the
// caller's, has expired or was deleted, or never was, as OpenAI words it.
func responseNotFound(id string) *llm.Error {
	return llm.Errorf(llm.KindNotFound, "Response with id '%s' not found.", id)
}

// loadStored loads the caller's stored response named in r's path; on
// failure it has answered the error.
func (h *Handler) loadStored(w http.ResponseWriter, r *http.Request, rs ResponseStore) (*store.Response, bool) {
	id := r.PathValue("id")
	sr, err := rs.Load(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrResponseNotFound):
		WriteError(w, responseNotFound(id))
		return nil, false
	case err != nil:
		WriteError(w, llm.Wrap(llm.KindUnavailable, err, "The stored response could not be read; try again."))
		return nil, false
	}
	return sr, true
}

// getResponse answers GET /v1/responses/{id}: the stored Response object,
// as its creation returned it.
func (h *Handler) getResponse(w http.ResponseWriter, r *http.Request) {
	rs := h.storing()
	if rs == nil {
		h.responseNotStored(w, r)
		return
	}
	if s := r.URL.Query().Get("stream"); s != "" && s != "false" {
		e := llm.Errorf(llm.KindInvalidRequest, "Streaming a stored response again (stream=true) is not supported by this router: retrieve it without 'stream'.")
		e.Param, e.Code = "stream", "unsupported_parameter"
		WriteError(w, e)
		return
	}
	if sr, ok := h.loadStored(w, r, rs); ok {
		writeJSON(w, sr.Object)
	}
}

// deleteResponse answers DELETE /v1/responses/{id}.
func (h *Handler) deleteResponse(w http.ResponseWriter, r *http.Request) {
	rs := h.storing()
	if rs == nil {
		h.responseNotStored(w, r)
		return
	}
	id := r.PathValue("id")
	err := rs.Delete(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrResponseNotFound):
		WriteError(w, responseNotFound(id))
	case err != nil:
		WriteError(w, llm.Wrap(llm.KindUnavailable, err, "The stored response could not be deleted; try again."))
	default:
		writeJSON(w, wireresp.AppendDeleted(nil, id))
	}
}

// inputItems answers GET /v1/responses/{id}/input_items: a page of the
// items the model was given (the earlier turns' included).
func (h *Handler) inputItems(w http.ResponseWriter, r *http.Request) {
	rs := h.storing()
	if rs == nil {
		h.responseNotStored(w, r)
		return
	}
	q, err := wireresp.ParseListQuery(r.URL.Query())
	if err != nil {
		WriteError(w, err)
		return
	}
	sr, ok := h.loadStored(w, r, rs)
	if !ok {
		return
	}
	buf := getBuf()
	defer putBuf(buf)
	if *buf, err = wireresp.AppendInputItems(*buf, sr.Input, q); err != nil {
		WriteError(w, err)
		return
	}
	writeJSON(w, *buf)
}
