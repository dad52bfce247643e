package openai

import (
	"errors"

	"switchyard/llm"
	"switchyard/store"
)

// storeError is the error the client gets of err, a failed read or write
// of the stored responses or conversations other than not found: stored
// content that does not open (store.ErrUnreadable: sealed under a key
// the router lacks, or altered) is a 500 naming what (“The stored
// response”), which retrying will not help; anything else is the store
// being unavailable, said with retry. The store's error, which may name
// a key's id or a row, goes to the log only (as the cause).
func storeError(err error, what, retry string) *llm.Error {
	if errors.Is(err, store.ErrUnreadable) {
		e := llm.Wrap(llm.KindInternal, err, what+" cannot be read: it is encrypted at rest (responses.encryption) under a key this router is not configured with, or it was altered. Retrying will not help; the router's log says which key it needs.")
		e.Code = "stored_content_unreadable"
		return e
	}
	return llm.Wrap(llm.KindUnavailable, err, retry)
}
