package server

import (
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"switchyard/llm"
)

// decompress serves API requests whose body is compressed: a
// Content-Encoding of gzip (or x-gzip) or deflate (zlib's format, as
// HTTP defines it) is decoded as the handlers read the body, so the
// body's limit (server.max_body_bytes) bounds the decoded bytes and a
// small body that inflates past it is a 413. Any other encoding is a 415
// saying which ones are taken; corrupt data is a 400.
func (s *Server) decompress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		enc := r.Header.Get("Content-Encoding")
		if enc == "" {
			next.ServeHTTP(w, r)
			return
		}
		body, err := decodedBody(r.Body, enc)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if body != r.Body {
			r = r.Clone(r.Context())
			r.Body, r.ContentLength = body, -1
			r.Header.Del("Content-Encoding")
			r.Header.Del("Content-Length")
		}
		next.ServeHTTP(w, r)
	})
}

// decodedBody returns body decoded by the content coding enc, or body
// itself for identity. Errors are *llm.Error.
func decodedBody(body io.ReadCloser, enc string) (io.ReadCloser, error) {
	coding := strings.ToLower(strings.TrimSpace(enc))
	switch coding {
	case "", "identity":
		return body, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, corrupt(coding, err)
		}
		return &decodingBody{dec: zr, raw: body, coding: coding}, nil
	case "deflate":
		zr, err := zlib.NewReader(body)
		if err != nil {
			return nil, corrupt(coding, err)
		}
		return &decodingBody{dec: zr, raw: body, coding: coding}, nil
	}
	e := llm.Errorf(llm.KindInvalidRequest, "The request body's Content-Encoding %q is not supported: send it uncompressed, or compressed with gzip or deflate.", clip(enc, 64))
	e.Status, e.Code = http.StatusUnsupportedMediaType, "unsupported_content_encoding"
	return nil, e
}

// decodingBody reads a compressed body through its decoder.
type decodingBody struct {
	dec    io.ReadCloser
	raw    io.ReadCloser
	coding string
}

func (b *decodingBody) Read(p []byte) (int, error) {
	n, err := b.dec.Read(p)
	if err != nil && err != io.EOF {
		err = corrupt(b.coding, err)
	}
	return n, err
}

func (b *decodingBody) Close() error {
	b.dec.Close()
	return b.raw.Close()
}

// corrupt names err as bad compressed data when it is; an error of the
// body underneath (the server's read deadline, the in-flight budget, a
// client gone) is passed on as it is.
func corrupt(coding string, err error) error {
	var ce flate.CorruptInputError
	var le *llm.Error
	switch {
	case errors.As(err, &le):
		return err
	case errors.As(err, &ce), errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum),
		errors.Is(err, zlib.ErrHeader), errors.Is(err, zlib.ErrChecksum), errors.Is(err, zlib.ErrDictionary),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		e := llm.Wrap(llm.KindInvalidRequest, err, fmt.Sprintf("The request body is not valid %s data (Content-Encoding: %s); compress the whole JSON body once, or send it uncompressed.", coding, coding))
		e.Code = "invalid_content_encoding"
		return e
	}
	return err
}

// clip shortens s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
