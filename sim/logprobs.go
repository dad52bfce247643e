package sim

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// TokenLogprob is the simulated log probability of one generated token,
// with the likeliest tokens at its position (most likely first).
type TokenLogprob struct {
	Token   string
	Logprob float64
	Top     []Alternative
}

// Alternative is one of the likeliest tokens at a position.
type Alternative struct {
	Token   string
	Logprob float64
}

// alternatives are the tokens a position's other candidates are drawn
// from; there are more than the 20 a request may ask for, so a chosen
// token among them still leaves enough.
var alternatives = []string{
	" the", " a", ",", ".", " and", " to", " of", " is", " in", " it", "\n", " I",
	" that", " this", " for", " you", " with", " on", " as", " be", " can", " not",
}

// AnswerLogprobs returns plausible log probabilities for the pieces (the
// tokens) of model's answer, top alternatives at each position (at most
// 21), deterministic in the model, the position and the token. The chosen
// token is usually near-certain and now and then a toss-up; the other
// candidates share the rest of the probability, halving down the list, so
// the chosen token need not be the likeliest (a sampled answer) and may
// fall outside the top list. Values have eight significant digits, as
// OpenAI writes them.
func AnswerLogprobs(model string, pieces []string, top int) []TokenLogprob {
	out := make([]TokenLogprob, len(pieces))
	for i, tok := range pieces {
		out[i] = tokenLogprob(model, i, tok, top)
	}
	return out
}

func tokenLogprob(model string, pos int, tok string, top int) TokenLogprob {
	h := hash(model + "\x00" + strconv.Itoa(pos) + "\x00" + tok)
	u := float64(h>>11) / (1 << 53)
	p := math.Exp(-2.5 * u * u * u) // mostly near 1, sometimes ~0.08
	t := TokenLogprob{Token: tok, Logprob: sig8(math.Log(p)), Top: []Alternative{}}
	if top <= 0 {
		return t
	}
	top = min(top, len(alternatives)-1)
	cands := []Alternative{{Token: tok, Logprob: t.Logprob}}
	rest, share := max(1-p, 1e-9), 0.5
	for k := int(h % uint64(len(alternatives))); len(cands) < top+1; k++ {
		alt := alternatives[k%len(alternatives)]
		if alt == tok {
			continue
		}
		cands = append(cands, Alternative{Token: alt, Logprob: sig8(math.Log(rest * share))})
		share /= 2
	}
	slices.SortStableFunc(cands, func(a, b Alternative) int {
		switch {
		case a.Logprob > b.Logprob:
			return -1
		case a.Logprob < b.Logprob:
			return 1
		}
		return strings.Compare(a.Token, b.Token)
	})
	t.Top = cands[:top]
	return t
}

// sig8 rounds f to eight significant digits.
func sig8(f float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 8, 64), 64)
	return r
}
