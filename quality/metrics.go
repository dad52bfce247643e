package quality

import (
	"github.com/prometheus/client_golang/prometheus"

	"switchyard/store"
)

// The signal label values of switchyard_quality_signals_total.
const (
	SignalFormatChecked    = "format_checked"     // a format was asked for (the denominator of format_failed)
	SignalFormatFailed     = "format_failed"      // the answer did not adhere to it
	SignalInvalidToolCalls = "invalid_tool_calls" // at least one tool call with a bad name or arguments
	SignalRefusal          = "refusal"
	SignalContentFilter    = "content_filter"
	SignalTruncated        = "truncated"
	SignalEmpty            = "empty"
)

// sinkMetrics are the quality metrics.
type sinkMetrics struct {
	checked *prometheus.CounterVec
	signals *prometheus.CounterVec
	length  *prometheus.HistogramVec
}

func newSinkMetrics(reg prometheus.Registerer) *sinkMetrics {
	m := &sinkMetrics{
		checked: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_quality_checked_total",
			Help: "Chat requests whose answer-quality signals were computed, by route, category and deployment (the denominator of switchyard_quality_signals_total).",
		}, []string{"route", "category", "deployment"}),
		signals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_quality_signals_total",
			Help: "Chat requests with each answer-quality signal (format_checked, format_failed, invalid_tool_calls, refusal, content_filter, truncated, empty), by route, category and deployment.",
		}, []string{"route", "category", "deployment", "signal"}),
		length: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "switchyard_quality_length_ratio",
			Help:    "Answer length over the deployment's usual length for the category, once it has enough history, by category and deployment.",
			Buckets: []float64{0.25, 0.5, 0.8, 1.25, 2, 4},
		}, []string{"category", "deployment"}),
	}
	reg.MustRegister(m.checked, m.signals, m.length)
	return m
}

// count adds one request's signals.
func (m *sinkMetrics) count(route, category, deployment string, s *store.Signals) {
	m.checked.WithLabelValues(route, category, deployment).Inc()
	for _, f := range []struct {
		on   bool
		name string
	}{
		{s.FormatChecked, SignalFormatChecked},
		{s.FormatChecked && !s.FormatOK, SignalFormatFailed},
		{s.InvalidToolCalls > 0, SignalInvalidToolCalls},
		{s.Refusal, SignalRefusal},
		{s.ContentFilter, SignalContentFilter},
		{s.Truncated, SignalTruncated},
		{s.Empty, SignalEmpty},
	} {
		if f.on {
			m.signals.WithLabelValues(route, category, deployment, f.name).Inc()
		}
	}
	if s.LengthRatio > 0 {
		m.length.WithLabelValues(category, deployment).Observe(s.LengthRatio)
	}
}
