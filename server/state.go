package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/budget"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/health"
	"switchyard/provider/thinking"
	"switchyard/state"
	"switchyard/state/memory"
	"switchyard/state/redis"
)

// openState builds the shared state back end of cfg.State (memory, or a
// Redis client that connects on first use), wrapped in state.on_error's
// policy: each time the back end does not answer it is counted in
// switchyard_state_unavailable_total{op} and logged, and the request
// goes on unchecked (allow) or gets a 503 (deny). An unreachable Redis is
// logged at start, not fatal: on_error covers it.
func openState(cfg *config.State, log *slog.Logger, reg prometheus.Registerer) (state.Backend, error) {
	var b state.Backend = memory.New(memory.Options{})
	if cfg.Driver == config.StateRedis {
		rb, err := redis.New(redis.Options{Addr: cfg.Addr, Password: cfg.Password, DB: cfg.DB, Prefix: cfg.Prefix})
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if err := rb.Ping(ctx); err != nil {
			log.Warn("state back end does not answer yet", "driver", cfg.Driver, "addr", cfg.Addr, "on_error", cfg.OnError, "err", err)
		}
		cancel()
		b = rb
	}
	failures := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "switchyard_state_unavailable_total",
		Help: "Calls to the shared state back end (budgets) that failed because it did not answer, by operation; state.on_error decided what the request met.",
	}, []string{"op"})
	reg.MustRegister(failures)
	return &state.Policy{
		Backend: b,
		Deny:    cfg.OnError == config.OnErrorDeny,
		OnUnavailable: func(op string, err error) {
			failures.WithLabelValues(op).Inc()
			log.Warn("state back end unavailable", "op", op, "on_error", cfg.OnError, "err", err)
		},
	}, nil
}

// budgets builds the configured budgets on st, each alert also handed to
// onAlert (the notifier), even when there are none
// (a configuration applied later may add some: Budgets.Update). A
// reservation outlives a process that died by the request timeout plus a
// minute (or its request's later deadline plus a minute: a background
// response's). On Redis, requests are settled off their path (a round trip
// after each response would delay it); Router.Close waits for them.
func budgets(cfg *config.Config, st state.Backend, log *slog.Logger, reg prometheus.Registerer, onAlert func(budget.Alert)) *budget.Budgets {
	return budget.Open(cfg.Budgets, st, budget.Options{
		TTL: cfg.Server.RequestTimeout + time.Minute, Logger: log, Registerer: reg, Async: cfg.State.Driver == config.StateRedis,
		OnAlert: onAlert,
	})
}

// newTracker is the deployment health tracker every generation shares,
// reporting its transitions and exporting its windows on reg.
func newTracker(cfg *config.Config, opts RouterOptions, log *slog.Logger, reg *prometheus.Registry) *health.Tracker {
	reporter := health.NewReporter(log, reg)
	names := cfg.DeploymentNames()
	reporter.Init(names)
	tracker := health.NewTracker(gateway.HealthConfig(cfg.Resilience.Health), names, health.Options{Now: opts.Now, OnTransition: reporter.Transition})
	reg.MustRegister(health.NewWindowCollector(tracker))
	return tracker
}

// thinkingMemory builds the thinking memory of cfg.Thinking, shared
// through st when the state back end is Redis (then its counter
// switchyard_thinking_shared_total is registered with reg). The router
// closes it before st.
func thinkingMemory(cfg *config.Config, st state.Backend, log *slog.Logger, reg prometheus.Registerer) (*thinking.Memory, error) {
	opts := thinking.Options{MaxBytes: cfg.Thinking.MaxBytes, TTL: cfg.Thinking.TTL, LookupTimeout: cfg.Thinking.SharedLookupTimeout, Logger: log}
	if cfg.State.Driver == config.StateRedis {
		shared, err := thinkingStore(&cfg.Responses.Encryption, st)
		if err != nil {
			return nil, err
		}
		opts.Shared, opts.Registerer = shared, reg
	}
	return thinking.Open(opts)
}
