package llm

import (
	"cmp"
	"slices"
)

// EffortRank is the place of e on OpenAI's scale, none 0 to max 6; -1
// for "" or a level not on it. It allocates nothing.
func EffortRank(e Effort) int {
	switch e {
	case EffortNone:
		return 0
	case EffortMinimal:
		return 1
	case EffortLow:
		return 2
	case EffortMedium:
		return 3
	case EffortHigh:
		return 4
	case EffortXHigh:
		return 5
	case EffortMax:
		return 6
	}
	return -1
}

// SortedEfforts returns a copy of levels weakest first (EffortRank), as
// a deployment's ReasoningEfforts holds them; nil for none.
func SortedEfforts(levels []Effort) []Effort {
	if len(levels) == 0 {
		return nil
	}
	out := slices.Clone(levels)
	slices.SortStableFunc(out, func(a, b Effort) int { return cmp.Compare(EffortRank(a), EffortRank(b)) })
	return out
}
