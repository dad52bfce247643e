package sse

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads events until an error and returns them with that error.
// Data is copied, since the reader reuses its buffer.
func readAll(r io.Reader) ([]Event, error) {
	sr := NewReader(r)
	var out []Event
	for {
		ev, err := sr.Next()
		if err != nil {
			return out, err
		}
		out = append(out, Event{Name: ev.Name, Data: bytes.Clone(ev.Data)})
	}
}

func ev(name, data string) Event { return Event{Name: name, Data: []byte(data)} }

func TestReaderFraming(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Event
		err  error
	}{
		{"empty input", "", nil, io.EOF},
		{"blank lines only", "\n\n\r\n", nil, io.EOF},
		{"one event LF", "data: hello\n\n", []Event{ev("", "hello")}, io.EOF},
		{"one event CRLF", "data: hello\r\n\r\n", []Event{ev("", "hello")}, io.EOF},
		{"mixed line endings", "event: a\r\ndata: 1\n\r\ndata: 2\r\n\n", []Event{ev("a", "1"), ev("", "2")}, io.EOF},
		{"no space after colon", "data:hello\n\n", []Event{ev("", "hello")}, io.EOF},
		{"only one leading space stripped", "data:  two\n\n", []Event{ev("", " two")}, io.EOF},
		{"value keeps later colons", "data: {\"a\":1}\n\n", []Event{ev("", `{"a":1}`)}, io.EOF},
		{"multi-line data joined with LF", "data: a\ndata: b\ndata: c\n\n", []Event{ev("", "a\nb\nc")}, io.EOF},
		{"multi-line CRLF", "data: a\r\ndata: b\r\n\r\n", []Event{ev("", "a\nb")}, io.EOF},
		{"empty data line in the middle", "data: a\ndata:\ndata: b\n\n", []Event{ev("", "a\n\nb")}, io.EOF},
		{"empty first data line", "data:\ndata: b\n\n", []Event{ev("", "\nb")}, io.EOF},
		{"empty data is an event", "data:\n\n", []Event{ev("", "")}, io.EOF},
		{"bare data field", "data\n\n", []Event{ev("", "")}, io.EOF},
		{"comments and keep-alives skipped", ": ping\n\n:\n\ndata: x\n: inside\n\n: tail\n", []Event{ev("", "x")}, io.EOF},
		{"event name", "event: message_start\ndata: {}\n\n", []Event{ev("message_start", "{}")}, io.EOF},
		{"event name after data", "data: {}\nevent: late\n\n", []Event{ev("late", "{}")}, io.EOF},
		{"name does not leak to the next event", "event: a\ndata: 1\n\ndata: 2\n\n", []Event{ev("a", "1"), ev("", "2")}, io.EOF},
		{"name-only event", "event: ping\n\n", []Event{ev("ping", "")}, io.EOF},
		{"unknown fields ignored", "id: 7\nretry: 10\nfoo: bar\ndata: x\n\n", []Event{ev("", "x")}, io.EOF},
		{"unknown-field event is skipped", "id: 7\n\ndata: x\n\n", []Event{ev("", "x")}, io.EOF},
		{"field name is case sensitive", "Data: x\n\ndata: y\n\n", []Event{ev("", "y")}, io.EOF},
		{"many events", "data: 1\n\ndata: 2\n\n\n\ndata: 3\n\n", []Event{ev("", "1"), ev("", "2"), ev("", "3")}, io.EOF},
		{"event at EOF without blank line", "data: 1\n\ndata: last\n", []Event{ev("", "1"), ev("", "last")}, io.EOF},
		{"named event at EOF without blank line", "event: e\ndata: last\r\n", []Event{ev("e", "last")}, io.EOF},
		{"empty data at EOF without blank line", "data:\n", []Event{ev("", "")}, io.EOF},
		{"EOF mid data line", "data: 1\n\ndata: cut", []Event{ev("", "1")}, io.ErrUnexpectedEOF},
		{"EOF after a CR-ended line", "data: last\r", []Event{ev("", "last")}, io.EOF},
		{"EOF mid comment line", ": keep", nil, io.ErrUnexpectedEOF},
		{"EOF after event line without data", "event: e\n", nil, io.ErrUnexpectedEOF},
		{"EOF after unknown field", "id: 1\n", nil, io.ErrUnexpectedEOF},
		{"CR alone ends a line", "data: a\rdata: b\n\n", []Event{ev("", "a\nb")}, io.EOF},
		{"CR line endings", "event: e\rdata: 1\r\rdata: 2\r\r", []Event{ev("e", "1"), ev("", "2")}, io.EOF},
		{"CR then CRLF", "data: a\r\r\ndata: b\r\n\r", []Event{ev("", "a"), ev("", "b")}, io.EOF},
		{"CR comment then LF", ": ping\r\ndata: x\n\n", []Event{ev("", "x")}, io.EOF},
		{"byte order mark first", "\uFEFFdata: x\n\n", []Event{ev("", "x")}, io.EOF},
		{"byte order mark only first", "\uFEFFdata: x\n\n\uFEFFdata: y\n\n", []Event{ev("", "x")}, io.EOF},
		{"byte order mark alone", "\uFEFF", nil, io.EOF},
		{"byte order mark cut", "\xEF\xBB", nil, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(t *testing.T, r io.Reader) {
				got, err := readAll(r)
				if !errors.Is(err, tt.err) {
					t.Errorf("error = %v, want %v", err, tt.err)
				}
				if !equalEvents(got, tt.want) {
					t.Errorf("events = %s, want %s", fmtEvents(got), fmtEvents(tt.want))
				}
			}
			t.Run("whole", func(t *testing.T) { check(t, strings.NewReader(tt.in)) })
			// One byte per Read exercises every split of a line.
			t.Run("bytewise", func(t *testing.T) { check(t, iotest.OneByteReader(strings.NewReader(tt.in))) })
			t.Run("data with EOF", func(t *testing.T) { check(t, iotest.DataErrReader(strings.NewReader(tt.in))) })
		})
	}
}

