package gemini

import (
	"hash/fnv"
	"strconv"

	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// vocabulary is the size of the simulated tokenizer's vocabulary, which
// token ids fall in (Gemini's has 256,000 entries).
const vocabulary = 256000

// logprobsResult is the logprobsResult of the answer's pieces from to to
// (the tokens of one fragment, or all of them), when the request set
// responseLogprobs; nil otherwise, or when the range holds no token.
func (g *generation) logprobsResult(from, to int) *wire.LogprobsResult {
	gc := g.req.GenerationConfig
	if gc == nil || !gc.ResponseLogprobs || from == to {
		return nil
	}
	top := 0
	if gc.Logprobs != nil {
		top = *gc.Logprobs
	}
	if g.lps == nil {
		g.lps = sim.AnswerLogprobs(g.p.Model, g.ans.Pieces, top)
	}
	r := &wire.LogprobsResult{}
	sum := 0.0
	for _, t := range g.lps[from:to] {
		r.ChosenCandidates = append(r.ChosenCandidates, candidate(t.Token, t.Logprob))
		sum += t.Logprob
		if top > 0 {
			tc := wire.TopCandidates{Candidates: []wire.LogprobsCandidate{}}
			for _, a := range t.Top {
				tc.Candidates = append(tc.Candidates, candidate(a.Token, a.Logprob))
			}
			r.TopCandidates = append(r.TopCandidates, tc)
		}
	}
	sum, _ = strconv.ParseFloat(strconv.FormatFloat(sum, 'g', 8, 64), 64)
	r.LogProbabilitySum = &sum
	return r
}

// candidate is a token with its log probability and a stable token id.
func candidate(token string, logprob float64) wire.LogprobsCandidate {
	h := fnv.New32a()
	h.Write([]byte(token))
	return wire.LogprobsCandidate{Token: token, TokenID: int(h.Sum32() % vocabulary), LogProbability: logprob}
}
