package health

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestReporterLogsAndExports(t *testing.T) {
	var buf bytes.Buffer
	reg := prometheus.NewRegistry()
	r := NewReporter(slog.New(slog.NewTextHandler(&buf, nil)), reg)
	r.Init([]string{"a"})
	tr := NewTracker(Config{}, []string{"a"}, Options{OnTransition: r.Transition})
	for i := 0; i < 5; i++ {
		tr.Record(Outcome{Deployment: "a", Failed: true})
	}
	if v := testutil.ToFloat64(r.breaker.WithLabelValues("a", "open")); v != 1 {
		t.Errorf("open gauge = %v", v)
	}
	if v := testutil.ToFloat64(r.breaker.WithLabelValues("a", "closed")); v != 0 {
		t.Errorf("closed gauge = %v", v)
	}
	if v := testutil.ToFloat64(r.transitions.WithLabelValues("a", "breaker", "open")); v != 1 {
		t.Errorf("transitions = %v", v)
	}
	if !strings.Contains(buf.String(), "consecutive failures") || !strings.Contains(buf.String(), "deployment=a") {
		t.Errorf("log: %s", buf.String())
	}
}
