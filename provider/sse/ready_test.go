package sse

import (
	"strings"
	"testing"
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
