package openai

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"switchyard/api/openai/background"
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
	// Save stores r (ID, Parent, Model, Status, Object, Input and Output
	// set; the store adds the owner and the times) for the caller of ctx,
	// and returns once any router sharing the store can read it. An error
	// wrapping store.ErrParentNotFound says r.Parent is no longer kept:
	// nothing was saved.
	Save(ctx context.Context, r *store.Response) error
	// Load returns the caller's stored response id as stored (its own
	// input items only, after its Parent's conversation), or an error
	// wrapping store.ErrResponseNotFound.
	Load(ctx context.Context, id string) (*store.Response, error)
	// Chain returns the caller's stored response id after its ancestors,
	// root first (store.ResponseLog's ResponseChain), or an error
	// wrapping store.ErrResponseNotFound.
	Chain(ctx context.Context, id string) ([]*store.Response, error)
	// Delete deletes the caller's stored response id, or returns an error
	// wrapping store.ErrResponseNotFound.
	Delete(ctx context.Context, id string) error
}

// storeTimeout bounds each read or write of the store a request waits
// for (Handler.StoreTimeout, store.timeout): the earlier turns a
// continuation or a conversation carries on, a stored response retrieved
// or saved (answered with "store": false when the write fails or takes
// longer). A database that stopped answering makes a read a 503 within
// seconds, not a 504 at server.request_timeout.
func (h *Handler) storeTimeout() time.Duration {
	return store.Timeouts{Request: h.StoreTimeout}.RequestOr()
}

// read calls f with ctx bounded by bound.
func read[T any](ctx context.Context, bound time.Duration, f func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	return f(ctx)
}

// storing returns the response store when responses are kept now, or nil.
func (h *Handler) storing() ResponseStore {
	if h.Responses == nil || !h.Responses.Storing() {
		return nil
	}
	return h.Responses
}

// loader returns the Loader of the stored conversations of rs for the
// caller of ctx, each read bounded by bound; nil when rs is nil
// (stateless).
func loader(ctx context.Context, rs ResponseStore, bound time.Duration) wireresp.Loader {
	if rs == nil {
		return nil
	}
	return func(id string) (*wireresp.Prior, error) {
		chain, err := read(ctx, bound, func(ctx context.Context) ([]*store.Response, error) { return rs.Chain(ctx, id) })
		switch {
		case errors.Is(err, store.ErrResponseNotFound):
			return nil, wireresp.PreviousNotFound(id)
		case err != nil:
			return nil, storeError(err, "The stored response named by previous_response_id", "The stored response named by previous_response_id could not be read; send the request again.")
		case store.Running(chain[len(chain)-1].Status):
			e := llm.Errorf(llm.KindInvalidRequest, "Previous response with id '%s' is still in progress (a background response): wait until it completes, then continue it.", llm.Clip(id))
			e.Param = "previous_response_id"
			return nil, e
		}
		return &wireresp.Prior{Input: chainInput(chain), Output: chain[len(chain)-1].Output}, nil
	}
}

// chainInput returns the items the model of a stored response's chain's
// last response was given besides the instructions: each ancestor's
// input then output, root first, then its own input.
func chainInput(chain []*store.Response) json.RawMessage {
	parts := make([]json.RawMessage, 0, 2*len(chain))
	for _, r := range chain[:len(chain)-1] {
		parts = append(parts, r.Input, r.Output)
	}
	return wireresp.JoinItems(append(parts, chain[len(chain)-1].Input)...)
}

// saveResponse stores the response object (the JSON the client gets) of
// rr's response out, and reports whether it was stored. It runs after
// the answer and before its last bytes are sent; a client leaving does
// not cancel it. A continuation is stored after the response it
// continued, and a response made in a conversation after the items it
// was given, with only its own input; when that response or conversation
// is no longer kept (erased since it was read), with its whole
// conversation, as a root.
func saveResponse(ctx context.Context, rs ResponseStore, bound time.Duration, rr *wireresp.Request, meta *wireresp.Meta, out *wireresp.Output, object []byte) bool {
	r, err := storedResponse(rr, meta, out, object)
	return err == nil && saveStored(ctx, rs, bound, rr, r) == nil
}

