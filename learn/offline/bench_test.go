package offline

import (
	"strings"
	"sync"
	"testing"
)

// prompt500 is a prompt of about 500 tokens (2,000 bytes).
var prompt500 = strings.Repeat("Explain how a hash map handles collisions, and show an example in Go with a benchmark. ", 23)

var (
	benchOnce  sync.Once
	benchModel *Model
)

// benchFit fits a model of the default size (2^16 buckets, three kinds,
// a text correction) on the synthetic data, once.
func benchFit(tb testing.TB) *Model {
	benchOnce.Do(func() {
		o := DefaultTrainOptions()
		o.Epochs, o.CalibrationFolds = 2, 0
		m, err := Fit(synthDataset(tb, 120), o)
		if err != nil {
			tb.Fatal(err)
		}
		benchModel = m
	})
	return benchModel
}

// Scoring a request (featurize once, predict every model) allocates
// nothing once the vector has grown: it runs on the hot path.
func TestPredictDoesNotAllocate(t *testing.T) {
	m := benchFit(t)
	var v Vector
	out := make([]float64, len(m.Models))
	m.Predict(&v, m.Vectorize(prompt500, &v), out)
	n := testing.AllocsPerRun(50, func() { m.Predict(&v, m.Vectorize(prompt500, &v), out) })
	if n != 0 {
		t.Errorf("%v allocations per request", n)
	}
}

// BenchmarkScore500 measures one request of about 500 tokens:
// featurizing it, finding its kind, and predicting every model (three
// here). Divide by the candidates for the cost per candidate.
func BenchmarkScore500(b *testing.B) {
	m := benchFit(b)
	var v Vector
	out := make([]float64, len(m.Models))
	b.ReportAllocs()
	b.SetBytes(int64(len(prompt500)))
	for b.Loop() {
		m.Predict(&v, m.Vectorize(prompt500, &v), out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(m.Models))/1e3, "µs/candidate")
}

// BenchmarkPredict500 measures the prediction alone, the part that grows
// with the number of candidates.
func BenchmarkPredict500(b *testing.B) {
	m := benchFit(b)
	var v Vector
	kind := m.Vectorize(prompt500, &v)
	out := make([]float64, len(m.Models))
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(&v, kind, out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(m.Models))/1e3, "µs/candidate")
}
