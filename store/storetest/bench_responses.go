package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/store"
)

// benchResponse is a stored response of a ten-turn conversation: about
// 8 KB of input items, 1 KB of output, a 3 KB Response object.
func benchResponse(id string) *store.Response {
	turn := `{"id":"msg_x","type":"message","role":"user","status":"completed","content":[{"type":"input_text","text":"` + strings.Repeat("word ", 160) + `"}]}`
	items := "[" + strings.TrimSuffix(strings.Repeat(turn+",", 10), ",") + "]"
	out := `[{"id":"msg_y","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"` + strings.Repeat("word ", 200) + `"}]}]`
	return &store.Response{ID: id, Tenant: "acme", KeyName: "backend", Created: time.Now(), Expires: time.Now().Add(time.Hour),
		Model: "gpt-4o-mini", Status: "completed", Object: []byte(`{"id":"` + id + `","output":` + out + `,"pad":"` + strings.Repeat("x", 2000) + `"}`),
		Input: []byte(items), Output: []byte(out)}
}

// BenchmarkSaveResponse measures what storing a response adds to the
// request that created it: one SaveResponse at a time, as the router
// makes them (before the answer's last bytes), with the request log's
// writer idle, and with it writing Sample rows as fast as it can beside
// (on SQLite the two share the one write connection); each clear and
// sealed (responses.encryption: "-sealed"). It reports the p50 and p99
// of one save, and of one GetResponse (a continuation's read) in the
// idle case.
func BenchmarkSaveResponse(b *testing.B, s store.Store) {
	rl := logOf[store.ResponseLog](b, s, "responses")
	run := fmt.Sprint(time.Now().UnixNano())
	for _, c := range []struct {
		busy, sealed bool
	}{{false, false}, {false, true}, {true, false}, {true, true}} {
		name := "idle"
		if c.busy {
			name = "beside-request-log"
		}
		if c.sealed {
			name += "-sealed"
		}
		busy := c.busy
		b.Run(name, func(b *testing.B) {
			defer sealBench(b, s, c.sealed)()
			if busy {
				defer writeBeside(b, s, run)()
			}
			saves := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				r := benchResponse(fmt.Sprintf("resp_%s_%s_%d", run, name, i))
				start := time.Now()
				if err := rl.SaveResponse(context.Background(), r); err != nil {
					b.Fatal(err)
				}
				saves = append(saves, time.Since(start))
			}
			b.StopTimer()
			reportPercentiles(b, "save", saves)
			if !busy {
				reportPercentiles(b, "get", gets(b, rl, run, name, b.N))
			}
		})
	}
}

// gets times n GetResponse of the responses saved by the run.
func gets(b *testing.B, rl store.ResponseLog, run, name string, n int) []time.Duration {
	out := make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		if _, err := rl.GetResponse(context.Background(), store.TenantScope("acme"), fmt.Sprintf("resp_%s_%s_%d", run, name, i), time.Now()); err != nil {
			b.Fatal(err)
		}
		out = append(out, time.Since(start))
	}
	return out
}

// writeBeside keeps a Writer writing Sample rows to s until the returned
// function is called.
func writeBeside(b *testing.B, s store.Store, run string) func() {
	w := store.NewWriter(s, store.WriterConfig{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			for int64(i)-w.Written() >= store.DefaultQueueSize-store.DefaultBatchSize {
				time.Sleep(50 * time.Microsecond)
			}
			r := Sample(i)
			r.ID += "_beside_" + run
			w.Add(r)
		}
	})
	return func() {
		close(stop)
		wg.Wait()
		if err := w.Close(context.Background()); err != nil {
			b.Error(err)
		}
	}
}

// reportPercentiles reports the p50 and p99 of ds, in µs.
func reportPercentiles(b *testing.B, what string, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	at := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) }
	b.ReportMetric(at(0.50), what+"-p50-µs")
	b.ReportMetric(at(0.99), what+"-p99-µs")
}
