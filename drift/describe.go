package drift

import (
	"fmt"

	"switchyard/store"
)

// Describe says a test in words: "pass_rate[code] 0.90 → 0.62 (run,
// fisher_less p=0.0003 q=0.004)".
func Describe(t *store.DriftTest) string {
	name := t.Metric
	if t.Category != "" {
		name += "[" + string(t.Category) + "]"
	}
	var change string
	switch t.Metric {
	case MetricAnswerLength:
		unit := "chars"
		if t.Scope == ScopeLive {
			unit = "tokens" // the request log keeps answers' tokens
		}
		change = fmt.Sprintf("median %.0f → %.0f %s (%+.0f%%)", t.Baseline, t.Current, unit, 100*t.Effect)
	case MetricLatency:
		change = fmt.Sprintf("median %.0fms → %.0fms (%+.0f%%)", t.Baseline/1e6, t.Current/1e6, 100*t.Effect)
	default:
		change = fmt.Sprintf("%.2f → %.2f (n=%d, %d)", t.Baseline, t.Current, t.BaselineN, t.CurrentN)
	}
	return fmt.Sprintf("%s %s (%s, %s p=%.2g q=%.2g)", name, change, t.Scope, t.Test, t.P, t.Q)
}
