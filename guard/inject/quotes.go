package inject

// This file tracks quotations and questions as the tokenizer reads: a
// short quotation mentions what it holds, a long one is a pasted text.

// quoteMark opens or closes a quotation at r: a quotation mark before
// a letter opens one, the matching mark closes it.
func (t *tokenizer) quoteMark(r rune, text string, next int) {
	switch r {
	case '"', '\'', '“', '‘', '«', '„':
	case '”', '’', '»':
		t.endQuote(true)
		return
	default:
		return
	}
	switch {
	case t.quote == r || t.quote != 0 && (r == '"' || r == '\''):
		t.endQuote(true)
	case t.quote == 0 && letterAt(text, next):
		t.quote, t.quoteFrom = r, len(t.sc.words)
	}
}

// maxMentionWords is the longest quotation whose words are mentioned
// rather than said: "explain what 'ignore previous instructions' means"
// talks about an attack, a quoted document pasted whole does not.
const maxMentionWords = 12

// endQuote ends the open quotation, if any. Its words stay quoted only
// when it was closed and short.
func (t *tokenizer) endQuote(closed bool) {
	if t.quote == 0 {
		return
	}
	t.quote = 0
	ws := t.sc.words[min(t.quoteFrom, len(t.sc.words)):]
	if closed && len(ws) <= maxMentionWords {
		return
	}
	for i := range ws {
		ws[i].flags &^= fQuoted
	}
}

// markQuestion flags the words of the sentence just ended as a question.
func (t *tokenizer) markQuestion() {
	ws := t.sc.words
	for i := len(ws) - 1; i >= 0; i-- {
		ws[i].flags |= fQuestion
		if ws[i].flags&fSentStart != 0 {
			return
		}
	}
}
