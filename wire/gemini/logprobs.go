package gemini

import "switchyard/llm"

// LogprobsToLLM maps a candidate's logprobsResult onto the log
// probabilities of its content in OpenAI's shape: a token per chosen
// candidate, with its UTF-8 as bytes (Gemini sends none) and the step's
// top candidates as alternatives (none when the request asked for none);
// nil for a nil result.
func LogprobsToLLM(r *LogprobsResult) *llm.Logprobs {
	if r == nil {
		return nil
	}
	toks := make([]llm.TokenLogprob, len(r.ChosenCandidates))
	for i, c := range r.ChosenCandidates {
		t := llm.TokenLogprob{Token: c.Token, Logprob: c.LogProbability, Bytes: []byte(c.Token), TopLogprobs: []llm.TopLogprob{}}
		if i < len(r.TopCandidates) {
			for _, alt := range r.TopCandidates[i].Candidates {
				t.TopLogprobs = append(t.TopLogprobs, llm.TopLogprob{Token: alt.Token, Logprob: alt.LogProbability, Bytes: []byte(alt.Token)})
			}
		}
		toks[i] = t
	}
	return &llm.Logprobs{Content: toks}
}
