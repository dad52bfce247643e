package provider

import (
	"bytes"
	"io"
	"net/http"
)

// SetBody makes data the body of the upstream request hreq, with its
// length declared and a GetBody that replays it (the transport resends a
// request on a stale keep-alive connection, or an HTTP/2 stream the
// server refused).
//
// The body is a *bytes.Reader on purpose: net/http recognizes it as held
// in memory and writes the request's headers and body in one go, where
// any other reader makes it flush the headers first, an extra syscall on
// every upstream call. (A reader that let go of data as it was sent was
// tried: it did not lower the peak memory of large requests, and it cost
// that syscall; see docs/benchmarks.md.)
func SetBody(hreq *http.Request, data []byte) {
	hreq.ContentLength = int64(len(data))
	if len(data) == 0 {
		hreq.Body, hreq.GetBody = http.NoBody, nil
		return
	}
	hreq.Body = io.NopCloser(bytes.NewReader(data))
	hreq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
}
