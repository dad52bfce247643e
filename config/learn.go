package config

import (
	"fmt"
	"math"
	"time"
)

// This file holds the learn section: how feedback is inferred from the
// traffic (the implicit signals' windows and weights) and the default
// weight of cost in the cost-quality scores. See docs/feedback.md.

// Defaults of the learn section.
const (
	DefaultRetryWindow        = 2 * time.Minute
	DefaultContinuationWindow = 30 * time.Minute
	DefaultLearnLambda        = 10.0
)

// The implicit signals, the keys of learn.signals.
const (
	SignalRetry        = "retry"
	SignalRegenerate   = "regenerate"
	SignalAbandoned    = "abandoned"
	SignalContinued    = "continued"
	SignalFormatFailed = "format_failed"
	SignalRefusal      = "refusal"
)

// Signals lists the implicit signals in the order the docs give them.
var Signals = []string{SignalRetry, SignalRegenerate, SignalAbandoned, SignalContinued, SignalFormatFailed, SignalRefusal}

// DefaultSignalWeights are the weights of the signals learn.signals does
// not set.
var DefaultSignalWeights = map[string]float64{
	SignalRetry: -1, SignalRegenerate: -1, SignalAbandoned: -0.5,
	SignalContinued: 0.3, SignalFormatFailed: -1, SignalRefusal: -0.5,
}

// Learn configures feedback.
type Learn struct {
	// RetryWindow is how soon after an answer the same question from the
	// same end user counts as a retry or regeneration of it; zero means
	// DefaultRetryWindow.
	RetryWindow time.Duration
	// ContinuationWindow is how soon the next turn of a conversation must
	// follow an answer to count as continuing it; zero means
	// DefaultContinuationWindow.
	ContinuationWindow time.Duration
	// Signals maps each implicit signal (Signals) to its weight, from -1
	// to 1; 0 turns it off. Validate fills in DefaultSignalWeights for
	// the signals not set.
	Signals map[string]float64
	// Lambda is the default weight of cost in the scores of
	// GET /admin/scores (quality points per US dollar per request); nil
	// means DefaultLearnLambda.
	Lambda *float64
}

// LambdaOr returns Lambda, or DefaultLearnLambda when it is nil.
func (l *Learn) LambdaOr() float64 {
	if l.Lambda == nil {
		return DefaultLearnLambda
	}
	return *l.Lambda
}

func (d *decoder) learn(e entry, l *Learn) {
	d.object(e.node, e.path, []field{
		{"retry_window", func(e entry) { d.duration(e, &l.RetryWindow, true) }},
		{"continuation_window", func(e entry) { d.duration(e, &l.ContinuationWindow, true) }},
		{"signals", func(e entry) { l.Signals = d.signals(e) }},
		{"lambda", func(e entry) {
			var v float64
			d.number(e, &v, "quality points per US dollar per request, e.g. 10")
			l.Lambda = &v
		}},
	})
}

// signals decodes learn.signals, a mapping of signal names to weights.
func (d *decoder) signals(e entry) map[string]float64 {
	entries, ok := d.mapping(e.node, e.path)
	if !ok {
		return nil
	}
	out := make(map[string]float64, len(entries))
	for _, el := range entries {
		var w float64
		d.number(el, &w, "a weight from -1 to 1, e.g. -0.5; 0 turns the signal off")
		out[el.key] = w
	}
	return out
}

func (l *Learn) applyDefaults() {
	if l.RetryWindow == 0 {
		l.RetryWindow = DefaultRetryWindow
	}
	if l.ContinuationWindow == 0 {
		l.ContinuationWindow = DefaultContinuationWindow
	}
	if l.Signals == nil {
		l.Signals = make(map[string]float64, len(Signals))
	}
	for _, s := range Signals {
		if _, ok := l.Signals[s]; !ok {
			l.Signals[s] = DefaultSignalWeights[s]
		}
	}
}

func (v *validator) learn() {
	const path = "learn"
	l := &v.c.Learn
	l.applyDefaults()
	v.positive(path+".retry_window", l.RetryWindow, `e.g. "2m"`)
	v.positive(path+".continuation_window", l.ContinuationWindow, `e.g. "30m"`)
	for _, name := range sortedKeys(l.Signals) {
		w := l.Signals[name]
		at := path + ".signals." + name
		switch {
		case !isSignal(name):
			v.add(at, fmt.Sprintf("unknown signal %q", name), choices(name, "signals", Signals))
		case math.IsNaN(w) || w < -1 || w > 1:
			v.add(at, fmt.Sprintf("weight %g is out of range", w), "a weight from -1 to 1; 0 turns the signal off")
		}
	}
	if lam := l.LambdaOr(); math.IsNaN(lam) || lam < 0 {
		v.add(path+".lambda", fmt.Sprintf("must be >= 0, got %g", lam), "quality points per US dollar per request, e.g. 10")
	}
}

func isSignal(name string) bool {
	_, ok := DefaultSignalWeights[name]
	return ok
}
