package record

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/llm"
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

// TestMetricsCountAnswersTooLarge: each call of a record whose answer
// passed the router's limit counts once under its deployment, whether the
// request failed so or a later call answered.
func TestMetricsCountAnswersTooLarge(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	m.Consume(&Record{Endpoint: "chat", Deployment: "a", Status: 502, ErrorCode: llm.CodeAnswerTooLarge,
		Trail: []Attempt{{Deployment: "a", Outcome: "cut", ErrorCode: llm.CodeAnswerTooLarge}}})
	m.Consume(&Record{Endpoint: "chat", Deployment: "b", Status: 200,
		Trail: []Attempt{{Deployment: "a", Outcome: "cut", ErrorCode: llm.CodeAnswerTooLarge}, {Deployment: "b", Outcome: "ok"}}})
	m.Consume(&Record{Endpoint: "chat", Deployment: "b", Status: 502, Trail: []Attempt{{Deployment: "b", Outcome: "error"}}})
	if got := testutil.ToFloat64(m.tooLarge.WithLabelValues("a")); got != 2 {
		t.Errorf("answers_too_large{a} = %v, want 2", got)
	}
	if n := testutil.CollectAndCount(m.tooLarge); n != 1 {
		t.Errorf("%d answers_too_large series, want 1", n)
	}
}
