package sim

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseDriftSpec(t *testing.T) {
	tests := []struct {
		spec string
		want Drift
	}{
		{"verbosity:1.3,refusal:0.15", Drift{Verbosity: 1.3, RefusalRate: 0.15}},
		{" refusal_rate: 0.5 , drop:0.1, drop.code:0.2", Drift{RefusalRate: 0.5, AccuracyDrop: map[string]float64{"*": 0.1, "code": 0.2}}},
		{"accuracy_drop.reasoning:0.15", Drift{AccuracyDrop: map[string]float64{"reasoning": 0.15}}},
	}
	for _, tt := range tests {
		if got, err := ParseDriftSpec(tt.spec); err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseDriftSpec(%q) = %+v, %v; want %+v", tt.spec, got, err, tt.want)
		}
	}
	for _, bad := range []struct{ spec, want string }{
		{"verbosity=1.3", "not key:value"},
		{"verbosity:big", "not a number"},
		{"loudness:2", "unknown key"},
		{"verbosity:30", "verbosity 30 is not in"},
		{"drop.a b:0.1", "category"},
		{"", "not key:value"},
	} {
		if _, err := ParseDriftSpec(bad.spec); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ParseDriftSpec(%q): err %v, want %q in it", bad.spec, err, bad.want)
		}
	}
}

// FuzzParseDriftSpec: any string is a checked drift or an error.
func FuzzParseDriftSpec(f *testing.F) {
	f.Add("verbosity:1.3,refusal:0.15,drop.code:0.2")
	f.Add("drop:NaN")
	f.Add("refusal:1e-400,verbosity:+Inf")
	f.Fuzz(func(t *testing.T, spec string) {
		d, err := ParseDriftSpec(spec)
		if err != nil {
			return
		}
		if err := d.Check(); err != nil {
			t.Fatalf("ParseDriftSpec(%q) = %+v, which fails Check: %v", spec, d, err)
		}
	})
}
