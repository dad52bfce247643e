package provider

import (
	"bytes"
	"io"

	"switchyard/llm"
)

// ErrorBodyParser is implemented by a Decoder that can read its format's
// error body (a JSON document, not an event). EventStream uses it for a
// body sent as an event stream that holds one JSON document instead, as
// some servers and proxies answer an error with 200 and the event-stream
// Content-Type of the request's success: the stream fails with the error
// it holds (stamped with the provider name and redacted of the key), not
// as a cut stream.
type ErrorBodyParser interface {
	// ParseErrorBody returns the error data holds, or nil when data is
	// not an error of the format.
	ParseErrorBody(data []byte) *llm.Error
}

// jsonSniffer reads a stream's body and keeps its first maxErrorBody
// bytes when the body starts (after white space) with "{": a JSON
// document, not an event stream. It keeps nothing of any other body.
type jsonSniffer struct {
	io.ReadCloser
	decided bool   // the first byte other than white space was seen
	kept    []byte // the body so far, when it starts with "{"
}

func (j *jsonSniffer) Read(p []byte) (int, error) {
	n, err := j.ReadCloser.Read(p)
	got := p[:n]
	if !j.decided {
		rest := bytes.TrimLeft(got, " \t\r\n")
		if len(rest) > 0 {
			j.decided = true
			if rest[0] == '{' {
				j.kept = make([]byte, 0, 512)
			}
		}
	}
	if j.kept != nil && len(j.kept) < maxErrorBody {
		j.kept = append(j.kept, got[:min(len(got), maxErrorBody-len(j.kept))]...)
	}
	return n, err
}

// bodyError returns the error a body that was one JSON document holds,
// when the stream yielded no event and the Decoder can read it; or nil.
func (s *EventStream) bodyError() *llm.Error {
	p, ok := s.dec.(ErrorBodyParser)
	if !ok || s.events > 0 || s.sniff.kept == nil {
		return nil
	}
	return p.ParseErrorBody(s.sniff.kept)
}
