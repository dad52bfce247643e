package record

import "github.com/prometheus/client_golang/prometheus"

// Len returns how many records wait in the queue.
func (r *Recorder) Len() int { return len(r.ch) }

// Cap returns the queue's size.
func (r *Recorder) Cap() int { return cap(r.ch) }

// Register registers the recorder's own metrics with reg: the queue's
// depth and size as gauges, and the records dropped as a counter. They
// are read when reg is gathered; the recorder does no work for them.
func (r *Recorder) Register(reg prometheus.Registerer) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "switchyard_record_queue_length",
			Help: "Request records waiting for the sinks (metrics, log, request store, traces).",
		}, func() float64 { return float64(r.Len()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "switchyard_record_queue_capacity",
			Help: "The size of the request record queue; past it, records are dropped.",
		}, func() float64 { return float64(r.Cap()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "switchyard_records_dropped_total",
			Help: "Request records dropped because the record queue was full (or the recorder closed): not counted in the metrics, log, request store or traces.",
		}, func() float64 { return float64(r.Dropped()) }),
	)
}
