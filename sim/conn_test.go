package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// serve starts h and returns a client of its own, closed at cleanup.
func serve(t *testing.T, h http.HandlerFunc) (*httptest.Server, *http.Client) {
	t.Helper()
	srv := httptest.NewServer(h)
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	return srv, &http.Client{Transport: tr}
}

func TestReset(t *testing.T) {
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) { Reset(w) })
	resp, err := c.Get(srv.URL)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got a response %d, want a connection error", resp.StatusCode)
	}
}

func TestResetWithoutHijacker(t *testing.T) {
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	Reset(httptest.NewRecorder()) // a recorder cannot be hijacked
}

func TestCut(t *testing.T) {
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: first\n\n")
		w.(http.Flusher).Flush()
		Cut()
	})
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("read %q, %v; want io.ErrUnexpectedEOF", b, err)
	}
	if string(b) != "data: first\n\n" {
		t.Fatalf("read %q before the cut", b)
	}
}

func TestPromptCache(t *testing.T) {
	var c PromptCache // the zero value is ready
	steps := []struct {
		model, prefix string
		tokens, want  int
	}{
		{"m", "short", MinCachedTokens - 1, 0},
		{"m", "short", MinCachedTokens - 1, 0}, // too short to be cached, ever
		{"m", "long", 1500, 0},                 // first sight
		{"m", "long", 1500, 1408},              // cached, in blocks of 128
		{"m", "long", 1500, 1408},
		{"other", "long", 1500, 0}, // caches are per model
		{"m", "long!", 1500, 0},    // another prefix
		{"m", "exact", 2048, 0},
		{"m", "exact", 2048, 2048},
	}
	for i, s := range steps {
		if got := c.Lookup(s.model, s.prefix, s.tokens); got != s.want {
			t.Fatalf("step %d: Lookup(%s, %s, %d) = %d, want %d", i, s.model, s.prefix, s.tokens, got, s.want)
		}
	}
}

func TestPromptCacheConcurrent(t *testing.T) {
	var c PromptCache
	var wg sync.WaitGroup
	hits := make([]int, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				if c.Lookup("m", fmt.Sprint(i), 2000) > 0 {
					hits[g]++
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for _, h := range hits {
		total += h
	}
	if total != 7*100 { // each prefix misses exactly once
		t.Fatalf("%d hits, want 700", total)
	}
}

func TestProfileDefaults(t *testing.T) {
	var p Profile
	if p.Window() != 128000 || p.MaxOutput() != 4096 {
		t.Fatalf("defaults: window %d, max output %d", p.Window(), p.MaxOutput())
	}
	p = Profile{ContextWindow: 8000, MaxOutputTokens: 100}
	if p.Window() != 8000 || p.MaxOutput() != 100 {
		t.Fatalf("set: window %d, max output %d", p.Window(), p.MaxOutput())
	}
}

func TestProfileDelays(t *testing.T) {
	tests := []struct {
		name   string
		p      Profile
		lo, hi time.Duration
	}{
		{"none", Profile{}, 0, 0},
		{"fixed", Profile{TTFT: 100 * time.Millisecond}, 100 * time.Millisecond, 100 * time.Millisecond},
		{"jitter", Profile{TTFT: 100 * time.Millisecond, TTFTJitter: 20 * time.Millisecond}, 80 * time.Millisecond, 120 * time.Millisecond},
		{"jitter past zero", Profile{TTFT: 5 * time.Millisecond, TTFTJitter: 50 * time.Millisecond}, 0, 55 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 1000 {
				if d := tt.p.FirstTokenDelay(); d < tt.lo || d > tt.hi {
					t.Fatalf("FirstTokenDelay = %v, want in [%v, %v]", d, tt.lo, tt.hi)
				}
			}
		})
	}
	if d := (&Profile{TokensPerSecond: 50}).PieceDelay(5); d != 100*time.Millisecond {
		t.Fatalf("PieceDelay(5) at 50/s = %v", d)
	}
	if d := (&Profile{}).PieceDelay(5); d != 0 {
		t.Fatalf("PieceDelay without pacing = %v", d)
	}
}

func TestFailsAtRandom(t *testing.T) {
	never, always := &Profile{}, &Profile{ErrorRate: 1}
	for range 1000 {
		if never.FailsAtRandom() || !always.FailsAtRandom() {
			t.Fatal("ErrorRate 0 failed or ErrorRate 1 did not")
		}
	}
}

func TestSleep(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		d    time.Duration
		want bool
	}{
		{"zero, live", context.Background(), 0, true},
		{"negative, live", context.Background(), -time.Second, true},
		{"zero, canceled", canceled, 0, false},
		{"long, canceled", canceled, time.Hour, false},
		{"short, live", context.Background(), time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sleep(tt.ctx, tt.d); got != tt.want {
				t.Fatalf("Sleep = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("canceled while sleeping", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan bool)
		go func() { done <- Sleep(ctx, time.Hour) }()
		cancel()
		select {
		case ok := <-done:
			if ok {
				t.Fatal("Sleep reported the hour elapsed")
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Sleep did not return on cancel")
		}
	})
}

func TestNewCatalog(t *testing.T) {
	c := NewCatalog(Profile{Model: "a", Quality: 0.1}, Profile{Model: "b", Quality: 0.9})
	if len(c) != 2 || c["a"].Quality != 0.1 || c["b"].Quality != 0.9 || c["a"] == c["b"] {
		t.Fatalf("catalog = %+v", c)
	}
	if c["missing"] != nil {
		t.Fatal("unknown model found")
	}
}

// A prefix keyed a piece at a time has the key of the whole prefix, as
// Lookup, Seen and Write key it: a cache written either way reads the
// other.
func FuzzPrefixKey(f *testing.F) {
	f.Add("gpt-sim", "user\x00hi\x00", "assistant\x00hello\x00")
	f.Add("", "", "")
	f.Add("m", "\xff\x00", "é")
	f.Fuzz(func(t *testing.T, model, a, b string) {
		if got, want := NewPrefixKey(model).Add(a).Add(b), PrefixKey(hash(model+"\x00"+a+b)); got != want {
			t.Fatalf("NewPrefixKey(%q).Add(%q).Add(%q) = %x, want %x", model, a, b, got, want)
		}
		var c PromptCache
		c.WriteKey(NewPrefixKey(model).Add(a).Add(b))
		if !c.Seen(model, a+b) || c.Lookup(model, a+b, 2048) != 2048 {
			t.Fatalf("a prefix written by key is not seen by string")
		}
	})
}
