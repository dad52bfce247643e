package bench

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	us := time.Microsecond
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * us
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", []time.Duration{7 * us}, 0.99, 7 * us},
		{"p50 of 100", hundred, 0.50, 50 * us},
		{"p90 of 100", hundred, 0.90, 90 * us},
		{"p99 of 100", hundred, 0.99, 99 * us},
		{"p100 of 100", hundred, 1, 100 * us},
		{"p50 of 4", []time.Duration{1, 2, 3, 4}, 0.5, 2},
		{"p99 of 4", []time.Duration{1, 2, 3, 4}, 0.99, 4},
		{"tiny q", []time.Duration{1, 2, 3}, 0.0001, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Quantile(tt.sorted, tt.q); got != tt.want {
				t.Errorf("Quantile(q=%v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	samples := make([]time.Duration, 1000)
	for i := range samples {
		samples[i] = time.Duration(i + 1)
	}
	rand.Shuffle(len(samples), func(i, j int) { samples[i], samples[j] = samples[j], samples[i] })
	got := Summarize(samples)
	want := Quantiles{N: 1000, P50: 500, P90: 900, P99: 990, Max: 1000}
	if got != want {
		t.Errorf("Summarize = %+v, want %+v", got, want)
	}
	if (Summarize(nil) != Quantiles{}) {
		t.Error("Summarize(nil) is not zero")
	}
	added := Quantiles{P50: 300, P90: 500, P99: 900, Max: 1000}.Sub(Quantiles{N: 9, P50: 200, P90: 400, P99: 1000, Max: 1000})
	if (added != Quantiles{P50: 100, P90: 100, P99: -100, Max: 0}) {
		t.Errorf("Sub = %+v", added)
	}
}

func TestQuantilesJSON(t *testing.T) {
	b, err := json.Marshal(Quantiles{N: 3, P50: 1500 * time.Nanosecond, P90: 2 * time.Microsecond, P99: 12345 * time.Nanosecond, Max: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"n":3,"p50_us":1.5,"p90_us":2,"p99_us":12.35,"max_us":1000}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d      time.Duration
		signed bool
		want   string
	}{
		{123456 * time.Nanosecond, false, "123µs"},
		{-80 * time.Microsecond, true, "-80µs"},
		{80 * time.Microsecond, true, "+80µs"},
		{12345 * time.Microsecond, false, "12.35ms"},
	}
	for _, tt := range tests {
		if got := formatDuration(tt.d, tt.signed); got != tt.want {
			t.Errorf("formatDuration(%v, %v) = %q, want %q", tt.d, tt.signed, got, tt.want)
		}
	}
}
