package llm

import "slices"

// MaxTopLogprobs is the largest number of alternatives per token a request
// may ask for (OpenAI's and Gemini's limit).
const MaxTopLogprobs = 20

// Logprobs are the log probabilities of the tokens of one choice (or, in a
// stream chunk, of the tokens of its delta), in OpenAI's shape. A nil list
// means none was reported for that part of the answer (written as null); an
// empty, non-nil one that the part has no tokens yet (written as []), as
// OpenAI's first chunk of a stream says.
type Logprobs struct {
	// Content covers the tokens of the content; Refusal those of a refusal.
	Content []TokenLogprob
	Refusal []TokenLogprob
}

// TokenLogprob is one generated token with its log probability and the
// likeliest tokens at its position.
type TokenLogprob struct {
	Token string
	// Logprob is the natural log of the token's probability; OpenAI
	// writes -9999.0 for a token outside the top 20.
	Logprob float64
	// Bytes is the token's UTF-8 bytes, which may be part of a character
	// (the text of such a token cannot show them); nil means none were
	// reported (written as null).
	Bytes []byte
	// TopLogprobs are the likeliest tokens at this position, most likely
	// first; at most as many as the request's TopLogprobs.
	TopLogprobs []TopLogprob
}

// TopLogprob is one of the likeliest tokens at a position.
type TopLogprob struct {
	Token   string
	Logprob float64
	// Bytes is as in TokenLogprob.
	Bytes []byte
}

// add appends the tokens of l2 to l. A list that l2 carries, even empty,
// makes l's list non-nil, so that "no tokens yet" survives accumulation.
func (l *Logprobs) add(l2 *Logprobs) {
	l.Content = appendTokens(l.Content, l2.Content)
	l.Refusal = appendTokens(l.Refusal, l2.Refusal)
}

func appendTokens(dst, src []TokenLogprob) []TokenLogprob {
	if src != nil && dst == nil {
		dst = make([]TokenLogprob, 0, len(src))
	}
	return append(dst, src...)
}

// clone returns a copy of l whose lists do not share l's backing arrays
// (the tokens' byte and alternative slices are shared: nothing changes
// them once made).
func (l *Logprobs) clone() *Logprobs {
	if l == nil {
		return nil
	}
	return &Logprobs{Content: slices.Clone(l.Content), Refusal: slices.Clone(l.Refusal)}
}
