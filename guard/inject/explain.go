package inject

import (
	"fmt"
	"sort"
	"strings"
)

// Explain scores text as ScanText does and says why: the hand-written
// features of the deciding window with their log-odds, and the words whose
// learned weights (word, pair and class buckets) added or took the most.
// For people (switchyard guard scan --explain), not for the hot path.
func (s *Scanner) Explain(text string) string {
	sc := getScratch()
	defer putScratch(sc)
	head, _ := bounded(text, MaxMessageBytes)
	v := s.segment(sc, head, chPrompt)
	var vals [numFeatures]float32
	sc.segmentValues(head, chPrompt, &vals)
	bestA, bestB, best := 0, 0, float32(-1e30)
	sc.eachWindow(func(a, b int) {
		var x [numFeatures]float32
		sc.windowCounts(a, b, &vals, &x)
		z := s.m.bias[chPrompt] + sc.contrib[b] - sc.contrib[a]
		for f := range x {
			z += s.m.dense[chPrompt][f] * x[f]
		}
		if z > best {
			bestA, bestB, best = a, b, z
		}
	})
	var b strings.Builder
	fmt.Fprintf(&b, "score %.3f (log-odds %.2f), reasons: %s\n", v.Score, best, v.Reasons)
	fmt.Fprintf(&b, "  bias %+.2f\n", s.m.bias[chPrompt])
	var x [numFeatures]float32
	sc.windowCounts(bestA, bestB, &vals, &x)
	for f := range x {
		if x[f] != 0 {
			fmt.Fprintf(&b, "  %+.2f  %s ×%g\n", s.m.dense[chPrompt][f]*x[f], features[f].name, x[f])
		}
	}
	type wordWeight struct {
		w string
		z float32
	}
	var ws []wordWeight
	for i := bestA; i < bestB; i++ {
		w := &sc.words[i]
		ws = append(ws, wordWeight{string(sc.norm[w.start:w.end]), sc.contrib[i+1] - sc.contrib[i]})
	}
	fmt.Fprintf(&b, "  %+.2f  learned words, of which:\n", sc.contrib[bestB]-sc.contrib[bestA])
	sort.SliceStable(ws, func(i, j int) bool { return abs32(ws[i].z) > abs32(ws[j].z) })
	for _, w := range ws[:min(len(ws), 8)] {
		fmt.Fprintf(&b, "      %+.2f  %s\n", w.z, w.w)
	}
	return b.String()
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
