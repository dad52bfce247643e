package cost

import "testing"

func TestUSD(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "$0"},
		{4e-8, "$0.00000004"},
		{1.234e-7, "$0.00000012"},
		{9.99e-7, "$0.000001"},
		{0.000123456, "$0.000123"},
		{0.01, "$0.01"},
		{0.5, "$0.50"},
		{0.8758804, "$0.87588"},
		{12.345, "$12.35"},
		{-0.00012, "-$0.00012"},
		{-3e-9, "-$0.000000003"},
	} {
		if got := USD(c.v); got != c.want {
			t.Errorf("USD(%g) = %q, want %q", c.v, got, c.want)
		}
	}
}
