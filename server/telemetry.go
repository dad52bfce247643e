package server

import (
	"context"
	"log/slog"

	"switchyard/config"
	"switchyard/record/tracing"
)

// newTraceSink starts the trace exporter of cfg's telemetry.traces; nil
// when traces are off.
func newTraceSink(cfg *config.Config, log *slog.Logger) (*tracing.Sink, error) {
	t := &cfg.Telemetry.Traces
	if !t.Enabled() {
		return nil, nil
	}
	return tracing.New(tracing.Options{
		Endpoint: t.Endpoint, Headers: t.Headers, SampleRatio: t.Ratio(), ServiceName: t.ServiceName, Logger: log,
	})
}

// closeTraces flushes the spans not yet exported, waiting at most until
// ctx ends; it does nothing when traces are off.
func (r *Router) closeTraces(ctx context.Context) error {
	if r.traces == nil {
		return nil
	}
	return r.traces.Shutdown(ctx)
}
