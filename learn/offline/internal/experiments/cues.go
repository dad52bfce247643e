package main

import (
	"math"
	"strings"

	"switchyard/learn/offline"
)

// cueSignal computes, from a prompt's last block (the question after any
// worked examples), a few signals of difficulty that cost microseconds and
// that the hashed words and shape features hold only diffusely: how the
// question is asked (negations, superlatives), how much there is to
// reason through (sentences, numbers, words), and the structure of its
// options (how many, how long, how alike, how much of the question they
// repeat).
func cueSignal(train, test *offline.Dataset) signal {
	s := signal{name: "difficulty cues", train: make([][]float64, len(train.Prompts)), test: make([][]float64, len(test.Prompts))}
	for i := range train.Prompts {
		s.train[i] = cues(train.Prompts[i].Text)
	}
	for i := range test.Prompts {
		s.test[i] = cues(test.Prompts[i].Text)
	}
	return s
}

var (
	negations    = map[string]bool{"not": true, "except": true, "least": true, "never": true, "false": true, "incorrect": true, "cannot": true, "no": true, "none": true, "unlikely": true}
	superlatives = map[string]bool{"best": true, "most": true, "likely": true, "probably": true, "primarily": true, "main": true}
)

func cues(text string) []float64 {
	block := lastBlock(text)
	stem, options := splitOptions(block)
	ws := words(stem)
	neg, sup, nums := 0, 0, 0
	for _, w := range ws {
		switch {
		case negations[w]:
			neg++
		case superlatives[w]:
			sup++
		case w[0] >= '0' && w[0] <= '9':
			nums++
		}
	}
	sentences := strings.Count(stem, ". ") + strings.Count(stem, "? ") + 1
	mean, spread, overlap := optionStats(options, ws)
	return []float64{
		math.Min(float64(neg), 3), math.Min(float64(sup), 3), math.Log1p(float64(nums)),
		math.Log1p(float64(sentences)), math.Log1p(float64(len(ws))),
		float64(len(options)), math.Log1p(mean), spread, overlap,
	}
}

// splitOptions separates a multiple-choice block's lines of options ("A)",
// "B.", "(c)") from the rest; the options are the lines' text after the
// label.
func splitOptions(block string) (stem string, options []string) {
	var rest []string
	for _, line := range strings.Split(block, "\n") {
		if opt, ok := optionText(strings.TrimSpace(line)); ok {
			options = append(options, opt)
		} else {
			rest = append(rest, line)
		}
	}
	return strings.Join(rest, "\n"), options
}

func optionText(line string) (string, bool) {
	line = strings.TrimPrefix(line, "(")
	if len(line) < 3 {
		return "", false
	}
	c := line[0] | 0x20
	if c < 'a' || c > 'h' || (line[1] != ')' && line[1] != '.') {
		return "", false
	}
	return strings.TrimSpace(line[2:]), true
}

// optionStats returns the options' mean length in words, its coefficient
// of variation, and the share of the options' words that occur in the
// stem.
func optionStats(options []string, stem []string) (mean, spread, overlap float64) {
	if len(options) == 0 {
		return 0, 0, 0
	}
	inStem := map[string]bool{}
	for _, w := range stem {
		inStem[w] = true
	}
	var lens []float64
	shared, total := 0, 0
	for _, o := range options {
		ws := words(o)
		lens = append(lens, float64(len(ws)))
		for _, w := range ws {
			total++
			if inStem[w] {
				shared++
			}
		}
	}
	for _, l := range lens {
		mean += l
	}
	mean /= float64(len(lens))
	for _, l := range lens {
		spread += (l - mean) * (l - mean)
	}
	spread = math.Sqrt(spread/float64(len(lens))) / math.Max(1, mean)
	if total > 0 {
		overlap = float64(shared) / float64(total)
	}
	return mean, spread, overlap
}
