package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Drift is how a simulated model's answers have changed, as a provider's
// silent model update changes them: longer or shorter answers, more
// refusals, lower accuracy on some categories. Latency and errors are
// unchanged (those are Faults).
type Drift struct {
	// Model is the model that drifts; empty means every model without a
	// drift of its own.
	Model string `json:"model,omitempty"`
	// Verbosity multiplies the length of prose answers, in text and in
	// completion (and reasoning) tokens, by adding or dropping filler
	// sentences; the stated answer, JSON and tool calls are never cut.
	// Zero means 1 (unchanged); otherwise in [0.1, 10].
	Verbosity float64 `json:"verbosity,omitempty"`
	// RefusalRate in [0,1] is the probability that a model refuses a
	// request ("I'm sorry, but I can't help with that."), with the
	// provider's ordinary finish reason.
	RefusalRate float64 `json:"refusal_rate,omitempty"`
	// AccuracyDrop lowers the model's accuracy per knowledge category
	// (AnyCategory for every category without its own), each in [0,1];
	// the accuracy does not go below zero.
	AccuracyDrop map[string]float64 `json:"accuracy_drop,omitempty"`
}

// Check reports a field out of its range.
func (d *Drift) Check() error {
	switch {
	case d.Verbosity != 0 && !(d.Verbosity >= 0.1 && d.Verbosity <= 10):
		return fmt.Errorf("verbosity %v is not in [0.1, 10] (0 means unchanged)", d.Verbosity)
	case !unitInterval(d.RefusalRate):
		return fmt.Errorf("refusal_rate %v is not in [0,1]", d.RefusalRate)
	}
	for c, v := range d.AccuracyDrop {
		if c != AnyCategory && !validCategory(c) {
			return fmt.Errorf("accuracy_drop: category %q is not %q or 1-%d letters, digits, dots, dashes or underscores", c, AnyCategory, maxCategoryBytes)
		}
		if !unitInterval(v) {
			return fmt.Errorf("accuracy_drop[%s] %v is not in [0,1]", c, v)
		}
	}
	return nil
}

// factor returns the verbosity factor, defaulted.
func (d *Drift) factor() float64 {
	if d.Verbosity == 0 {
		return 1
	}
	return d.Verbosity
}

// drop returns the accuracy drop for category.
func (d *Drift) drop(category string) float64 {
	if v, ok := d.AccuracyDrop[category]; ok {
		return v
	}
	return d.AccuracyDrop[AnyCategory]
}

// changesAnswers reports whether d changes any answer.
func (d *Drift) changesAnswers() bool {
	return d.factor() != 1 || d.RefusalRate > 0 || len(d.AccuracyDrop) > 0
}

// checkAccuracies reports a category or accuracy out of its range in a
// category → accuracy map.
func checkAccuracies(acc map[string]float64) error {
	for c, v := range acc {
		if c != AnyCategory && !validCategory(c) {
			return fmt.Errorf("accuracy: category %q is not %q or 1-%d letters, digits, dots, dashes or underscores", c, AnyCategory, maxCategoryBytes)
		}
		if !unitInterval(v) {
			return fmt.Errorf("accuracy[%s] %v is not in [0,1]", c, v)
		}
	}
	return nil
}

func unitInterval(v float64) bool { return v >= 0 && v <= 1 && !math.IsNaN(v) }

// ParseDriftSpec decodes the compact form of a drift used on command
// lines: comma-separated key:value pairs, keys verbosity, refusal (or
// refusal_rate) and drop (or accuracy_drop) for every category or
// drop.CATEGORY for one, e.g. "verbosity:1.3,refusal:0.15,drop.code:0.2".
// The drift has no model; the result is checked.
func ParseDriftSpec(spec string) (Drift, error) {
	var d Drift
	for _, pair := range strings.Split(spec, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(pair), ":")
		if !ok {
			return Drift{}, fmt.Errorf("drift %q: %q is not key:value", spec, pair)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return Drift{}, fmt.Errorf("drift %q: %s: %q is not a number", spec, key, val)
		}
		key = strings.TrimSpace(key)
		name, category, _ := strings.Cut(key, ".")
		switch {
		case key == "verbosity":
			d.Verbosity = v
		case key == "refusal" || key == "refusal_rate":
			d.RefusalRate = v
		case name == "drop" || name == "accuracy_drop":
			if category == "" {
				category = AnyCategory
			}
			if d.AccuracyDrop == nil {
				d.AccuracyDrop = map[string]float64{}
			}
			d.AccuracyDrop[category] = v
		default:
			return Drift{}, fmt.Errorf("drift %q: unknown key %q (want verbosity, refusal, drop or drop.CATEGORY)", spec, key)
		}
	}
	if err := d.Check(); err != nil {
		return Drift{}, fmt.Errorf("drift %q: %w", spec, err)
	}
	return d, nil
}
