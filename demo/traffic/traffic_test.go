package traffic

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A router that fails every request: the failures are counted, logged
// once per interval (not once per request) without the client key, and
// Stop ends every goroutine the traffic started.
func TestFailuresLoggedOnceAWhile(t *testing.T) {
	before := goleak.IgnoreCurrent()
	var calls atomic.Int64
	router := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, `{"error":{"message":"upstream down"}}`, http.StatusBadGateway)
	}))
	var logs syncBuffer
	g, err := Start(context.Background(), Options{URL: router.URL, Key: "sk-secret-key", Rate: MaxRate, Seed: 1, Items: testItems,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), ReportEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); g.Stats().Failed < 20; {
		if time.Now().After(deadline) {
			t.Fatalf("%d calls, %+v in 10 s", calls.Load(), g.Stats())
		}
		time.Sleep(10 * time.Millisecond)
	}
	s := g.Stop()
	router.Close()
	goleak.VerifyNone(t, before)
	out := logs.String()
	if s.Failed < 20 || s.Failed > calls.Load() || s.Requests != 0 || strings.Count(out, "traffic: requests failed") != 1 || !strings.Contains(out, "502 Bad Gateway") {
		t.Errorf("stats %+v; log:\n%s", s, out)
	}
	if !strings.Contains(out, "traffic stopped") || strings.Contains(out, "sk-secret-key") {
		t.Errorf("the log lacks the summary or holds the key:\n%s", out)
	}
	if s2 := g.Stop(); s2 != s {
		t.Errorf("a second Stop: %+v, then %+v", s, s2)
	}
}

func TestStartRefuses(t *testing.T) {
	ok := Options{URL: "http://127.0.0.1:1", Rate: 1, Items: testItems}
	for name, edit := range map[string]func(*Options){
		"zero rate":     func(o *Options) { o.Rate = 0 },
		"rate over max": func(o *Options) { o.Rate = MaxRate + 1 },
		"no URL":        func(o *Options) { o.URL = "" },
		"no items":      func(o *Options) { o.Items = nil },
		"bad mix":       func(o *Options) { o.Mix = Mix{Routes: []Route{{Model: "auto"}}} },
	} {
		o := ok
		edit(&o)
		if g, err := Start(context.Background(), o); err == nil {
			g.Stop()
			t.Errorf("%s: started", name)
		}
	}
}

// A stream's text is its deltas' up to [DONE]; an error event, or a
// stream cut before [DONE], is an error.
func TestReadStream(t *testing.T) {
	for _, tt := range []struct {
		name, body, text, err string
	}{
		{"whole", "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"Par\"}}]}\n\n" +
			": keep-alive\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"is.\"}}]}\n\ndata: {\"choices\":[],\"usage\":{}}\n\ndata: [DONE]\n\n", "Paris.", ""},
		{"error event", "data: {\"choices\":[{\"delta\":{\"content\":\"Par\"}}]}\n\ndata: {\"error\":{\"message\":\"upstream cut\"}}\n\n", "", "upstream cut"},
		{"cut", "data: {\"choices\":[{\"delta\":{\"content\":\"Par\"}}]}\n\n", "", "without [DONE]"},
		{"not JSON", "data: {\"choices\n\n", "", "decode a stream event"},
	} {
		text, err := readStream(strings.NewReader(tt.body))
		if text != tt.text || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: %q, %v; want %q, %q", tt.name, text, err, tt.text, tt.err)
		}
	}
}