func equalEvents(a, b []Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}

func fmtEvents(evs []Event) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range evs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("{" + e.Name + " " + strings.ReplaceAll(string(e.Data), "\n", `\n`) + "}")
	}
	b.WriteByte(']')
	return b.String()
}

func TestReaderLongLines(t *testing.T) {
	bufSize := 16 << 10 // the reader's bufio size
	tests := []struct {
		name    string
		dataLen int
		lines   int // data lines of dataLen bytes in the one event
		err     error
	}{
		{"just under the buffer", bufSize - 10, 1, nil},
		{"exactly the buffer", bufSize, 1, nil},
		{"several buffers", 3*bufSize + 17, 1, nil},
		{"two long lines", 2*bufSize + 1, 2, nil},
		{"exactly MaxEventBytes", MaxEventBytes, 1, nil},
		{"MaxEventBytes over two lines", MaxEventBytes/2 - 1, 2, nil}, // + the joining \n
		{"one byte over MaxEventBytes", MaxEventBytes + 1, 1, ErrTooLarge},
		{"over MaxEventBytes in lines", MaxEventBytes / 2, 2, ErrTooLarge}, // + the joining \n
		{"a line far over the limit", 2 * MaxEventBytes, 1, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := bytes.Repeat([]byte("x"), tt.dataLen)
			var in bytes.Buffer
			for range tt.lines {
				in.WriteString("data: ")
				in.Write(payload)
				in.WriteString("\n")
			}
			in.WriteString("\ndata: next\n\n")
			r := NewReader(&in)
			got, err := r.Next()
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			want := strings.Repeat(string(payload)+"\n", tt.lines)
			want = want[:len(want)-1]
			if string(got.Data) != want {
				t.Fatalf("data has %d bytes, want %d", len(got.Data), len(want))
			}
			next, err := r.Next()
			if err != nil || string(next.Data) != "next" {
				t.Fatalf("after the long event: %q, %v", next.Data, err)
			}
		})
	}
}

// failingReader returns its data, then err.
type failingReader struct {
	data string
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.data == "" {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReaderPassesReadErrors(t *testing.T) {
	boom := errors.New("connection reset")
	for _, in := range []string{"", "data: 1\n\n", "data: partial", "data: 1\n"} {
		got, err := readAll(&failingReader{data: in, err: boom})
		if !errors.Is(err, boom) {
			t.Errorf("input %q: error = %v, want %v", in, err, boom)
		}
		if strings.HasPrefix(in, "data: 1\n\n") && len(got) != 1 {
			t.Errorf("input %q: got %d events before the error", in, len(got))
		}
	}
}

func TestReaderTerminatesOnEmptyReads(t *testing.T) {
	// A reader that never makes progress must not hang Next.
	_, err := NewReader(zeroReader{}).Next()
	if !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("error = %v, want io.ErrNoProgress", err)
	}
}

type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

func TestWriteEvent(t *testing.T) {
	tests := []struct {
		name, event, data string
		want              string
		err               error
	}{
		{name: "data only", data: `{"a":1}`, want: "data: {\"a\":1}\n\n"},
		{name: "named", event: "message_start", data: "{}", want: "event: message_start\ndata: {}\n\n"},
		{name: "empty data", want: "data: \n\n"},
		{name: "LF in data", data: "a\nb", want: "data: a\ndata: b\n\n"},
		{name: "CRLF in data", data: "a\r\nb", want: "data: a\ndata: b\n\n"},
		{name: "CR in data", data: "a\rb", want: "data: a\ndata: b\n\n"},
		{name: "trailing LF", data: "a\n", want: "data: a\ndata: \n\n"},
		{name: "blank line in data", data: "a\n\nb", want: "data: a\ndata: \ndata: b\n\n"},
		{name: "LF in name", event: "a\nb", data: "x", err: ErrBadName},
		{name: "CR in name", event: "a\r", data: "x", err: ErrBadName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := WriteEvent(&b, tt.event, []byte(tt.data))
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
			if b.String() != tt.want {
				t.Fatalf("wrote %q, want %q", b.String(), tt.want)
			}
		})
	}
}

