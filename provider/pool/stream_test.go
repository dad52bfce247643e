package pool

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/llm"
)

// A stream holds its member until it is closed or ends, and releases it
// exactly once whatever the caller does.
func TestStreamReleasesExactlyOnce(t *testing.T) {
	cut := llm.Errorf(llm.KindUpstream, "stream cut")
	tests := []struct {
		name   string
		end    error              // the member stream's terminal error; nil: io.EOF
		use    func(s llm.Stream) // what the caller does after opening
		cooled bool               // whether the member ends up cooling
	}{
		{name: "close", use: func(s llm.Stream) { s.Close() }},
		{name: "close twice", use: func(s llm.Stream) { s.Close(); s.Close() }},
		{name: "read to EOF, Next again, close twice", use: func(s llm.Stream) {
			drain(s)
			s.Next()
			s.Close()
			s.Close()
		}},
		{name: "error mid-stream then close", end: cut, use: func(s llm.Stream) { drain(s); s.Close() }},
		{name: "error mid-stream, never closed", end: cut, use: func(s llm.Stream) { drain(s) }},
		{name: "429 mid-stream", end: rateLimit(4 * time.Second), cooled: true, use: func(s llm.Stream) { drain(s); s.Close() }},
		{name: "close concurrently with next", use: func(s llm.Stream) {
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() { s.Close() })
				wg.Go(func() { s.Next() })
			}
			wg.Wait()
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			fs := fakes(1)
			fs[0].chunks, fs[0].end = 3, tc.end
			p := newPool(t, members(fs), clk.opts(Options{}))
			s, err := p.Stream(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if c, err := s.Next(); err != nil || c.Model != "a" {
				t.Fatalf("first chunk: %v, %v", c, err)
			}
			if got := inFlight(p)[0]; got != 1 {
				t.Fatalf("in flight while streaming = %d, want 1", got)
			}
			tc.use(s)
			st := p.Status()[0]
			if st.InFlight != 0 {
				t.Errorf("in flight after = %d, want 0", st.InFlight)
			}
			if cooled := !st.CoolingUntil.IsZero(); cooled != tc.cooled {
				t.Errorf("cooling = %v, want %v (%+v)", cooled, tc.cooled, st)
			}
			// Another stream on the same member still counts from zero.
			s2, err := p.Stream(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if got := inFlight(p)[0]; got != 1 {
				t.Errorf("in flight with a new stream = %d, want 1", got)
			}
			s2.Close()
		})
	}
}

// A failure to open the stream releases the member at once and is returned
// unchanged; a 429 cools the member.
func TestStreamOpenError(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		cooled bool
	}{
		{"rate limit", rateLimit(time.Second), true},
		{"upstream", llm.Errorf(llm.KindUpstream, "bad"), false},
		{"auth", llm.Errorf(llm.KindAuth, "bad key"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := fakes(2)
			fs[0].fail = func() error { return tc.err }
			p := newPool(t, members(fs), newClock().opts(Options{}))
			s, err := p.Stream(context.Background(), req)
			if s != nil || !sameOrRetryNow(err, tc.err) {
				t.Fatalf("got %v, %v; want nil and the member's error", s, err)
			}
			st := p.Status()[0]
			if st.InFlight != 0 || st.CoolingUntil.IsZero() == tc.cooled {
				t.Errorf("status = %+v, want not in flight, cooled %v", st, tc.cooled)
			}
		})
	}
}

// drain reads s until Next fails.
func drain(s llm.Stream) {
	for {
		if _, err := s.Next(); err != nil {
			return
		}
	}
}

// Many goroutines mixing calls, streams, embeddings, failures and status
// reads leave exact counts: run with -race.
func TestConcurrentUse(t *testing.T) {
	for _, strategy := range []Strategy{StrategyLeastInFlight, StrategyWeighted} {
		t.Run(string(strategy), func(t *testing.T) {
			const workers, ops = 64, 200
			clk := newClock()
			fs := fakes(4)
			var n, limited atomic.Int64
			for _, f := range fs {
				f.chunks = 2
				f.fail = func() error {
					switch k := n.Add(1); {
					case k%7 == 0:
						limited.Add(1)
						return rateLimit(time.Duration(k%5) * time.Millisecond)
					case k%11 == 0:
						return llm.Errorf(llm.KindUpstream, "bad")
					}
					return nil
				}
			}
			ms := members(fs, 1, 2, 3, 4)
			ms[0].Provider, ms[2].Provider = embedFake{fs[0]}, embedFake{fs[2]}
			p := newPool(t, ms, clk.opts(Options{Strategy: strategy, Rand: rand.New(rand.NewPCG(9, 9)).Uint64}))

			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					ctx := context.Background()
					for i := range ops {
						clk.Advance(time.Millisecond)
						switch (w + i) % 4 {
						case 0:
							chat(p)
						case 1:
							if s, err := p.Stream(ctx, req); err == nil {
								drain(s)
								s.Close()
								s.Close()
							}
						case 2:
							p.Embed(ctx, &llm.EmbeddingRequest{Input: []string{"x"}})
						case 3:
							for _, st := range p.Status() {
								if st.InFlight < 0 {
									t.Errorf("negative in flight: %+v", st)
								}
							}
						}
					}
				})
			}
			wg.Wait()

			var total, rateLimited int64
			for i, st := range p.Status() {
				if st.InFlight != 0 {
					t.Errorf("%s: %d in flight after all calls ended", st.Name, st.InFlight)
				}
				total += fs[i].count()
				rateLimited += st.RateLimited
			}
			if want := int64(workers * ops * 3 / 4); total != want || n.Load() != want {
				t.Errorf("member calls = %d (fail asked %d), want %d", total, n.Load(), want)
			}
			if rateLimited != limited.Load() {
				t.Errorf("RateLimited sums to %d, want %d", rateLimited, limited.Load())
			}
		})
	}
}
