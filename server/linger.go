package server

import (
	"net/http"
	"time"
)

// Lingering bounds: how long, and how many bytes of a refused request's
// body, the router reads and drops after answering it, and how long it
// waits for the next byte.
const (
	lingerTime  = 2 * time.Second
	lingerBytes = 64 << 20
	lingerIdle  = 500 * time.Millisecond
)

// linger sends the answer to a request answered before its body was read
// (401, 413, 503…) and then reads and drops the rest of the body, for at
// most lingerTime and lingerBytes, stopping at its end or when the client
// pauses for lingerIdle. Many clients (Python's httpx, Node's, SDKs built
// on them) send the whole request before reading the answer: a
// connection closed under them with unread bytes resets, the reset
// discards the answer they have not read, and they see a broken pipe
// where the router said 413 — and retry, sending it all again. (net/http
// alone half-closes and waits 500 ms, without reading.) RFC 9112 §9.6
// asks a server to read on until the client has the answer; nginx's
// lingering_close does it the same way.
//
// It does not linger for a body that failed to arrive (a read deadline,
// a client gone), nor for an Expect: 100-continue request whose body was
// never asked for: its client sends nothing after the answer.
func linger(w *edgeWriter, r *http.Request, body *edgeBody) {
	if body.failed || (body.read == 0 && r.Header.Get("Expect") != "") {
		return
	}
	if w.FlushError() != nil {
		return
	}
	end := time.Now().Add(lingerTime)
	buf := make([]byte, 32<<10)
	for left := int64(lingerBytes); left > 0; {
		body.rc.SetReadDeadline(minTime(end, time.Now().Add(lingerIdle)))
		n, err := body.ReadCloser.Read(buf[:min(int64(len(buf)), left)])
		left -= int64(n)
		if err != nil {
			break
		}
	}
}

// min of two times.
func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
