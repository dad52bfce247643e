package server

import (
	"fmt"

	"switchyard/api/openai/batch"
	"switchyard/llm"
)

// refusedCreation is err, a provider batch's creation failing, wrapped
// with batch.ErrNotCreated when the provider surely made no batch: it
// refused the request (400, 404, 413, 422, 429, and any other 4xx but
// 408), or the adapter refused to encode it before sending anything —
// the kinds a 4xx maps to. A timeout, a 5xx, an answer that did not
// decode or a broken connection may hide a batch the provider made: err
// is returned as it is, and the batch runner looks for that batch on a
// resume. nil stays nil.
func refusedCreation(err error) error {
	if err == nil {
		return nil
	}
	switch llm.AsError(err).Kind {
	case llm.KindInvalidRequest, llm.KindNotFound, llm.KindTooLarge, llm.KindUnprocessable, llm.KindRateLimit,
		llm.KindAuth, llm.KindPermission:
		return fmt.Errorf("%w: %w", batch.ErrNotCreated, err)
	}
	return err
}
