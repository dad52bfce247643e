// Package sse reads and writes Server-Sent Events as LLM APIs use them.
package sse

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
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
type Reader struct {
	r    *bufio.Reader
	data []byte
	name string
}

// NewReader returns a Reader on r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 4<<10)}
}

// Next returns the next event: one that had a "data:" line (its Data may
// be empty) or an "event:" line. Lines of a multi-line data field are
// joined with "\n"; comments, unknown fields and blank lines between events
// are skipped. Next returns io.EOF at a clean end of input between events
// (comments and keep-alives included), io.ErrUnexpectedEOF when the input
// ends inside a line or inside an event that has no data line yet,
// ErrTooLarge when one event's data exceeds MaxEventBytes, and other errors
// of the underlying reader as they come. An input that ends right after a
// complete data line, without the blank line, still yields that event, as
// many servers end their body so. The returned Data is valid until the next
// call.
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

// readLine returns one line without its terminator (\n, \r\n or \r is not
// supported alone; LLM APIs use \n).
func (s *Reader) readLine() ([]byte, error) {
	line, err := s.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		buf := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			if len(buf) > MaxEventBytes {
				return nil, ErrTooLarge
			}
			line, err = s.r.ReadSlice('\n')
			buf = append(buf, line...)
		}
		line = buf
	}
	if err != nil {
		if err == io.EOF && len(line) > 0 {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
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
