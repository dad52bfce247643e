package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"switchyard/admin"
	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/health"
	"switchyard/learn"
	"switchyard/learn/adaptive"
	"switchyard/learn/bandit"
	"switchyard/provider"
	_ "switchyard/provider/all" // every provider kind a config may name
	"switchyard/quality"
	"switchyard/record"
	"switchyard/record/tracing"
	"switchyard/state"
	"switchyard/store"
	"switchyard/tenant"
	wire "switchyard/wire/openai"
)

// Router is a whole Switchyard built from a validated config: the gateway,
// its recorder and metrics registry, and the HTTP server in front.
type Router struct {
	*Server
	Gateway  *gateway.Gateway
	Recorder *record.Recorder
	Registry *prometheus.Registry
	// traces exports the records as spans; nil when traces are off.
	traces *tracing.Sink
	// Writer writes the request log to RouterOptions.Store; nil without
	// one.
	Writer *store.Writer
	// State is the shared state back end (config state:) that budgets
	// are kept in; Close closes it.
	State state.Backend
	// Learner keeps the feedback (ratings and implicit signals) in
	// RouterOptions.Store; nil without one.
	Learner *learn.Learner
	// Adaptive learns the adaptive routes' statistics; nil when no route
	// has adaptive on.
	Adaptive *adaptive.Learner
	// Keyring holds the client and managed admin keys; Keys manages the
	// managed ones (in RouterOptions.Store); Limiter holds requests to
	// their keys' and tenants' limits.
	Keyring *tenant.Keyring
	Keys    *tenant.Manager
	Limiter *tenant.Limiter
	// stopKeys ends the keyring's reloads.
	stopKeys context.CancelFunc
}

// RouterOptions tune NewRouter. The zero value is usable.
type RouterOptions struct {
	// Demo accepts any client key.
	Demo bool
	// Logger receives server and request logs; nil means slog.Default().
	Logger *slog.Logger
	// Sinks are extra record sinks (tests use them to observe records).
	Sinks []record.Sink
	// NoRequestLog drops the per-request log line (benchmarks).
	NoRequestLog bool
	// Store is the request log the router records every request to and
	// the admin API reads (/admin/requests, /admin/stats); nil means no
	// request log. The router does not close it: its opener does, after
	// Router.Close has flushed the records.
	Store store.Store
	// Now is the health tracker's clock; nil means time.Now (tests pass a
	// fake to drive breakers and demotion through virtual time).
	Now func() time.Time
	// AdaptiveNow is the adaptive learner's clock, by which its
	// statistics decay (route adaptive.half_life); nil means time.Now
	// (tests pass a fake to run hours of traffic in seconds).
	AdaptiveNow func() time.Time
	// Auditor records the changes to managed keys made through the admin
	// API; nil records none.
	Auditor tenant.Auditor
	// KeysInterval is how often the managed keys are reloaded from Store
	// when they changed; zero means tenant.DefaultInterval.
	KeysInterval time.Duration
}

