package provider

import (
	"io"
	"net/http"
)

// SetBody makes data the body of the upstream request hreq, sent with its
// length declared, and lets go of data as soon as its last byte has been
// read: the encoded body of a large request (as large as the request) is
// then not held while the upstream works on it. hreq.GetBody, which the
// transport calls to send the request again (on a stale keep-alive
// connection, or an HTTP/2 stream the server refused), returns a fresh
// encoding from again, which must return the same bytes as data; a nil
// again leaves GetBody nil (the request cannot be replayed).
func SetBody(hreq *http.Request, data []byte, again func() ([]byte, error)) {
	hreq.ContentLength = int64(len(data))
	if len(data) == 0 {
		hreq.Body, hreq.GetBody = http.NoBody, nil
		return
	}
	hreq.Body = &sentBody{data: data}
	hreq.GetBody = nil
	if again != nil {
		hreq.GetBody = func() (io.ReadCloser, error) {
			b, err := again()
			if err != nil {
				return nil, err
			}
			return &sentBody{data: b}, nil
		}
	}
}

// sentBody reads a request body from data and drops data as it hands out
// its last byte, before the transport can send that byte. It is read by
// one goroutine; Close, which the transport may call from another, does
// nothing.
type sentBody struct {
	data []byte
	off  int
}

func (b *sentBody) Read(p []byte) (int, error) {
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	if b.off == len(b.data) {
		b.data, b.off = nil, 0 // the transport has it all
	}
	return n, nil
}

// WriteTo implements io.WriterTo, which io.Copy prefers: the transport
// then writes the whole body in one call into its buffered writer, behind
// the request's headers (one syscall for a small request, as with a
// bytes.Reader), rather than through a copy buffer that flushes the
// headers on their own first.
func (b *sentBody) WriteTo(w io.Writer) (int64, error) {
	data := b.data[b.off:]
	b.data, b.off = nil, 0
	n, err := w.Write(data)
	return int64(n), err
}

func (b *sentBody) Close() error { return nil }
