package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/config"
	"switchyard/learn/adaptive"
	"switchyard/record"
	"switchyard/state"
	"switchyard/store"
)

// This file wires the adaptive scorer's learner: it learns from the
// records of the adaptive routes and from the feedback on them, and the
// gateway reads its snapshots.

// newAdaptive returns the learner of cfg's adaptive routes and the record
// sink that feeds it; nil for both when no route has adaptive on. It
// restores the statistics from the shared state (state.driver redis) or
// the store. now is the learner's clock (nil: time.Now).
func newAdaptive(cfg *config.Config, st store.Store, shared state.Store, now func() time.Time, log *slog.Logger, reg prometheus.Registerer) (*adaptive.Learner, record.Sink) {
	halfLife := map[string]time.Duration{}
	for name, r := range cfg.Routes {
		if r.Adaptive.On() {
			halfLife[name] = r.Adaptive.HalfLife
		}
	}
	if len(halfLife) == 0 {
		return nil, nil
	}
	opts := adaptive.Options{HalfLife: halfLife, Now: now, Logger: log, Registerer: reg,
		RefusalWeight: cfg.Learn.Signals[config.SignalRefusal]}
	if st != nil {
		opts.Store = st
	}
	if cfg.State.Driver == config.StateRedis {
		opts.Shared = shared
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l := adaptive.New(ctx, opts)
	return l, record.SinkFunc(func(r *record.Record) { l.Served(servedOf(r)) })
}

// servedOf is what the learner needs of a record: its adaptive plan and
// the deployment that answered.
func servedOf(r *record.Record) adaptive.Served {
	if r.Plan == nil || r.Plan.Explanation.Adaptive.Arms == 0 || r.Endpoint != "chat" {
		return adaptive.Served{}
	}
	a := &r.Plan.Explanation.Adaptive
	answered := r.Status < 400 && !r.StreamFailed && r.Deployment != ""
	return adaptive.Served{
		RequestID: r.RequestID, Route: r.Plan.Route, Tenant: r.Tenant, Deployment: r.Deployment,
		Context: a.Context, Explored: a.Explored, Answered: answered, Refused: refusedOf(r, answered),
	}
}

// refusedOf lists the deployments of r's trail whose refusals were passed
// over; when the client got an answer, not the deployment that gave it
// (a refusal kept as the answer is credited as the answer).
func refusedOf(r *record.Record, answered bool) []string {
	var out []string
	for i := range r.Trail {
		a := &r.Trail[i]
		if a.Outcome == store.OutcomeRefused && !(answered && a.Deployment == r.Deployment) {
			out = append(out, a.Deployment)
		}
	}
	return out
}
