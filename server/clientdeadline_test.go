package server

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"switchyard/llm"
)

func TestClientTimeoutHeader(t *testing.T) {
	for v, want := range map[string]time.Duration{"600": 600 * time.Second, "2": 2 * time.Second, "1.5": 1500 * time.Millisecond} {
		h := http.Header{HeaderClientTimeout: {v}}
		if d, ok := clientTimeout(h); !ok || d != want {
			t.Errorf("%q: %v %v, want %v", v, d, ok, want)
		}
	}
	for _, v := range []string{"", "0", "-3", "soon", "1e12", "NaN"} {
		if d, ok := clientTimeout(http.Header{HeaderClientTimeout: {v}}); ok {
			t.Errorf("%q: %v, want ignored", v, d)
		}
	}
	if margin(2*time.Second) != 250*time.Millisecond || margin(60*time.Second) != 3*time.Second || margin(600*time.Second) != 5*time.Second {
		t.Errorf("margins %v %v %v", margin(2*time.Second), margin(60*time.Second), margin(600*time.Second))
	}
}

// The client's timeout bounds the time to the first byte: a request that
// has written nothing by then (less the margin) is cancelled with a
// client_timeout cause; one that has begun answering is not, however long
// it goes on; a request without the header keeps request_timeout only.
func TestFirstByteDeadline(t *testing.T) {
	s := &Server{opts: Options{RequestTimeout: time.Minute}}
	waited := make(chan error, 1)
	blocked := s.deadline(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		waited <- context.Cause(r.Context())
	}))
	start := time.Now()
	r := httptest.NewRequest("POST", "/v1/chat/completions", nil)
	r.Header.Set(HeaderClientTimeout, "1")
	blocked.ServeHTTP(httptest.NewRecorder(), r)
	var e *llm.Error
	if err := <-waited; !errors.As(err, &e) || e.Code != "client_timeout" || e.Kind != llm.KindTimeout {
		t.Fatalf("cause %v, want client_timeout", err)
	}
	if took := time.Since(start); took < 750*time.Millisecond || took > 30*time.Second {
		t.Errorf("cancelled after %v, want 750 ms (1 s less the 250 ms margin), long before request_timeout", took)
	}

	streaming := s.deadline(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		select {
		case <-r.Context().Done():
			waited <- context.Cause(r.Context())
		case <-time.After(1500 * time.Millisecond):
			waited <- nil
		}
	}))
	streaming.ServeHTTP(httptest.NewRecorder(), r)
	if err := <-waited; err != nil {
		t.Errorf("a request that had begun answering was cancelled: %v", err)
	}
	r.Header.Del(HeaderClientTimeout)
	ctx, cancel := context.WithCancel(context.Background())
	go blocked.ServeHTTP(httptest.NewRecorder(), r.WithContext(ctx))
	select {
	case err := <-waited:
		t.Errorf("without the header, cancelled early: %v", err)
	case <-time.After(1200 * time.Millisecond):
	}
	cancel()
	if err := <-waited; !errors.Is(err, context.Canceled) {
		t.Errorf("cause %v after the client left", err)
	}
}

// The deadline striking as the first byte goes: exactly one of the two
// wins, and the request is cancelled only when the deadline did. Run with
// -race (expire is called directly, as the timer would).
func TestFirstByteWriterDeadlineRace(t *testing.T) {
	for range 500 {
		ctx, fw := firstByteDeadline(context.Background(), &discardWriter{h: http.Header{}}, 10*time.Minute)
		done := make(chan struct{})
		go func() { fw.expire(); close(done) }()
		fw.Write([]byte("x"))
		<-done
		var e *llm.Error
		cancelled := errors.As(context.Cause(ctx), &e) && e.Code == "client_timeout"
		if st := fw.state.Load(); cancelled != (st == firstByteFired) || (!cancelled && st != firstByteWrote) {
			t.Fatalf("state %d, cancelled %v (cause %v)", st, cancelled, context.Cause(ctx))
		}
		fw.stop()
	}
}

// FuzzClientTimeout: any X-Stainless-Timeout value is ignored or read as a
// timeout from a nanosecond to a day, within a microsecond of the seconds
// it says.
func FuzzClientTimeout(f *testing.F) {
	for _, s := range []string{"600", "60.0", "1.5", "2", "0", "-3", "soon", "1e12", "NaN", "+Inf", "0x1p-2", "86400", "86400.000001", " 5", "1_0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := clientTimeout(http.Header{HeaderClientTimeout: {v}})
		if !ok {
			if d != 0 {
				t.Fatalf("%q: ignored with %v", v, d)
			}
			return
		}
		if d <= 0 || d > maxClientTimeout {
			t.Fatalf("%q: timeout %v out of (0, %v]", v, d, maxClientTimeout)
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || math.Abs(n*float64(time.Second)-float64(d)) > float64(time.Microsecond) {
			t.Fatalf("%q: timeout %v, the header says %v s (%v)", v, d, n, err)
		}
	})
}
