package route

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"switchyard/config"
	"switchyard/llm"
)

// SemanticOutcome is what matching a request against a route's semantic
// categories gave.
type SemanticOutcome string

// The semantic outcomes.
const (
	// SemanticMatched: a category's similarity reached the threshold.
	SemanticMatched SemanticOutcome = "matched"
	// SemanticNoMatch: no category's similarity reached the threshold.
	SemanticNoMatch SemanticOutcome = "no_match"
	// SemanticSkipped: the request was not matched (Reason says why), so
	// the classifier decided.
	SemanticSkipped SemanticOutcome = "skipped"
)

// The reasons matching is skipped.
const (
	SemanticNotReady = "not_ready" // the examples are not embedded yet
	SemanticTimeout  = "timeout"   // embedding the request took longer than the route's timeout
	SemanticError    = "error"     // embedding the request failed
	SemanticHint     = "hint"      // the x-switchyard-category header decides
	SemanticNoText   = "no_text"   // the last user message has no text
	// SemanticResidency: the request requires US-only inference and the
	// route's embeddings deployment is not configured inference_geo: us,
	// so the request's text is not sent to it.
	SemanticResidency = "inference_geo"
)

// Semantic is the result of matching the request's text against the
// semantic categories of the route it asked for (the gateway does it,
// before Plan, with the semantic package). The zero value means the
// route has none, or nothing was tried.
type Semantic struct {
	Outcome SemanticOutcome `json:"outcome"`
	// Category is the matched category, or for no_match the nearest one.
	Category string `json:"category,omitempty"`
	// Score is Category's cosine similarity; Threshold the route's.
	Score     float64 `json:"score,omitempty"`
	Threshold float64 `json:"threshold,omitempty"`
	// Reason says why matching was skipped (SemanticNotReady, …);
	// Detail adds the error in words, if any.
	Reason string `json:"reason,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Cached reports that the request's embedding came from the cache.
	Cached bool `json:"cached,omitempty"`
}

// semanticCat is a compiled semantic category of a route.
type semanticCat struct {
	name string
	// cat is the built-in category a match sets; "" keeps the classifier's.
	cat llm.Category
	// ps is the policy over the category's own acceptable set; nil means
	// the policy cat (or the classifier's category) selects.
	ps *policySet
}

// compileSemantic resolves the route's semantic categories; it runs after
// the category policies are compiled, which they inherit from.
func (p *Policy) compileSemantic(cr *compiledRoute, s *config.Semantic) {
	if s == nil {
		return
	}
	for _, name := range sortedNames(s.Categories) {
		sc := s.Categories[name]
		if sc == nil {
			continue
		}
		c := semanticCat{name: name, cat: sc.Category}
		if sc.Deployments != nil {
			parent := cr.def
			if i := catIndex(sc.Category); i >= 0 && cr.cats[i] != nil {
				parent = cr.cats[i]
			}
			c.ps = p.compilePolicy("semantic."+name, p.indexes(sc.Deployments), &config.Policy{}, parent)
		}
		cr.semantic = append(cr.semantic, c)
	}
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// semanticMatch returns the route's semantic category the input matched,
// or nil: none matched, the route has none of that name, or a category
// hint overrides it.
func (d *decision) semanticMatch() *semanticCat {
	s := &d.in.Semantic
	if d.r == nil || s.Outcome != SemanticMatched || d.in.Overrides.Category != "" {
		return nil
	}
	for i := range d.r.semantic {
		if d.r.semantic[i].name == s.Category {
			return &d.r.semantic[i]
		}
	}
	return nil
}

// resolveHint finds the semantic category x-switchyard-category names
// when it names no built-in category; naming neither is a 400.
func (d *decision) resolveHint() error {
	c := string(d.in.Overrides.Category)
	if c == "" || llm.Category(c).Valid() {
		return nil
	}
	var names []string
	if d.r != nil {
		for i := range d.r.semantic {
			if strings.EqualFold(d.r.semantic[i].name, c) {
				d.hint = &d.r.semantic[i]
				return nil
			}
			names = append(names, d.r.semantic[i].name)
		}
	}
	want := "one of " + categoryList()
	if len(names) > 0 {
		want += ", or one of route " + d.r.name + "'s semantic categories: " + strings.Join(names, ", ")
	}
	return badHeader(HeaderCategory, c, want)
}

// noteSemantic copies the semantic result into the explanation when the
// route has semantic categories.
func (d *decision) noteSemantic() {
	if d.r == nil || len(d.r.semantic) == 0 || d.in.Semantic.Outcome == "" {
		return
	}
	s := d.in.Semantic
	d.plan.Explanation.Semantic = &s
}

// appendSemantic appends the header's compact form of s:
// "billing(0.91)", "none(0.62)" or "skipped(timeout)".
func appendSemantic(b []byte, s *Semantic) []byte {
	switch s.Outcome {
	case SemanticMatched:
		b = append(b, s.Category...)
	case SemanticNoMatch:
		b = append(b, "none"...)
	default:
		b = append(b, "skipped("...)
		b = append(b, s.Reason...)
		return append(b, ')')
	}
	b = append(b, '(')
	b = strconv.AppendFloat(b, shownScore(s), 'f', 2, 64)
	return append(b, ')')
}

// shownScore is the score to print with two decimals: a score that did not
// match is rounded down, so 0.7496 under a threshold of 0.75 never reads
// as 0.75.
func shownScore(s *Semantic) float64 {
	if s.Outcome == SemanticNoMatch {
		return math.Floor(s.Score*100) / 100
	}
	return s.Score
}

// semanticLine says in words what matching gave, for WriteText.
func semanticLine(s *Semantic) string {
	cached := ""
	if s.Cached {
		cached = ", embedding cached"
	}
	switch s.Outcome {
	case SemanticMatched:
		return fmt.Sprintf("matched %s at %.2f (threshold %.2f%s)", s.Category, s.Score, s.Threshold, cached)
	case SemanticNoMatch:
		if s.Category == "" {
			return fmt.Sprintf("no match (threshold %.2f%s)", s.Threshold, cached)
		}
		return fmt.Sprintf("no match (best %s at %.2f < %.2f%s): the classifier decides", s.Category, shownScore(s), s.Threshold, cached)
	}
	why := map[string]string{
		SemanticNotReady: "the examples are not embedded yet",
		SemanticTimeout:  "embedding the request took longer than the route's timeout",
		SemanticError:    "embedding the request failed",
		SemanticHint:     "the " + HeaderCategory + " header decides",
		SemanticNoText:   "the last user message has no text",
		SemanticResidency: "the request requires US-only inference (inference_geo us), and the route's embeddings deployment " +
			"is not configured inference_geo: us, so its text is not sent there",
	}[s.Reason]
	if why == "" {
		why = s.Reason
	}
	if s.Detail != "" {
		why += ": " + s.Detail
	}
	if s.Reason == SemanticHint {
		return "skipped (" + why + ")"
	}
	return "skipped (" + why + "): the classifier decides"
}