// storedResponse is what the store keeps of rr's response out, whose
// response object is object.
func storedResponse(rr *wireresp.Request, meta *wireresp.Meta, out *wireresp.Output, object []byte) (*store.Response, error) {
	input, err := wireresp.StoredInput(rr, meta.IDs)
	if err != nil {
		return nil, err
	}
	return &store.Response{ID: meta.IDs.Response(), Parent: rr.PreviousResponseID, Model: meta.Model, Status: out.Status,
		Object: append([]byte(nil), object...), Input: input, Output: wireresp.StoredOutput(out),
		Conversation: rr.Conversation, ConversationSeq: rr.ConversationPosition()}, nil
}

// saveStored saves r, rr's response, as saveResponse says, bounded by
// bound, and returns the store's error.
func saveStored(ctx context.Context, rs ResponseStore, bound time.Duration, rr *wireresp.Request, r *store.Response) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bound)
	defer cancel()
	err := rs.Save(ctx, r)
	if errors.Is(err, store.ErrParentNotFound) {
		r.Parent, r.Conversation, r.ConversationSeq, r.Input = "", "", 0, wireresp.JoinItems(rr.Continued(), r.Input)
		err = rs.Save(ctx, r)
	}
	return err
}

// responseNotFound is the error of a stored response that is not the
// caller's, has expired or was deleted, or never was, as OpenAI words it.
func responseNotFound(id string) *llm.Error {
	return llm.Errorf(llm.KindNotFound, "Response with id '%s' not found.", llm.Clip(id))
}

// loadStored loads with load the caller's stored response named in r's
// path (Load, or its Chain), bounded by bound; on failure it has
// answered the error.
func loadStored[T any](w http.ResponseWriter, r *http.Request, bound time.Duration, load func(context.Context, string) (T, error)) (T, bool) {
	id := r.PathValue("id")
	v, err := read(r.Context(), bound, func(ctx context.Context) (T, error) { return load(ctx, id) })
	switch {
	case errors.Is(err, store.ErrResponseNotFound):
		WriteError(w, responseNotFound(id))
		return v, false
	case err != nil:
		WriteError(w, storeError(err, "The stored response", "The stored response could not be read; try again."))
		return v, false
	}
	return v, true
}

// getResponse answers GET /v1/responses/{id}: the stored Response object,
// as its creation returned it.
func (h *Handler) getResponse(w http.ResponseWriter, r *http.Request) {
	rs := h.storing()
	if rs == nil {
		h.responseNotStored(w, r)
		return
	}
	stream, err := streamAsked(r)
	if err != nil {
		WriteError(w, err)
		return
	}
	if stream {
		h.resume(w, r, rs)
		return
	}
	if sr, ok := loadStored(w, r, h.storeTimeout(), rs.Load); ok {
		writeJSON(w, sr.Object)
	}
}

// maxRetrieveBody bounds the body of a retrieval read (streamAsked).
const maxRetrieveBody = 4 << 10

// streamAsked reports whether a retrieval asks for the response's events:
// stream=true in the query (npm openai, Python), or {"stream": true} in
// its body (openai-go sends it there).
func streamAsked(r *http.Request) (bool, error) {
	if s := r.URL.Query().Get("stream"); s != "" {
		return s != "false", nil
	}
	if r.Body == nil || r.ContentLength == 0 {
		return false, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxRetrieveBody+1))
	if err != nil {
		return false, llm.Wrap(llm.KindInvalidRequest, err, "could not read the request body")
	}
	return wireresp.DecodeRetrieveBody(b)
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
		WriteError(w, storeError(err, "The stored response", "The stored response could not be deleted; try again."))
	default:
		if h.Background != nil { // a background response deleted while it runs here stops now
			h.Background.Cancel(id, background.ErrStopped)
		}
		writeJSON(w, wireresp.AppendDeleted(nil, id))
	}
}

// inputItems answers GET /v1/responses/{id}/input_items: a page of the
// items the model was given (the earlier turns' included, read through
// the response's chain).
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
	chain, ok := loadStored(w, r, h.storeTimeout(), rs.Chain)
	if !ok {
		return
	}
	buf := getBuf()
	defer putBuf(buf)
	if *buf, err = wireresp.AppendInputItems(*buf, chainInput(chain), q); err != nil {
		WriteError(w, err)
		return
	}
	writeJSON(w, *buf)
}
