// Package sse reads and writes Server-Sent Events as LLM APIs use them.
package sse

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
)

// MaxEventBytes bounds one event's data, so a hostile upstream cannot make
// the router buffer without limit.
const MaxEventBytes = 16 << 20

// ErrTooLarge is returned for an event larger than MaxEventBytes.
var ErrTooLarge = errors.New("sse: event too large")

// Event is one SSE event. Name is empty when no "event:" line was sent.
type Event struct {
	Name string
	Data []byte
}

// Reader reads events from a stream. It is not safe for concurrent use.
// Its buffers come from a pool shared by every Reader; Release gives them
// back.
type Reader struct {
	r    *bufio.Reader
	data []byte
	bufs *buffers // where r and data came from, for Release; nil after it
	name string
	// started: a first byte other than a byte order mark was seen.
	started bool
	// afterCR: the last line ended with "\r" as the last byte buffered,
	// so a "\n" next is that line's.
	afterCR bool
	// wantMore: the buffered bytes cannot be judged alone (a partial line
	// or byte order mark); fill must read.
	wantMore bool
}

// bufferSize is the size of a Reader's read buffer.
const bufferSize = 4 << 10

// maxPooledData bounds the event buffer a released Reader gives back to
// the pool: a larger one (a stream's oversized event) is left to the
// garbage collector, so the pool never holds megabytes.
const maxPooledData = 64 << 10

// buffers are what a Reader needs besides its state: the read buffer and
// the event buffer, taken from the pool by NewReader and given back by
// Release (allocation per upstream call was a measured share of the
// router's garbage; docs/benchmarks.md).
type buffers struct {
	br   *bufio.Reader
	data []byte
}

var pool = sync.Pool{New: func() any {
	return &buffers{br: bufio.NewReaderSize(nil, bufferSize)}
}}

// NewReader returns a Reader on r, with buffers from the pool.
func NewReader(r io.Reader) *Reader {
	b := pool.Get().(*buffers)
	b.br.Reset(r)
	return &Reader{r: b.br, data: b.data[:0], bufs: b}
}

// Release gives the Reader's buffers back to the pool. The Reader must not
// be used afterwards, nor the Data of an Event it returned: both are then
// another Reader's. Calling it again does nothing.
func (s *Reader) Release() {
	b := s.bufs
	if b == nil {
		return
	}
	b.br.Reset(nil) // drop the source: a pooled buffer must not keep a body alive
	b.data = nil
	if cap(s.data) <= maxPooledData {
		b.data = s.data[:0]
	}
	*s = Reader{}
	pool.Put(b)
}

// Next returns the next event: one that had a "data:" line (its Data may
// be empty) or an "event:" line. Lines end with "\n", "\r\n" or "\r"
// alone, and a byte order mark that starts the input is dropped, as the
// SSE spec says. Lines of a multi-line data field are joined with "\n";
// comments, unknown fields (id, retry) and blank lines between events
// are skipped. Next returns io.EOF at a clean end of input between events
// (comments and keep-alives included), io.ErrUnexpectedEOF when the input
// ends inside a line or inside an event that has no data line yet,
// ErrTooLarge when one event's data exceeds MaxEventBytes, and other errors
// of the underlying reader as they come. An input that ends right after a
// complete data line, without the blank line, still yields that event, as
// many servers end their body so. The returned Data is valid until the next
// call or Release.
func (s *Reader) Next() (Event, error) {
	s.data = s.data[:0]
	s.name = ""
	started := false // a field line of this event was read
	hasData := false // a data line of this event was read
	for {
		line, err := s.readLine()
		if err != nil {
			if err == io.EOF && started {
				if hasData {
					return Event{Name: s.name, Data: s.data}, nil
				}
				return Event{}, io.ErrUnexpectedEOF
			}
			return Event{}, err
		}
		if len(line) == 0 {
			if hasData || s.name != "" {
				return Event{Name: s.name, Data: s.data}, nil
			}
			started = false // an event of unknown fields only ends here
			continue
		}
		if line[0] == ':' {
			continue // comment / keep-alive
		}
		started = true
		field, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		switch string(field) {
		case "data":
			if hasData {
				s.data = append(s.data, '\n')
			}
			hasData = true
			if len(s.data)+len(value) > MaxEventBytes {
				return Event{}, ErrTooLarge
			}
			s.data = append(s.data, value...)
		case "event":
			s.name = string(value)
		}
	}
}

// Ready reports whether a complete event (one Next returns: with a data
// line, or an event line naming it) is already buffered, so that Next
// will return it without reading from the network. A writer relaying a
// stream uses it to send events that arrived together in one write,
// flushing only when the next one is not there yet. It reads the lines as
// Next does — ended by "\n", "\r\n" or "\r" alone — and never blocks.
func (s *Reader) Ready() bool {
	if !s.started {
		return false // a byte order mark may still be cut
	}
	b, _ := s.r.Peek(s.r.Buffered())
	if s.afterCR && len(b) > 0 && b[0] == '\n' {
		b = b[1:] // the end of the line before
	}
	hasData, named := false, false // named: the last event line gave a name
	for {
		line, rest, ok := cutLine(b)
		if !ok {
			return false // a partial line: Next would read
		}
		b = rest
		switch {
		case len(line) == 0:
			if hasData || named {
				return true
			}
		case line[0] == ':':
		default:
			field, value, _ := bytes.Cut(line, []byte(":"))
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
			switch string(field) {
			case "data":
				hasData = true
			case "event":
				named = len(value) > 0
			}
		}
	}
}

