package train

import (
	"maps"
	"slices"
	"strings"

	"switchyard/classify/internal/feature"
)

// UnseenRate is, for one source group and one outcome (right or wrong),
// how many of its held-out prompts' words no other source used.
type UnseenRate struct {
	Group string
	Right bool
	// Prompts is the number of prompts; Words their words read (see
	// feature.Extractor.Words), Unseen those no other group's examples
	// use, InTable those of the unseen ones in the word cluster table.
	Prompts, Words, Unseen, InTable int
}

// UnseenRates measures whether the mistakes on held-out sources come with
// words the training data never used: for every prediction made with its
// whole group held out (fold "without …"), the share of its words that no
// example of another group uses, for right and wrong predictions apart.
// clusters may be nil.
func UnseenRates(preds []Prediction, examples []Example, clusters *WordClusters) []UnseenRate {
	x := new(feature.Extractor)
	words := func(text string) []uint32 {
		x.Reset(10, nil)
		x.Run(&feature.Input{Main: text})
		return x.Words()
	}
	groupsOf := map[uint32]map[string]bool{}
	for i := range examples {
		g := SourceGroup(examples[i].Source)
		for _, k := range words(examples[i].Text) {
			if groupsOf[k] == nil {
				groupsOf[k] = map[string]bool{}
			}
			groupsOf[k][g] = true
		}
	}
	table := map[uint32]bool{}
	if clusters != nil {
		keys, _ := clusters.table()
		for _, k := range keys {
			table[k] = true
		}
	}
	type key struct {
		group string
		right bool
	}
	rates := map[key]*UnseenRate{}
	for i := range preds {
		p := &preds[i]
		g := SourceGroup(p.Example.Source)
		if !strings.HasPrefix(p.Fold, "without ") {
			continue
		}
		k := key{g, p.Predicted() == p.Label}
		r := rates[k]
		if r == nil {
			r = &UnseenRate{Group: g, Right: k.right}
			rates[k] = r
		}
		r.Prompts++
		for _, w := range words(p.Example.Text) {
			r.Words++
			if gs := groupsOf[w]; len(gs) == 0 || len(gs) == 1 && gs[g] {
				r.Unseen++
				if table[w] {
					r.InTable++
				}
			}
		}
	}
	out := make([]UnseenRate, 0, len(rates))
	for _, k := range slices.SortedFunc(maps.Keys(rates), func(a, b key) int {
		if c := strings.Compare(a.group, b.group); c != 0 {
			return c
		}
		return b2i(a.right) - b2i(b.right)
	}) {
		out = append(out, *rates[k])
	}
	return out
}
