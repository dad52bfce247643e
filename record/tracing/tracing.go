// Package tracing exports request records as OpenTelemetry traces over
// OTLP/HTTP: one server span per request, with a client span per upstream
// attempt, and the routing decision as attributes.
//
// Spans are built after the fact, on the recorder's goroutine, from each
// Record and its explicit start and end times: the request's path never
// touches a span. A caller's W3C traceparent (Record.TraceParent) is
// continued: the request span is its child, in its trace, and its sampling
// decision holds. Spans carry no message content, keys or header values.
package tracing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"switchyard/record"
)

// Options configure a Sink.
type Options struct {
	// Endpoint is the collector's OTLP/HTTP URL: a root such as
	// http://127.0.0.1:4318, to which /v1/traces is added, or the full URL
	// of its traces path. Required.
	Endpoint string
	// Headers are sent with every export; nil means none. Their values
	// are never logged.
	Headers map[string]string
	// SampleRatio is the share of new traces recorded, from 0 to 1; a
	// continued trace follows its caller's decision.
	SampleRatio float64
	// ServiceName is the service.name resource attribute; empty means
	// "switchyard".
	ServiceName string
	// Logger receives export failures, at most one line per LogInterval;
	// nil means slog.Default().
	Logger *slog.Logger
	// LogInterval is the least time between two logs of export failures;
	// zero means a minute.
	LogInterval time.Duration
	// BatchTimeout is the longest a finished span waits before it is
	// exported; zero means 5s.
	BatchTimeout time.Duration
}

// Sink is a record.Sink that turns each record into spans and exports
// them in batches, in the background. Consume must be called from one
// goroutine at a time (the recorder's); Shutdown flushes.
type Sink struct {
	tp     *sdktrace.TracerProvider
	tracer trace.Tracer
	prop   propagation.TraceContext
}

var _ record.Sink = (*Sink)(nil)

// New starts a Sink exporting to opts.Endpoint. It does not connect: an
// unreachable collector shows as logged export failures, and spans past
// the exporter's queue (2048) are dropped. New routes OpenTelemetry's
// global error handler to opts.Logger.
func New(opts Options) (*Sink, error) {
	endpoint, err := tracesURL(opts.Endpoint)
	if err != nil {
		return nil, err
	}
	if opts.ServiceName == "" {
		opts.ServiceName = "switchyard"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.LogInterval <= 0 {
		opts.LogInterval = time.Minute
	}
	if opts.BatchTimeout <= 0 {
		opts.BatchTimeout = 5 * time.Second
	}
	otel.SetErrorHandler(&errorLog{log: opts.Logger, every: opts.LogInterval})
	exp, err := otlptracehttp.New(context.Background(),
		otlptracehttp.WithEndpointURL(endpoint), otlptracehttp.WithHeaders(opts.Headers))
	if err != nil {
		return nil, fmt.Errorf("tracing: exporter: %w", err)
	}
	res, err := resource.Merge(resource.Default(),
		resource.NewSchemaless(attribute.String("service.name", opts.ServiceName)))
	if err != nil {
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(opts.BatchTimeout)),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(opts.SampleRatio))),
	)
	return &Sink{tp: tp, tracer: tp.Tracer("switchyard/record/tracing")}, nil
}

// tracesURL returns the URL spans are posted to: raw, with /v1/traces
// added when it has no path.
func tracesURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("tracing: the endpoint is not an absolute http(s) URL")
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/traces"
	}
	return u.String(), nil
}

// Shutdown exports every span not yet sent and stops the exporter,
// waiting at most until ctx ends. Consume must not be called after it.
func (s *Sink) Shutdown(ctx context.Context) error {
	if err := s.tp.Shutdown(ctx); err != nil {
		return fmt.Errorf("tracing: shutdown: %w", err)
	}
	return nil
}

// Consume implements record.Sink: it builds the record's spans, which the
// exporter sends in the background.
func (s *Sink) Consume(r *record.Record) {
	ctx := context.Background()
	if r.TraceParent != "" {
		ctx = s.prop.Extract(ctx, propagation.MapCarrier{"traceparent": r.TraceParent})
	}
	start := r.Start
	if start.IsZero() {
		start = time.Now().Add(-r.Latency)
	}
	ctx, span := s.tracer.Start(ctx, spanName(r),
		trace.WithSpanKind(trace.SpanKindServer), trace.WithTimestamp(start),
		trace.WithAttributes(requestAttrs(r)...))
	if !span.IsRecording() {
		span.End(trace.WithTimestamp(start.Add(r.Latency)))
		return
	}
	for i := range r.Trail {
		s.attempt(ctx, &r.Trail[i], start)
	}
	if code, desc := requestStatus(r); code != 0 {
		span.SetStatus(code, desc)
	}
	span.End(trace.WithTimestamp(start.Add(r.Latency)))
}

// attempt records one upstream call as a child of the request span in
// ctx; an attempt without a start time starts with the request.
func (s *Sink) attempt(ctx context.Context, a *record.Attempt, reqStart time.Time) {
	start := a.Start
	if start.IsZero() {
		start = reqStart
	}
	_, span := s.tracer.Start(ctx, "attempt "+a.Deployment,
		trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(start),
		trace.WithAttributes(attemptAttrs(a)...))
	if code, desc := attemptStatus(a); code != 0 {
		span.SetStatus(code, desc)
	}
	span.End(trace.WithTimestamp(start.Add(a.Latency)))
}

// errorLog logs OpenTelemetry's errors (failed exports), at most one line
// per interval, with how many were not logged since.
type errorLog struct {
	log     *slog.Logger
	every   time.Duration
	mu      sync.Mutex
	last    time.Time
	skipped int
}

func (e *errorLog) Handle(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	if !e.last.IsZero() && now.Sub(e.last) < e.every {
		e.skipped++
		return
	}
	e.log.Warn("traces: export failed; spans may be lost", "err", err, "failures_not_logged", e.skipped)
	e.last, e.skipped = now, 0
}
