package store

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// writerMetrics are the request log writer's counters, exported to
// Prometheus and kept as plain atomics for Written and Dropped.
type writerMetrics struct {
	written, dropped, writeErrors, deleted prometheus.Counter
	writtenN, droppedN                     atomic.Int64
	// writeDuration and batchRows observe every Store.Write, failed ones
	// included; buffered is the rows the run goroutine holds (the next
	// batch, or the rows kept while the database fails).
	writeDuration, batchRows prometheus.Histogram
	buffered                 prometheus.Gauge
}

// newWriterMetrics creates the writer's metrics, registered with reg
// unless it is nil; queued reports the rows in the queue.
func newWriterMetrics(reg prometheus.Registerer, queued func() float64) *writerMetrics {
	c := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	}
	m := &writerMetrics{
		written:     c("switchyard_store_written_total", "Request log rows written."),
		dropped:     c("switchyard_store_dropped_total", "Request log rows dropped: queue or outage buffer full, or unwritten at shutdown."),
		writeErrors: c("switchyard_store_write_errors_total", "Failed writes of a batch to the request log (retried)."),
		deleted:     c("switchyard_store_deleted_total", "Request log rows deleted by retention."),
		writeDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "switchyard_store_write_duration_seconds", Help: "Time of one batch write to the request log, failed writes included.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}),
		batchRows: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "switchyard_store_batch_rows", Help: "Rows per batch write to the request log, failed writes included.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 8),
		}),
		buffered: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "switchyard_store_buffered_rows",
			Help: "Request log rows taken from the queue and not yet written: the next batch, or the rows held while the database fails.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.written, m.dropped, m.writeErrors, m.deleted, m.writeDuration, m.batchRows, m.buffered,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "switchyard_store_queue_length", Help: "Request log rows waiting in the writer's queue.",
			}, queued))
	}
	return m
}
