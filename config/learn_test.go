package config

import (
	"maps"
	"testing"
	"time"
)

func TestLearn(t *testing.T) {
	defaults := maps.Clone(DefaultSignalWeights)
	tuned := maps.Clone(DefaultSignalWeights)
	tuned[SignalRetry], tuned[SignalContinued] = -0.8, 0
	tests := []struct {
		name, yaml  string
		retry, cont time.Duration
		signals     map[string]float64
		lambda      float64
	}{
		{"defaults", "", DefaultRetryWindow, DefaultContinuationWindow, defaults, DefaultLearnLambda},
		{"every field", "learn:\n  retry_window: 90s\n  continuation_window: 1h\n  signals: {retry: -0.8, continued: 0}\n  lambda: 0\n",
			90 * time.Second, time.Hour, tuned, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, []byte(stateBase+tt.yaml), nil)
			l := c.Learn
			if l.RetryWindow != tt.retry || l.ContinuationWindow != tt.cont || !maps.Equal(l.Signals, tt.signals) || l.LambdaOr() != tt.lambda {
				t.Errorf("Learn = %+v (λ %v), want windows %v %v, signals %v, λ %v", l, l.LambdaOr(), tt.retry, tt.cont, tt.signals, tt.lambda)
			}
		})
	}
}

func TestLearnMistakes(t *testing.T) {
	tests := []struct {
		name, yaml    string
		path, problem string
	}{
		{"unknown signal", "learn: {signals: {retyr: -1}}\n", "learn.signals.retyr", `unknown signal "retyr"`},
		{"weight out of range", "learn: {signals: {refusal: -2}}\n", "learn.signals.refusal", "weight -2 is out of range"},
		{"weight not a number", "learn: {signals: {refusal: bad}}\n", "learn.signals.refusal", "must be a number"},
		{"zero window", "learn: {retry_window: 0s}\n", "learn.retry_window", "must be > 0"},
		{"negative lambda", "learn: {lambda: -1}\n", "learn.lambda", "must be >= 0"},
		{"unknown field", "learn: {window: 1m}\n", "learn", `unknown field "window"`},
		{"signals not a mapping", "learn: {signals: [retry]}\n", "learn.signals", "must be a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(stateBase+tt.yaml), nil)
			findError(t, err, tt.path, tt.problem)
		})
	}
}
