package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"switchyard/store"
	"switchyard/store/seal"
)

// BenchmarkWriter measures the sustained write rate of s through a
// Writer with the default configuration: b.N Sample rows are added as
// fast as the writer takes them (never more in flight than its queue
// holds, so none is dropped) and Close waits for the last one. It reports
// records/s.
func BenchmarkWriter(b *testing.B, s store.Store) {
	cfg := store.WriterConfig{}
	w := store.NewWriter(s, cfg)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		for int64(i)-w.Written() >= store.DefaultQueueSize-store.DefaultBatchSize {
			time.Sleep(50 * time.Microsecond)
		}
		r := Sample(i)
		r.ID = r.ID + "_" + start.Format("150405.000000000") // fresh ids per run
		if !w.Add(r) {
			b.Fatalf("row %d dropped", i)
		}
	}
	if err := w.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if w.Written() != int64(b.N) {
		b.Fatalf("wrote %d of %d rows", w.Written(), b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "records/s")
}

// sealBench gives s (a store.ContentSealer) a key when sealed, and
// returns the function that takes it back.
func sealBench(b *testing.B, s store.Store, sealed bool) func() {
	cs, ok := s.(store.ContentSealer)
	if !sealed {
		return func() {}
	}
	if !ok {
		b.Fatalf("%T seals nothing", s)
	}
	keys, err := seal.New(bytes.Repeat([]byte{0x5a}, seal.KeySize))
	if err != nil {
		b.Fatal(err)
	}
	cs.SealWith(keys)
	return func() { cs.SealWith(nil) }
}
