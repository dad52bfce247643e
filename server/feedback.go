package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/learn"
	"switchyard/learn/adaptive"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/store"
)

// This file serves POST /v1/feedback and feeds the learner the records
// of the requests it judges.

// Error codes of POST /v1/feedback.
const (
	codeFeedbackOff         = "feedback_off"
	codeRequestNotFound     = "request_not_found"
	codeRequestInProgress   = "request_in_progress"
	codeFeedbackUnavailable = "feedback_unavailable"
)

// maxSettle bounds how long a rating waits for the request it names to
// finish (a stream still sending its last events).
const maxSettle = 10 * time.Second

// feedback answers POST /v1/feedback: a rating of one of the caller's
// tenant's requests, stored before the 204 is sent.
func (s *Server) feedback(w http.ResponseWriter, r *http.Request) {
	if s.opts.Feedback == nil {
		e := llm.Errorf(llm.KindNotFound, "Feedback is off: it is kept in the request store, and store.driver is none. Set store.driver to sqlite or postgres.")
		e.Code = codeFeedbackOff
		apiopenai.WriteError(w, e)
		return
	}
	body, err := readSmallBody(r, learn.MaxRatingBytes)
	if err != nil {
		apiopenai.WriteError(w, err)
		return
	}
	rating, err := learn.DecodeRating(body)
	if err != nil {
		apiopenai.WriteError(w, err)
		return
	}
	err = s.opts.Feedback.Rate(r.Context(), gateway.CallerFrom(r.Context()).Tenant, rating)
	var e *llm.Error
	switch {
	case err == nil:
		w.WriteHeader(http.StatusNoContent)
	case errors.Is(err, learn.ErrUnknownRequest):
		// The same answer whether the id is unknown or another tenant's.
		e = llm.Errorf(llm.KindNotFound, "No request %q of yours to rate: check the x-switchyard-request-id of the answer (a request is kept as long as store.retention says).", llm.Clip(rating.RequestID))
		e.Code, e.Param = codeRequestNotFound, "request_id"
		apiopenai.WriteError(w, e)
	case errors.As(err, &e):
		apiopenai.WriteError(w, e)
	case r.Context().Err() != nil:
		// The client left, or the request's deadline passed.
		apiopenai.WriteError(w, llm.Wrap(llm.KindTimeout, err, "The rating was not stored before the request ended; send it again."))
	default:
		s.log.ErrorContext(r.Context(), "feedback: storing a rating failed", "err", err)
		e = llm.Errorf(llm.KindUnavailable, "The rating could not be stored; the router's log says why. Send it again later.")
		e.Code = codeFeedbackUnavailable
		apiopenai.WriteError(w, e)
	}
}

// settle waits until request id, if it is being served, has ended and
// its record has been consumed by every sink (the learner's included).
// A request still running after maxSettle is a 422; one of another
// tenant is unknown at once, as if it did not exist.
func (s *Server) settle(ctx context.Context, id string) error {
	if t, ok := s.live.owner(id); ok && t != gateway.CallerFrom(ctx).Tenant {
		return learn.ErrUnknownRequest
	}
	wctx, cancel := context.WithTimeout(ctx, maxSettle)
	defer cancel()
	if err := s.live.wait(wctx, id); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		e := llm.Errorf(llm.KindUnprocessable, "Request %q is still being answered; rate it once its answer is complete.", llm.Clip(id))
		e.Code, e.Param = codeRequestInProgress, "request_id"
		return e
	}
	if s.opts.Recorder == nil {
		return nil
	}
	return s.opts.Recorder.Sync(wctx)
}

// newLearner returns the learner of cfg's learn section writing to st,
// and the record sink that feeds it; nil for both without a store.
func newLearner(cfg *config.Config, st store.Store, settle func(context.Context, string) error, tuner *adaptive.Learner, log *slog.Logger, reg prometheus.Registerer) (*learn.Learner, record.Sink) {
	if st == nil {
		return nil, nil
	}
	sig := cfg.Learn.Signals
	w := learn.Weights{
		Retry: sig[config.SignalRetry], Regenerate: sig[config.SignalRegenerate], Abandoned: sig[config.SignalAbandoned],
		Continued: sig[config.SignalContinued], FormatFailed: sig[config.SignalFormatFailed], Refusal: sig[config.SignalRefusal],
	}
	opts := learn.Options{
		Store: st, Weights: &w, RetryWindow: cfg.Learn.RetryWindow, ContinuationWindow: cfg.Learn.ContinuationWindow,
		Settle: settle, StoreTimeout: cfg.Store.Timeout,
		Logger: log, Registerer: reg,
	}
	if tuner != nil {
		opts.OnFeedback = tuner.Feedback
	}
	l := learn.New(opts)
	return l, record.SinkFunc(func(r *record.Record) { l.Observe(observation(r)) })
}

// observation is what the learner needs of a record.
func observation(r *record.Record) *learn.Observation {
	o := &learn.Observation{
		RequestID: r.RequestID, Tenant: r.Tenant, Endpoint: r.Endpoint, Start: r.Start, Latency: r.Latency,
		Status: r.Status, StreamFailed: r.StreamFailed, ClientLeft: r.ErrorKind == llm.KindCanceled, Stream: r.Stream,
		Session: r.Session, Answer: r.Answer, CostUSD: r.CostUSD, Signals: r.Signals,
	}
	if r.Request != nil {
		o.User, o.Messages = r.Request.User, r.Request.Messages
	}
	return o
}