func TestWriteEventRoundTrip(t *testing.T) {
	events := []Event{
		ev("", `{"id":"chatcmpl-1","choices":[]}`),
		ev("content_block_delta", `{"delta":{"text":"hi"}}`),
		ev("", ""),
		ev("multi", "line one\nline two\n\nline four"),
		ev("", "[DONE]"),
	}
	var b bytes.Buffer
	for _, e := range events {
		if err := WriteEvent(&b, e.Name, e.Data); err != nil {
			t.Fatal(err)
		}
	}
	got, err := readAll(&b)
	if err != io.EOF {
		t.Fatalf("error = %v, want io.EOF", err)
	}
	if !equalEvents(got, events) {
		t.Fatalf("round trip = %s, want %s", fmtEvents(got), fmtEvents(events))
	}
}

// errWriter fails after n successful writes.
type errWriter struct{ n int }

var errWrite = errors.New("write failed")

func (w *errWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errWrite
	}
	w.n--
	return len(p), nil
}

func TestWriteEventWriteErrors(t *testing.T) {
	// Every write WriteEvent makes may fail; each failure must surface.
	for n := 0; ; n++ {
		w := &errWriter{n: n}
		err := WriteEvent(w, "name", []byte("a\nb"))
		if err == nil {
			if n < 5 {
				t.Fatalf("WriteEvent succeeded with only %d writes", n)
			}
			return
		}
		if !errors.Is(err, errWrite) {
			t.Fatalf("after %d writes: error = %v, want %v", n, err, errWrite)
		}
	}
}

// FuzzReader checks that the reader never panics, always ends on finite
// input, never returns more data than it read, and that what WriteEvent
// writes reads back the same.
func FuzzReader(f *testing.F) {
	seeds := []string{
		"",
		"data: hello\n\n",
		"data: hello\r\n\r\n",
		"event: message_start\ndata: {\"type\":\"message_start\"}\n\n",
		"data: a\ndata: b\n\n",
		"data:\ndata:\n\n",
		": keep-alive\n\n",
		"data: [DONE]\n\n",
		"data: cut",
		"data: no blank line\n",
		"event: only\n",
		"id: 1\nretry: 100\n\n",
		"\r\n\r\n\n",
		"data: a\rb\n\n",
		":\n:\n:",
		"data" + strings.Repeat("x", 20000) + "\n\n",
		"data: " + strings.Repeat("y", 40000),
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(bytes.NewReader(in))
		total := 0
		// Each successful Next consumes at least one line ending, so
		// len(in)+1 calls must reach an error.
		for i := 0; ; i++ {
			if i > len(in)+1 {
				t.Fatalf("reader did not terminate after %d events on %d bytes", i, len(in))
			}
			e, err := r.Next()
			if err != nil {
				if err != io.EOF && err != io.ErrUnexpectedEOF && err != ErrTooLarge {
					t.Fatalf("unexpected error %v", err)
				}
				break
			}
			total += len(e.Data) + len(e.Name)
			if total > len(in) {
				t.Fatalf("read %d bytes of events from %d bytes of input", total, len(in))
			}
		}

		// Whatever bytes and name, WriteEvent's output reads back as one
		// event whose data is the input with its line breaks made "\n".
		var b bytes.Buffer
		name := string(bytes.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, in[:min(len(in), 8)]))
		if err := WriteEvent(&b, name, in); err != nil {
			t.Fatal(err)
		}
		got, err := readAll(&b)
		if err != io.EOF || len(got) != 1 {
			t.Fatalf("WriteEvent output read back as %d events, %v", len(got), err)
		}
		want := strings.ReplaceAll(strings.ReplaceAll(string(in), "\r\n", "\n"), "\r", "\n")
		if string(got[0].Data) != want {
			t.Fatalf("round trip data = %q, want %q", got[0].Data, want)
		}
		if got[0].Name != name {
			t.Fatalf("round trip name = %q, want %q", got[0].Name, name)
		}
	})
}

// BenchmarkReader reads a stream of typical chat chunks, framed with LF
// and with CRLF.
func BenchmarkReader(b *testing.B) {
	chunk := `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hello there"},"finish_reason":null}]}`
	for _, eol := range []string{"\n", "\r\n"} {
		in := strings.Repeat("data: "+chunk+eol+eol, 1000)
		b.Run(strconv.Quote(eol), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				r := NewReader(strings.NewReader(in))
				for {
					if _, err := r.Next(); err != nil {
						break
					}
				}
			}
		})
	}
}
