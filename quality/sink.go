package quality

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/llm"
	"switchyard/record"
	"switchyard/store"
)

// SinkOptions configure NewSink. The zero value is usable.
type SinkOptions struct {
	// Registerer receives the quality metrics; nil means they are not
	// exported.
	Registerer prometheus.Registerer
	// Routes and Deployments are the configured names. A record's route or
	// deployment outside them is labeled "other" (so label values stay
	// bounded whatever reaches the sink); nil means every value is used as
	// it is. An empty route, deployment or category is labeled "none"; a
	// category that is not one of llm.Categories, "other".
	Routes, Deployments []string
	// Checker computes the signals; nil means one of the sink's own.
	Checker *Checker
	// Lengths tracks usual answer lengths; nil means one of the sink's own.
	Lengths *Lengths
}

// Sink is the record sink that sets each chat record's Signals: for a
// record with an Answer (what the client got) or that failed, it runs
// Check on the record's Request, Answer and error (kind and code), sets
// LengthRatio (for a request that did not fail) from the deployment's usual
// length for the category, notes normal answers in Lengths, and counts the signals in Prometheus. Other records (other
// endpoints, or a chat that succeeded without a kept answer) are left
// alone, Signals nil. The router runs it first among the sinks, so that
// the others see the signals. Like every sink it runs on the recorder's
// goroutine; it is also safe for concurrent use.
type Sink struct {
	checker *Checker
	lengths *Lengths
	m       *sinkMetrics // nil: not exported
	names   atomic.Pointer[labelSets]
}

// labelSets are the configured names records are labeled by.
type labelSets struct{ routes, deps labelSet }

var _ record.Sink = (*Sink)(nil)

// NewSink returns a Sink; it registers the quality metrics with
// opts.Registerer, and panics if they are registered there already (as
// prometheus.MustRegister does).
func NewSink(opts SinkOptions) *Sink {
	s := &Sink{checker: opts.Checker, lengths: opts.Lengths}
	s.SetNames(opts.Routes, opts.Deployments)
	if s.checker == nil {
		s.checker = &Checker{}
	}
	if s.lengths == nil {
		s.lengths = &Lengths{}
	}
	if opts.Registerer != nil {
		s.m = newSinkMetrics(opts.Registerer)
	}
	return s
}

// SetNames replaces the configured route and deployment names (as
// SinkOptions.Routes and Deployments), for a configuration applied while
// the router runs: records consumed from then on are labeled by them. It
// is safe for concurrent use.
func (s *Sink) SetNames(routes, deployments []string) {
	s.names.Store(&labelSets{routes: newLabelSet(routes), deps: newLabelSet(deployments)})
}

// Lengths returns the tracker of usual answer lengths the sink feeds.
func (s *Sink) Lengths() *Lengths { return s.lengths }

// Consume implements record.Sink.
func (s *Sink) Consume(r *record.Record) {
	if r.Endpoint != "chat" {
		return
	}
	failed := r.Status >= 400 || r.StreamFailed || r.ErrorKind != ""
	if r.Answer == nil && !failed {
		return
	}
	var fail *llm.Error
	if failed {
		fail = &llm.Error{Kind: r.ErrorKind, Code: r.ErrorCode}
	}
	sig := s.checker.Check(r.Request, r.Answer, fail)
	if !failed {
		sig.LengthRatio = s.lengths.Ratio(r.Deployment, r.Category, sig.AnswerChars)
		if usualAnswer(&sig, r.Answer) && r.Deployment != "" {
			s.lengths.Observe(r.Deployment, r.Category, sig.AnswerChars)
		}
	}
	r.Signals = &sig
	if s.m != nil {
		names := s.names.Load()
		s.m.count(names.routes.label(r.Route), categoryLabel(r.Category), names.deps.label(r.Deployment), &sig)
	}
}

// usualAnswer reports whether an answer shows the deployment's usual
// length: text that ended normally, no tool call, no refusal.
func usualAnswer(sig *store.Signals, ans *llm.Response) bool {
	if sig.AnswerChars == 0 || sig.Refusal || sig.Truncated || sig.ContentFilter || sig.Empty {
		return false
	}
	return len(ans.Choices) > 0 && len(ans.Choices[0].Message.ToolCalls()) == 0
}

// labelSet maps values to bounded label values.
type labelSet map[string]bool

func newLabelSet(names []string) labelSet {
	if names == nil {
		return nil
	}
	s := make(labelSet, len(names))
	for _, n := range names {
		s[n] = true
	}
	return s
}

// label returns v, "none" for "", or "other" for a value outside a
// non-nil set.
func (s labelSet) label(v string) string {
	switch {
	case v == "":
		return "none"
	case s != nil && !s[v]:
		return "other"
	}
	return v
}

func categoryLabel(c llm.Category) string {
	switch {
	case c == "":
		return "none"
	case !c.Valid():
		return "other"
	}
	return string(c)
}
