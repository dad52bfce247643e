package provider

import (
	"io"
	"net/http"
	"testing"
)

// TestSetBody checks the body SetBody installs: its declared length, its
// bytes, the release of data at its last byte, and a GetBody that still
// yields the same bytes afterwards (from again).
func TestSetBody(t *testing.T) {
	for _, tt := range []struct {
		name  string
		data  string
		again bool
	}{
		{"replayable", `{"model":"m"}`, true},
		{"not replayable", `{"model":"m"}`, false},
		{"empty", "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hreq, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/", nil)
			if err != nil {
				t.Fatal(err)
			}
			var again func() ([]byte, error)
			if tt.again {
				again = func() ([]byte, error) { return []byte(tt.data), nil }
			}
			SetBody(hreq, []byte(tt.data), again)
			if hreq.ContentLength != int64(len(tt.data)) {
				t.Errorf("ContentLength = %d, want %d", hreq.ContentLength, len(tt.data))
			}
			got, err := io.ReadAll(hreq.Body)
			if err != nil || string(got) != tt.data {
				t.Fatalf("body = %q, %v; want %q", got, err, tt.data)
			}
			if sb, ok := hreq.Body.(*sentBody); ok && sb.data != nil {
				t.Error("the body still holds its data after its last byte was read")
			}
			if (hreq.GetBody != nil) != (tt.again && tt.data != "") {
				t.Fatalf("GetBody set = %v", hreq.GetBody != nil)
			}
			if hreq.GetBody == nil {
				return
			}
			rc, err := hreq.GetBody()
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := io.ReadAll(rc); string(got) != tt.data {
				t.Errorf("GetBody's body = %q, want %q", got, tt.data)
			}
		})
	}
}

// countingWriter counts Write calls.
type countingWriter struct {
	writes int
	got    []byte
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	w.got = append(w.got, p...)
	return len(p), nil
}

// io.Copy, as the transport uses it, hands the body over in one Write (so
// it joins the headers in the transport's buffer), and the body lets go of
// its data.
func TestSetBodyIsWrittenInOneCall(t *testing.T) {
	hreq, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/", nil)
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 100<<10) // larger than io.Copy's 32 KB buffer
	for i := range data {
		data[i] = byte('a' + i%26)
	}
	SetBody(hreq, data, nil)
	var w countingWriter
	if n, err := io.Copy(&w, hreq.Body); err != nil || n != int64(len(data)) {
		t.Fatalf("copied %d, %v", n, err)
	}
	if w.writes != 1 || string(w.got) != string(data) {
		t.Errorf("%d writes of %d bytes, want 1 of %d", w.writes, len(w.got), len(data))
	}
	if hreq.Body.(*sentBody).data != nil {
		t.Error("the body still holds its data after it was written")
	}
}
