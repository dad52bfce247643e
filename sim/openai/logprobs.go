package openai

import (
	"switchyard/llm"
	"switchyard/sim"
)

// tokenLogprobs are the log probabilities of the answer's content tokens
// (its pieces) when the request asked for logprobs, with the alternatives
// it asked for; nil when it did not ask.
func (t *turn) tokenLogprobs(ans sim.Answer) []llm.TokenLogprob {
	if !t.req.Logprobs {
		return nil
	}
	sl := sim.AnswerLogprobs(t.p.Model, ans.Pieces, t.req.TopLogprobs)
	out := make([]llm.TokenLogprob, len(sl))
	for i, s := range sl {
		top := make([]llm.TopLogprob, len(s.Top))
		for j, a := range s.Top {
			top[j] = llm.TopLogprob{Token: a.Token, Logprob: a.Logprob, Bytes: []byte(a.Token)}
		}
		out[i] = llm.TokenLogprob{Token: s.Token, Logprob: s.Logprob, Bytes: []byte(s.Token), TopLogprobs: top}
	}
	return out
}

// choiceLogprobs are a complete choice's logprobs: its content tokens, or
// a null content list for an answer that is only tool calls; nil when the
// request did not ask.
func (t *turn) choiceLogprobs(toks []llm.TokenLogprob) *llm.Logprobs {
	if !t.req.Logprobs {
		return nil
	}
	return &llm.Logprobs{Content: toks}
}