// NewRouter wires a Router for cfg, which must have passed Validate.
func NewRouter(cfg *config.Config, opts RouterOptions) (*Router, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), provider.BadEvents)
	metrics := record.NewMetricsWith(reg, record.MetricsOptions{TenantLabel: cfg.Telemetry.MetricsTenantLabel})
	sinks := append([]record.Sink{
		// The quality sink runs first: it sets rec.Signals for the others.
		quality.NewSink(quality.SinkOptions{Registerer: reg, Routes: cfg.RouteNames(), Deployments: cfg.DeploymentNames()}),
		metrics,
	}, opts.Sinks...)
	if !opts.NoRequestLog {
		sinks = append(sinks, record.LogSink(log))
	}
	traces, err := newTraceSink(cfg, log)
	if err != nil {
		return nil, err
	}
	if traces != nil {
		sinks = append(sinks, traces)
	}
	writer, storeSink, err := requestLog(cfg, opts.Store, log, reg)
	if err != nil {
		if traces != nil {
			traces.Shutdown(context.Background())
		}
		return nil, err
	}
	if storeSink != nil {
		sinks = append(sinks, storeSink)
	}
	st, err := openState(&cfg.State, log, reg)
	var (
		learned func() *bandit.Snapshot
		srv     *Server // a rating waits on the server for the request it names
		tuner   *adaptive.Learner
		learner *learn.Learner
	)
	if err == nil {
		var adaptSink record.Sink
		// The adaptive learner sees a record before the feedback on it.
		if tuner, adaptSink = newAdaptive(cfg, opts.Store, st, opts.AdaptiveNow, log, reg); tuner != nil {
			sinks = append(sinks, adaptSink)
			learned = tuner.Snapshot
		}
		var learnSink record.Sink
		learner, learnSink = newLearner(cfg, opts.Store, func(ctx context.Context, id string) error { return srv.settle(ctx, id) }, tuner, log, reg)
		if learnSink != nil {
			sinks = append(sinks, learnSink)
		}
	}
	var keyring *tenant.Keyring
	if err == nil {
		keyring, err = openKeyring(cfg, opts, log)
	}
	rec := record.NewRecorder(0, sinks...)
	rec.Register(reg)
	reporter := health.NewReporter(log, reg)
	names := cfg.DeploymentNames()
	reporter.Init(names)
	tracker := health.NewTracker(gateway.HealthConfig(cfg.Resilience.Health), names, health.Options{Now: opts.Now, OnTransition: reporter.Transition})
	var gw *gateway.Gateway
	var limiter *tenant.Limiter
	if err == nil {
		limiter = tenant.NewLimiter(st, tenant.LimiterOptions{Logger: log, Async: cfg.State.Driver == config.StateRedis})
		// Answers are always kept: the quality sink reads them (and the
		// store sink, when bodies are stored).
		gw, err = gateway.New(cfg, gateway.Options{Recorder: rec, Health: tracker, Logger: log, KeepAnswers: true,
			Budgets: budgets(cfg, st, log, reg), Learned: learned, Limiter: limiter})
	}
	if err != nil {
		if limiter != nil {
			limiter.Close()
		}
		if tuner != nil {
			tuner.Close(context.Background())
		}
		if st != nil {
			st.Close()
		}
		rec.Close(context.Background())
		if traces != nil {
			traces.Shutdown(context.Background())
		}
		if writer != nil {
			writer.Close(context.Background())
		}
		if learner != nil {
			learner.Close(context.Background())
		}
		return nil, err
	}
	metrics.ObservePrices(gw.Policy().Deployments())
	api := &apiopenai.Handler{Backend: gw, Models: modelList(gw), MaxBodyBytes: cfg.Server.MaxBodyBytes}
	keys := &tenant.Manager{Store: keyStore(opts.Store), Config: cfg, Keyring: keyring, Auditor: opts.Auditor}
	srv = New(Options{
		API: api, Keys: cfg.Auth.Keys, Keyring: keyring, AnyKey: opts.Demo,
		AdminKeys: cfg.Auth.AdminKeys, SeparateOps: cfg.Server.AdminListen != "",
		RequestTimeout: cfg.Server.RequestTimeout, Gatherer: reg, Registerer: reg, Recorder: rec, Logger: log,
		Admin: &admin.Handler{Health: tracker, Store: opts.Store, Logger: log, Prices: prices(gw), Lambda: new(cfg.Learn.LambdaOr()),
			Keys: keys},
		Limits:        LimitsFrom(&cfg.Server),
		TenantMetrics: cfg.Telemetry.MetricsTenantLabel, // scoped admin keys may not read other tenants' series
		Feedback:      learner,
	})
	kctx, stopKeys := context.WithCancel(context.Background())
	go keyring.Run(kctx)
	return &Router{Server: srv, Gateway: gw, Recorder: rec, Registry: reg, Writer: writer, State: st, Learner: learner, Adaptive: tuner, traces: traces,
		Keyring: keyring, Keys: keys, Limiter: limiter, stopKeys: stopKeys}, nil
}

// openKeyring builds the keyring of cfg's keys and the store's managed
// ones, loaded once: a store that cannot list its keys fails the start,
// rather than run without them (and perhaps without authentication).
func openKeyring(cfg *config.Config, opts RouterOptions, log *slog.Logger) (*tenant.Keyring, error) {
	k := tenant.NewKeyring(tenant.Options{Config: cfg, Store: keyStore(opts.Store), Interval: opts.KeysInterval, Logger: log})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := k.Load(ctx); err != nil {
		return nil, fmt.Errorf("managed keys: %w", err)
	}
	return k, nil
}

// keyStore returns st's managed keys; nil without a store.
func keyStore(st store.Store) store.KeyStore {
	if st == nil {
		return nil
	}
	return st
}

// Close stops the gateway's background work (semantic routes' embedding
// calls), then flushes the request records to their sinks, the spans made
// of them, and the request log's rows and the implicit feedback to the
// store, waiting at most until ctx ends, and closes the shared state back
// end (every request has settled its budgets before its record was
// queued). The store stays open: its opener closes it.
func (r *Router) Close(ctx context.Context) error {
	r.stopKeys()
	r.Gateway.Close()
	err := errors.Join(r.Recorder.Close(ctx), r.closeTraces(ctx))
	if r.Writer != nil {
		err = errors.Join(err, r.Writer.Close(ctx))
	}
	if r.Learner != nil {
		err = errors.Join(err, r.Learner.Close(ctx))
	}
	if r.Adaptive != nil { // after the records and the feedback it learns from
		err = errors.Join(err, r.Adaptive.Close(ctx))
	}
	r.Gateway.Budgets().Wait() // settlements still in flight, before their back end closes
	r.Limiter.Close()
	return errors.Join(err, r.State.Close())
}

func modelList(gw *gateway.Gateway) func() []wire.Model {
	var models []wire.Model
	for _, m := range gw.Models() {
		models = append(models, wire.Model{ID: m.ID, OwnedBy: m.OwnedBy, Created: 1735689600})
	}
	return func() []wire.Model { return models }
}
