package inject

import (
	"fmt"
	"sort"
	"strings"

	"switchyard/llm"
)

// Explain scores text as ScanText does and says why: the hand-written
// features of the deciding window with their log-odds, and the words whose
// learned weights (word, pair and class buckets) added or took the most.
// For people (switchyard guard scan --explain), not for the hot path.
func (s *Scanner) Explain(text string) string {
	head, _ := bounded(text, MaxMessageBytes)
	return s.ExplainRequest(&llm.Request{Messages: []llm.Message{llm.TextMessage(llm.RoleUser, head)}})
}

// ExplainRequest scores req as Scan does and says why, for the text that
// decides its score: what the system prompt guards, the hand-written
// features of the deciding window and the words that weighed most. For
// people and for studying the scanner's errors, not for the hot path.
func (s *Scanner) ExplainRequest(req *llm.Request) string {
	sc := getScratch()
	defer putScratch(sc)
	sc.readSystem(req.Messages)
	var (
		best     = Verdict{Message: -1}
		bestText string
		bestCh   channel
	)
	eachSegment(req, func(i int, ch channel, text string) {
		if v := s.segment(sc, text, ch); best.Message < 0 || v.Score > best.Score {
			v.Message = i
			best, bestText, bestCh = v, text, ch
		}
	})
	if best.Message < 0 {
		return "nothing scanned\n"
	}
	var b strings.Builder
	where := "the user's text"
	if bestCh == chData {
		where = "data (a tool result)"
	}
	fmt.Fprintf(&b, "score %.3f, reasons: %s; message %d, %s\n", best.Score, best.Reasons, best.Message, where)
	if sc.sys.on {
		fmt.Fprintf(&b, "  the system prompt guards %d words (a secret: %v)\n", sc.sys.n, sc.sys.secret)
	}
	s.explainSegment(sc, &b, bestText, bestCh)
	return b.String()
}

// explainSegment writes the deciding window of text's features and words.
func (s *Scanner) explainSegment(sc *scratch, b *strings.Builder, text string, ch channel) {
	sc.analyze(text, ch)
	sc.prefixSums(s.m, ch)
	var vals [numFeatures]float32
	sc.segmentValues(text, ch, &vals)
	bestA, bestB, best := 0, 0, float32(-1e30)
	sc.eachWindow(func(a, b int) {
		var x [numFeatures]float32
		sc.windowCounts(a, b, &vals, &x)
		z := s.m.bias[ch] + sc.contrib[b] - sc.contrib[a]
		for f := range x {
			z += s.m.dense[ch][f] * x[f]
		}
		if z > best {
			bestA, bestB, best = a, b, z
		}
	})
	fmt.Fprintf(b, "  log-odds %.2f: bias %+.2f\n", best, s.m.bias[ch])
	var x [numFeatures]float32
	sc.windowCounts(bestA, bestB, &vals, &x)
	for f := range x {
		if x[f] != 0 {
			fmt.Fprintf(b, "  %+.2f  %s ×%g\n", s.m.dense[ch][f]*x[f], features[f].name, x[f])
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
	fmt.Fprintf(b, "  %+.2f  learned words, of which:\n", sc.contrib[bestB]-sc.contrib[bestA])
	sort.SliceStable(ws, func(i, j int) bool { return abs32(ws[i].z) > abs32(ws[j].z) })
	for _, w := range ws[:min(len(ws), 8)] {
		fmt.Fprintf(b, "      %+.2f  %s\n", w.z, w.w)
	}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
