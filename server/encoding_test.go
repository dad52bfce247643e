package server

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"testing"

	"switchyard/llm"
)

// FuzzDecodedBody: whatever the coding and the bytes, decoding ends in
// the data or in an *llm.Error, never a panic or a bare error.
func FuzzDecodedBody(f *testing.F) {
	var gz, zl bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(`{"model":"auto"}`))
	w.Close()
	z := zlib.NewWriter(&zl)
	z.Write([]byte(`{"model":"auto"}`))
	z.Close()
	for _, seed := range []struct {
		enc  string
		data []byte
	}{
		{"gzip", gz.Bytes()}, {"x-gzip", gz.Bytes()}, {"deflate", zl.Bytes()}, {"GZip ", gz.Bytes()},
		{"gzip", gz.Bytes()[:gz.Len()-5]}, {"deflate", gz.Bytes()}, {"gzip", nil}, {"identity", []byte("{}")},
		{"br", []byte{1}}, {"gzip, br", gz.Bytes()},
	} {
		f.Add(seed.enc, seed.data)
	}
	f.Fuzz(func(t *testing.T, enc string, data []byte) {
		body, err := decodedBody(io.NopCloser(bytes.NewReader(data)), enc)
		if err != nil {
			if le := (*llm.Error)(nil); !errors.As(err, &le) || le.Message == "" {
				t.Fatalf("decodedBody(%q): %T %v", enc, err, err)
			}
			return
		}
		_, err = io.Copy(io.Discard, io.LimitReader(body, 1<<20))
		if le := (*llm.Error)(nil); err != nil && !errors.As(err, &le) {
			t.Fatalf("reading %q: %T %v", enc, err, err)
		}
		body.Close()
	})
}
