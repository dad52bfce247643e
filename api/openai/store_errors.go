package openai

import (
	"errors"
	"net/http"

	"switchyard/llm"
	"switchyard/store"
)

// storeError is the error the client gets of err, a failed read or write
// of the stored responses or conversations other than not found: stored
// content that does not open (store.ErrUnreadable: sealed under a key
// the router lacks, or altered) is a 500 naming what (“The stored
// response”), which retrying will not help; anything else is the store
// being unavailable (503 store_unavailable), said with retry. The store's error, which may name
// a key's id or a row, goes to the log only (as the cause).
func storeError(err error, what, retry string) *llm.Error {
	if errors.Is(err, store.ErrUnreadable) {
		e := llm.Wrap(llm.KindInternal, err, what+" cannot be read: it is encrypted at rest (responses.encryption) under a key this router is not configured with, or it was altered. Retrying will not help; the router's log says which key it needs.")
		e.Code = "stored_content_unreadable"
		return e
	}
	e := llm.Wrap(llm.KindUnavailable, err, retry)
	e.Code = CodeStoreUnavailable
	return e
}

// CodeStoreUnavailable is the code of a 503 for a store that failed or
// did not answer within the store's timeout (store.timeout).
const CodeStoreUnavailable = "store_unavailable"

// bounded returns mux registering each route with its request's context
// bounded by the store's timeout (Handler.StoreTimeout): a route that
// reads or writes the store answers 503 within the bound when the
// database stops answering, not 504 at server.request_timeout. Writes
// that must not stop when the client leaves (writeCtx) take their own
// bound of the same length.
func (h *Handler) bounded(mux *http.ServeMux) store.BoundedMux {
	return store.BoundedMux{Mux: mux, Timeout: h.storeTimeout()}
}
