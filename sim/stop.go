package sim

import "strings"

// CutAtStop cuts text before the earliest of the stop sequences that
// occurs in it (empty ones never match) and returns the text, the
// sequence and true; text unchanged and false when none occurs. The real
// APIs leave the stop sequence out of the answer.
func CutAtStop(text string, seqs []string) (string, string, bool) {
	best, seq := -1, ""
	for _, s := range seqs {
		if i := strings.Index(text, s); s != "" && i >= 0 && (best < 0 || i < best) {
			best, seq = i, s
		}
	}
	if best < 0 {
		return text, "", false
	}
	return text[:best], seq, true
}

// Stop returns ans ended before the earliest stop sequence in its text, as
// the OpenAI and Gemini APIs end an answer: finish "stop", the pieces and
// completion tokens of the shorter text. A tool call, or a text without
// any of seqs, is returned unchanged.
func (ans Answer) Stop(seqs []string) Answer {
	if len(seqs) == 0 || len(ans.ToolCalls) > 0 {
		return ans
	}
	cut, _, ok := CutAtStop(ans.Text, seqs)
	if !ok {
		return ans
	}
	ans.Text, ans.Pieces, ans.Finish = cut, Split(cut), "stop"
	ans.CompletionTokens = len(ans.Pieces) + ans.ReasoningTokens
	return ans
}
