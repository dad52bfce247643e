package record

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestMetricsCountResumedStreams: a record of a resumed stream counts
// once under its route, the broken deployment and the one that finished;
// other records do not.
func TestMetricsCountResumedStreams(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	m.Consume(&Record{Endpoint: "chat", Route: "auto", Deployment: "b", ResumedFrom: "a", ResumeOffset: 20, ResumeMode: "prefill", Status: 200})
	m.Consume(&Record{Endpoint: "chat", Route: "auto", Deployment: "a", Status: 200})
	if got := testutil.ToFloat64(m.resumed.WithLabelValues("auto", "a", "b", "prefill")); got != 1 {
		t.Errorf("resumed{auto,a,b,prefill} = %v, want 1", got)
	}
	if n := testutil.CollectAndCount(m.resumed); n != 1 {
		t.Errorf("%d resumed series, want 1", n)
	}
}
