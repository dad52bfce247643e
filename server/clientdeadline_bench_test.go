package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// discardWriter is a ResponseWriter that keeps nothing.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(int)             {}
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// BenchmarkDeadline is the deadline middleware's cost for one request
// whose answer is written in 40 pieces (a stream's chunks): with
// request_timeout alone, and with the client's timeout header the
// official SDKs send (X-Stainless-Timeout: 600).
func BenchmarkDeadline(b *testing.B) {
	s := &Server{opts: Options{RequestTimeout: 10 * time.Minute}}
	chunk := []byte("data: {}\n\n")
	h := s.deadline(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		for range 40 {
			w.Write(chunk)
		}
	}))
	for _, header := range []string{"", "600"} {
		name := "request_timeout"
		if header != "" {
			name = "client_timeout"
		}
		b.Run(name, func(b *testing.B) {
			r := httptest.NewRequest("POST", "/v1/chat/completions", nil)
			if header != "" {
				r.Header.Set(HeaderClientTimeout, header)
			}
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(w, r)
			}
		})
	}
}
