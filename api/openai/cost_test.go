package openai

import "testing"

func TestFormatUSD(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{0.000013199999999999999, "0.0000132"},
		{12*0.15/1e6 + 19*0.6/1e6, "0.0000132"},
		{1.5, "1.5"},
		{0.1 + 0.2, "0.3"},
		{2.5e-13, "0"},
	} {
		if got := formatUSD(tt.v); got != tt.want {
			t.Errorf("formatUSD(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