// cutLine returns b's first line without its terminator ("\n", "\r\n",
// or "\r" alone, which readLine takes as a line's end even as the last
// byte buffered) and what follows; false when b holds no whole line.
func cutLine(b []byte) (line, rest []byte, ok bool) {
	n := bytes.IndexByte(b, '\n') // two vectorized scans: IndexAny goes byte by byte
	end := len(b)
	if n >= 0 {
		end = n
	}
	if r := bytes.IndexByte(b[:end], '\r'); r >= 0 {
		if r+1 < len(b) && b[r+1] == '\n' {
			return b[:r], b[r+2:], true
		}
		return b[:r], b[r+1:], true
	}
	if n < 0 {
		return nil, nil, false
	}
	return b[:n], b[n+1:], true
}

// bom is the UTF-8 byte order mark a stream may start with.
const bom = "\uFEFF"

// readLine returns one line without its terminator: "\n", "\r\n" or "\r"
// alone, as the SSE spec allows, the first line without a leading byte
// order mark. It never waits for more input to end a line: a "\r" that is
// the last byte buffered ends its line, and a "\n" that then comes first
// is dropped.
func (s *Reader) readLine() ([]byte, error) {
	if s.afterCR {
		s.afterCR = false
		b, err := s.r.Peek(1)
		if err != nil {
			return nil, err
		}
		if b[0] == '\n' {
			s.r.Discard(1)
		}
	}
	var long []byte // the start of a line longer than the buffer
	for {
		buf, err := s.fill()
		if err != nil {
			if err == io.EOF && (len(buf) > 0 || len(long) > 0) {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if !s.started {
			if len(buf) < len(bom) && strings.HasPrefix(bom, string(buf)) {
				s.wantMore = true
				continue
			}
			s.started = true
			if bytes.HasPrefix(buf, []byte(bom)) {
				s.r.Discard(len(bom))
				continue
			}
		}
		line, n := lineIn(buf)
		if n < 0 {
			if len(buf) < s.r.Size() {
				s.wantMore = true // the line's end is still to come
				continue
			}
			if len(long)+len(buf) > MaxEventBytes {
				return nil, ErrTooLarge
			}
			long = append(long, buf...)
			s.r.Discard(len(buf))
			continue
		}
		s.afterCR = n == len(buf) && buf[n-1] == '\r'
		if long != nil {
			line = append(long, line...)
		}
		s.r.Discard(n)
		return line, nil
	}
}

// fill returns the buffered input, reading when none is buffered or when
// wantMore asks for more than is. At the end of input it returns what is
// left with the error.
func (s *Reader) fill() ([]byte, error) {
	n := s.r.Buffered()
	if n == 0 || s.wantMore {
		s.wantMore = false
		_, err := s.r.Peek(n + 1)
		if err != nil && err != bufio.ErrBufferFull {
			b, _ := s.r.Peek(s.r.Buffered())
			return b, err
		}
	}
	return s.r.Peek(s.r.Buffered())
}

// lineIn finds the first line ending in buf: it returns the line before it
// and the number of bytes up to its end, or -1 when buf holds none.
func lineIn(buf []byte) ([]byte, int) {
	lf := bytes.IndexByte(buf, '\n')
	head := buf
	if lf >= 0 {
		head = buf[:lf]
	}
	cr := bytes.IndexByte(head, '\r')
	switch {
	case cr >= 0 && cr+1 < len(buf) && buf[cr+1] == '\n':
		return buf[:cr], cr + 2
	case cr >= 0:
		return buf[:cr], cr + 1
	case lf >= 0:
		return buf[:lf], lf + 1
	}
	return nil, -1
}

// ErrBadName is returned by WriteEvent for an event name holding a line
// break, which would corrupt the stream's framing.
var ErrBadName = errors.New("sse: event name contains a line break")

// WriteEvent writes one event: an "event:" line when name is not empty,
// one "data:" line per line of data (split at "\r\n", "\r" and "\n", so
// that no byte of data can end the event early) and the blank line that
// ends it. A reader joins the data lines back with "\n". It returns
// ErrBadName, writing nothing, when name holds "\r" or "\n", and the first
// error of w otherwise.
func WriteEvent(w io.Writer, name string, data []byte) error {
	if strings.ContainsAny(name, "\r\n") {
		return ErrBadName
	}
	if name != "" {
		if _, err := io.WriteString(w, "event: "+name+"\n"); err != nil {
			return err
		}
	}
	for {
		i := bytes.IndexAny(data, "\r\n")
		if i < 0 {
			break
		}
		if err := writeData(w, data[:i]); err != nil {
			return err
		}
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i++
		}
		data = data[i+1:]
	}
	if err := writeData(w, data); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// writeData writes one "data:" line.
func writeData(w io.Writer, line []byte) error {
	if _, err := io.WriteString(w, "data: "); err != nil {
		return err
	}
	if _, err := w.Write(line); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
