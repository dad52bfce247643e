package provider

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// TestSetBody checks the body SetBody installs: its declared length, its
// bytes, and a GetBody that yields the same bytes again.
func TestSetBody(t *testing.T) {
	for _, data := range []string{`{"model":"m"}`, ""} {
		hreq, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/", nil)
		if err != nil {
			t.Fatal(err)
		}
		SetBody(hreq, []byte(data))
		if hreq.ContentLength != int64(len(data)) {
			t.Errorf("%q: ContentLength = %d", data, hreq.ContentLength)
		}
		if got, err := io.ReadAll(hreq.Body); err != nil || string(got) != data {
			t.Fatalf("body = %q, %v; want %q", got, err, data)
		}
		if (hreq.GetBody != nil) != (data != "") {
			t.Fatalf("%q: GetBody set = %v", data, hreq.GetBody != nil)
		}
		if hreq.GetBody == nil {
			continue
		}
		rc, err := hreq.GetBody()
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := io.ReadAll(rc); string(got) != data {
			t.Errorf("GetBody's body = %q, want %q", got, data)
		}
	}
}

// countingWriter counts Write calls (and, being no io.ByteWriter, gets
// them through the bufio.Writer Request.Write puts in front of it).
type countingWriter struct {
	writes int
	got    []byte
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	w.got = append(w.got, p...)
	return len(p), nil
}

// A request with a SetBody body goes out in one write, headers and body
// together; net/http flushes the headers on their own first for a body it
// does not know to be in memory.
func TestSetBodyRequestIsWrittenInOneCall(t *testing.T) {
	hreq, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/v1/chat/completions", nil)
	if err != nil {
		t.Fatal(err)
	}
	SetBody(hreq, []byte(`{"model":"m","messages":[{"role":"user","content":"hi"}]}`))
	var w countingWriter
	if err := hreq.Write(&w); err != nil {
		t.Fatal(err)
	}
	if w.writes != 1 || !bytes.HasSuffix(w.got, []byte(`"hi"}]}`)) {
		t.Errorf("%d writes for the request, want 1", w.writes)
	}
}
