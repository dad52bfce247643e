package server

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"switchyard/llm"
)

// maxSecretBody bounds the body of POST /v1/realtime/client_secrets.
const maxSecretBody = 1 << 20

// readSmallBody reads the JSON body of a request the server answers
// itself (a rating, a client secret's request), at most limit bytes,
// without a leading UTF-8 byte order mark, as the API reads its bodies.
// Its errors are *llm.Error: too large (413), the server's read deadline
// (408) as it set it, or an invalid request for a body cut short or
// otherwise unreadable (never the 500 of an unknown error).
func readSmallBody(r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	switch {
	case err != nil:
		if e := (*llm.Error)(nil); errors.As(err, &e) {
			return nil, e
		}
		if errors.Is(err, io.ErrUnexpectedEOF) && r.ContentLength > 0 {
			e := llm.Errorf(llm.KindInvalidRequest, "The request body ended after %d bytes, before its declared Content-Length of %d.", len(b), r.ContentLength)
			e.Err = err
			return nil, e
		}
		return nil, llm.Wrap(llm.KindInvalidRequest, err, "could not read the request body")
	case int64(len(b)) > limit:
		return nil, llm.Errorf(llm.KindTooLarge, "The request body is larger than %d bytes.", limit)
	}
	return bytes.TrimPrefix(b, byteOrderMark), nil
}

// byteOrderMark is U+FEFF in UTF-8, which RFC 8259 §8.1 lets a parser
// ignore at a JSON text's start (Windows tools write it).
var byteOrderMark = []byte("\xef\xbb\xbf")
