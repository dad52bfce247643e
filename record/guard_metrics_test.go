package record

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/llm"
)

func TestGuardMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	for _, r := range []*Record{
		{Endpoint: "chat", Status: 400, Guard: &llm.Guard{Scanned: true, Score: 0.9, Action: "block", Acted: true}},
		{Endpoint: "chat", Status: 200, Guard: &llm.Guard{Scanned: true, Score: 0.1, Action: "block"}},
		{Endpoint: "chat", Status: 200, Guard: &llm.Guard{Scanned: true, Score: 0.4, Action: "flag", Acted: true, LinksRemoved: 2, ImagesRemoved: 1}},
		{Endpoint: "chat", Status: 200, Guard: &llm.Guard{Leak: true, LeakCut: true}},
		{Endpoint: "chat", Status: 200},
	} {
		m.Consume(r)
	}
	for _, c := range []struct {
		labels []string
		vec    *prometheus.CounterVec
		want   float64
	}{
		{[]string{"block", "true"}, m.guard.scans, 1},
		{[]string{"block", "false"}, m.guard.scans, 1},
		{[]string{"flag", "true"}, m.guard.scans, 1},
		{[]string{"link"}, m.guard.output, 2},
		{[]string{"image"}, m.guard.output, 1},
		{[]string{"leak"}, m.guard.output, 1},
		{[]string{"leak_cut"}, m.guard.output, 1},
	} {
		if got := testutil.ToFloat64(c.vec.WithLabelValues(c.labels...)); got != c.want {
			t.Errorf("%v = %v, want %v", c.labels, got, c.want)
		}
	}
}
