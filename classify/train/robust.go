package train

import (
	"strings"

	"switchyard/classify"
)

// Robustness is how often a model changes its mind when only the spelling
// or the casing of a prompt changes.
type Robustness struct {
	// N is the number of prompts tried.
	N int
	// Lower, Upper and Typos are the shares of prompts whose category
	// changes when the prompt is lowercased, uppercased, or given one or
	// two swapped letters in its first line.
	Lower, Upper, Typos float64
}

// MeasureRobustness classifies every example as is and perturbed.
func MeasureRobustness(c *classify.Classifier, examples []Example) Robustness {
	var r Robustness
	var lower, upper, typos int
	cat := func(text string) string { return string(c.ClassifyText(text).Category) }
	for _, e := range examples {
		base := cat(e.Text)
		r.N++
		if cat(strings.ToLower(e.Text)) != base {
			lower++
		}
		if cat(strings.ToUpper(e.Text)) != base {
			upper++
		}
		// 3<<10 selects perturb's "no case change" branch: spelling only.
		if cat(perturb(e.Text, textHash(e.Text)&^(3<<10)|3<<10)) != base {
			typos++
		}
	}
	if r.N > 0 {
		r.Lower, r.Upper, r.Typos = float64(lower)/float64(r.N), float64(upper)/float64(r.N), float64(typos)/float64(r.N)
	}
	return r
}
