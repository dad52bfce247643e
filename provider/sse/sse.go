// Package sse reads and writes Server-Sent Events as LLM APIs use them.
package sse

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
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
	return &Reader{r: bufio.NewReaderSize(r, 16<<10)}
}

// Next returns the next event with data. It returns io.EOF at a clean end
// of input between events, io.ErrUnexpectedEOF when the input ends inside an
// event, and other errors as they come. The returned Data is valid until the
// next call.
func (s *Reader) Next() (Event, error) {
	s.data = s.data[:0]
	s.name = ""
	started := false
	for {
		line, err := s.readLine()
		if err != nil {
			if err == io.EOF && started {
				// Many servers end the body right after the last
				// event's data line; accept a complete data line.
				if len(s.data) > 0 {
					return Event{Name: s.name, Data: s.data}, nil
				}
				return Event{}, io.ErrUnexpectedEOF
			}
			return Event{}, err
		}
		if len(line) == 0 {
			if len(s.data) > 0 || s.name != "" {
				return Event{Name: s.name, Data: s.data}, nil
			}
			continue
		}
		started = true
		if line[0] == ':' {
			continue // comment / keep-alive
		}
		field, value := line, []byte(nil)
		if i := bytes.IndexByte(line, ':'); i >= 0 {
			field, value = line[:i], line[i+1:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		}
		switch string(field) {
		case "data":
			if len(s.data) > 0 {
				s.data = append(s.data, '\n')
			}
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

// WriteEvent writes one event: an "event:" line when name is not empty,
// a "data:" line and the blank line that ends it.
func WriteEvent(w io.Writer, name string, data []byte) error {
	var err error
	if name != "" {
		_, err = fmt.Fprintf(w, "event: %s\n", name)
		if err != nil {
			return err
		}
	}
	if _, err = io.WriteString(w, "data: "); err != nil {
		return err
	}
	if _, err = w.Write(data); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n\n")
	return err
}
