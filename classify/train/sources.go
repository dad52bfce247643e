package train

import (
	"slices"
	"strings"
)

// Source groups: a group is what cross-validation holds out at once (one
// public dataset, or all of the written examples). Sources that are not
// listed form a group of their own, named by the source's first word.
var sourceGroups = []struct{ prefix, group string }{
	{"written-here:", WrittenGroup},
	{"natural-instructions/", "natural-instructions"},
	{"databricks-dolly", "dolly"},
	{"nq-open", "nq"},
	{"gsm8k", "gsm8k"},
	{"arena-hard", "arena"},
	{"humaneval", "humaneval"},
	{"mbpp", "mbpp"},
	{"clinc150", "clinc"},
	{"mmlu ", "mmlu"},
	{"cmmlu ", "cmmlu"},
	{"arc-", "arc"},
}

// WrittenGroup is the group of the examples written for this project
// (sources "written-here:…"): trained on, never evaluated.
const WrittenGroup = "written"

// SourceGroup returns the group of a source: the public dataset it comes
// from, or WrittenGroup.
func SourceGroup(source string) string {
	for _, g := range sourceGroups {
		if strings.HasPrefix(source, g.prefix) {
			return g.group
		}
	}
	if i := strings.IndexByte(source, ' '); i > 0 {
		return source[:i]
	}
	return source
}

// IsWritten reports whether an example was written for this project rather
// than taken from a public dataset of real prompts.
func IsWritten(e *Example) bool { return strings.HasPrefix(e.Source, "written-here:") }

// weightUnit is what the trainer balances within a class: a public
// dataset's own task label (Dolly's brainstorming and creative_writing
// weigh apart), or a written generator.
func weightUnit(e *Example) string {
	if IsWritten(e) {
		return e.Source
	}
	return SourceGroup(e.Source) + "/" + e.OrigLabel
}

// WithoutGroups returns the examples whose source group is not one of
// groups.
func WithoutGroups(examples []Example, groups []string) []Example {
	var out []Example
	for _, e := range examples {
		if !slices.Contains(groups, SourceGroup(e.Source)) {
			out = append(out, e)
		}
	}
	return out
}
