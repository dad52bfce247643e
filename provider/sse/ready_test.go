package sse

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReady(t *testing.T) {
	tests := []struct {
		name string
		in   string // what the reader has buffered after the first Next
		want bool
	}{
		{"nothing buffered", "", false},
		{"half an event", "data: {\"a\":", false},
		{"a data line without its blank line", "data: x\n", false},
		{"a whole event", "data: x\n\n", true},
		{"a whole event, CRLF", "data: x\r\n\r\n", true},
		{"an event name only", "event: ping\n\n", true},
		{"a keep-alive, then half an event", ": ping\n\ndata: x", false},
		{"a keep-alive, then a whole event", ": ping\n\ndata: x\n\n", true},
		{"unknown fields only", "id: 7\n\n", false},
		{"a multi-line event", "data: a\ndata: b\n\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader("data: first\n\n" + tt.in))
			if _, err := r.Next(); err != nil {
				t.Fatal(err)
			}
			if got := r.Ready(); got != tt.want {
				t.Errorf("Ready() = %v, want %v with %q buffered", got, tt.want, tt.in)
			}
		})
	}
}

// TestReadyDoesNotRead checks that Ready never reads from the source: a
// reader whose source would block must answer from what is buffered.
func TestReadyDoesNotRead(t *testing.T) {
	src := &countingReader{r: strings.NewReader("data: first\n\n")}
	r := NewReader(src)
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	n := src.reads
	if r.Ready() {
		t.Error("Ready() = true with nothing buffered")
	}
	if src.reads != n {
		t.Errorf("Ready read from the source (%d reads, was %d)", src.reads, n)
	}
}

type countingReader struct {
	r     *strings.Reader
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}

// TestReadyLineEnds: lines ended by a lone "\r" (which the SSE spec
// allows) are read as Next reads them; so is a field merely starting
// with "data", and an event line with no name.
func TestReadyLineEnds(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"data: x\r\r", true},
		{": ping\r\rdata: x\r\r", true},
		{": ping\r\rdata: x\r", false},
		{"data: x\r\n\r", true}, // a lone "\r" last: readLine ends the line there
		{"data2: x\n\n", false},
		{"event:\n\n", false},
		{"event: ping\revent:\r\r", false},
		{"event:\revent: ping\r\r", true},
	}
	for _, tt := range tests {
		r := NewReader(strings.NewReader("data: first\n\n" + tt.in))
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
		if got := r.Ready(); got != tt.want {
			t.Errorf("Ready() = %v, want %v with %q buffered", got, tt.want, tt.in)
		}
	}
}

// errBlocked stands for a network read that would wait.
var errBlocked = errors.New("the source would block")

// FuzzReady: whenever Ready says an event is buffered, Next returns
// without reading past what was buffered.
func FuzzReady(f *testing.F) {
	for _, s := range []string{"data: a\n\ndata: b\n\n", "data: x\r\r: c\r\rdata: y\r", "event: e\r\n\r\ndata: z\n", ": only\n\n", "\ufeffdata: x\n\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(io.MultiReader(bytes.NewReader(in), iotest.ErrReader(errBlocked)))
		for range 64 {
			ready := r.Ready()
			_, err := r.Next()
			if ready && errors.Is(err, errBlocked) {
				t.Fatalf("Ready() was true but Next read past the buffered bytes of %q", in)
			}
			if err != nil {
				return
			}
		}
	})
}
