package inject

// This file finds the hand-written features in a segment's words: short
// patterns of word classes within a sentence (patterns never cross a
// sentence start, and look at most a few words ahead).

// patternSpan is how many words ahead a pattern looks.
const patternSpan = 6

// findEvents appends the features seen in ws[from:] to sc.events.
func (sc *scratch) findEvents(from int) {
	ws := sc.words
	for i := from; i < len(ws); i++ {
		w := &ws[i]
		if w.cls == 0 && w.flags&(fSentStart|fLineStart|fTagOpen) == 0 {
			continue
		}
		sc.wordEvents(i)
		if w.flags&fDecoded != 0 && len(sc.events) > 0 {
			// An attack signal inside a decoded payload counts again, as
			// a disguised one.
			for k := len(sc.events) - 1; k >= 0 && sc.events[k].pos == int32(i); k-- {
				if strongFeature(sc.events[k].f) {
					sc.add(i, fDecodedHit)
					break
				}
			}
		}
	}
}

// strongFeature reports the features that alone say "attack".
func strongFeature(f feature) bool {
	switch f {
	case fOverrideInstr, fOverrideWeak, fExtract, fSecretAsk, fDoAnything, fMode, fUnrestricted, fPersona:
		return true
	}
	return false
}

func (sc *scratch) add(i int, f feature) { sc.events = append(sc.events, event{int32(i), f}) }

// wordEvents adds the features that start or end at word i.
func (sc *scratch) wordEvents(i int) {
	w := &sc.words[i]
	c := w.cls
	if c&encodedClasses != 0 && (w.form != formPlain || w.flags&fObfuscated != 0) {
		sc.add(i, fObfuscatedWord)
	}
	if c&cOverride != 0 {
		switch {
		case sc.ahead(i, patternSpan, cInstr|cTold) > 0:
			sc.add(i, fOverrideInstr)
		case sc.ahead(i, 3, cPrior|cAll) > 0:
			sc.add(i, fOverrideWeak)
		}
	}
	if c&cNew != 0 && sc.ahead(i, 2, cInstr) > 0 || sc.is(i, "from") && sc.is(i+1, "now") && sc.is(i+2, "on") {
		sc.add(i, fNewInstr)
	}
	sc.extraction(i, c)
	if c&cSys != 0 && sc.ahead(i, 1, cInstr) > 0 {
		sc.add(i, fSysPrompt)
	}
	if c&cSecret != 0 {
		sc.add(i, fSecretWord)
		if sc.ahead(i, -4, cQuestion|cReveal|cYou) > 0 || sc.ahead(i, 3, cReveal) > 0 {
			sc.add(i, fSecretAsk)
		}
	}
	sc.jailbreak(i, c)
	sc.markup(i, c)
	if c&cYou != 0 && sc.ahead(i, 2, cOutput) > 0 {
		sc.add(i, fAddressOutput)
	}
	if c&cAI != 0 {
		sc.add(i, fAIWord)
	}
	if w.flags&fSentStart != 0 {
		if c&cImperative != 0 || sc.is(i, "please") && sc.ahead(i, 1, cImperative) > 0 {
			sc.add(i, fImperative)
		}
		if w.flags&fQuestion != 0 {
			sc.add(i, fQuestionSent)
		}
	}
	if c&cEncode != 0 {
		sc.add(i, fEncodeReq)
	}
	if c&cHypo != 0 {
		sc.add(i, fHypothetical)
	}
}

// extraction finds requests for the instructions or the system prompt.
func (sc *scratch) extraction(i int, c class) {
	switch {
	case c&cReveal != 0:
		// show/print/repeat … (your|system|initial|above) … instructions/prompt/secret
		if j := sc.ahead(i, patternSpan, cInstr|cSecret); j > 0 && sc.between(i, j+3, cYou|cSys|cPrior|cAll|cTold) {
			sc.add(j, fExtract)
		} else if sc.is(i+1, "everything") || sc.ahead(i, 3, cPrior) > 0 && sc.aheadWord(i, 4, "text") > 0 {
			sc.add(i, fExtract)
		}
	case c&cQuestion != 0:
		// what are/were your instructions, what were you told
		if j := sc.ahead(i, 4, cInstr|cTold); j > 0 && sc.between(i, j+1, cYou) {
			sc.add(j, fExtract)
		}
	}
	if sc.is(i, "word") && sc.is(i+1, "for") && sc.is(i+2, "word") || sc.is(i, "verbatim") {
		sc.add(i, fExtract)
	}
}

// jailbreak finds personas, modes and the lifting of rules.
func (sc *scratch) jailbreak(i int, c class) {
	if c&cPersona != 0 {
		sc.add(i, fPersona)
	}
	if sc.is(i, "anything") && sc.is(i-1, "do") && (sc.is(i+1, "now") || sc.is(i-2, "can")) {
		sc.add(i, fDoAnything)
	}
	if c&(cModeKind|cPersona) != 0 && sc.ahead(i, 1, cMode) > 0 {
		sc.add(i, fMode)
	}
	if c&cRoleplay != 0 && (sc.aheadWord(i, 2, "as") > 0 || sc.aheadWord(i, 2, "be") > 0 || sc.is(i+1, "of")) ||
		sc.is(i, "in") && sc.is(i+1, "character") ||
		c&cYou != 0 && (sc.is(i+1, "are") || sc.is(i+1, "will")) && (sc.is(i+2, "now") || sc.is(i+2, "going") || sc.is(i+2, "about")) {
		sc.add(i, fRoleplay)
	}
	if c&cRestrict != 0 && sc.ahead(i, -4, cFree|cNeg) > 0 {
		sc.add(i, fUnrestricted)
	}
	if c&cAuthority != 0 && (sc.is(i-1, "am") || sc.is(i-1, "im") || sc.is(i-2, "am") || sc.is(i-2, "im")) ||
		c&cAuthority != 0 && sc.ahead(i, 1, cOverride|cMode) > 0 || sc.is(i, "audit") && sc.is(i-1, "security") {
		sc.add(i, fAuthority)
	}
}

// roleWords are the names of conversation roles in chat markup.
var roleWords = map[string]bool{
	"system": true, "sys": true, "assistant": true, "user": true, "human": true, "admin": true, "instruction": true,
	"instructions": true, "inst": true, "im": true, "endoftext": true, "developer": true,
}

// dialogueWords open the turns of a scripted dialogue.
var dialogueWords = map[string]bool{
	"q": true, "a": true, "question": true, "answer": true, "user": true, "human": true, "assistant": true,
	"ai": true, "bot": true, "input": true, "output": true,
}

// markup finds fake role tags and scripted dialogue.
func (sc *scratch) markup(i int, c class) {
	w := &sc.words[i]
	if w.flags&(fTagOpen|fLineStart|fSentStart) == 0 {
		return
	}
	b := string(sc.norm[w.start:w.end])
	if w.flags&fTagOpen != 0 && roleWords[b] || w.flags&fLineStart != 0 && w.flags&fColon != 0 && roleWords[b] && b != "user" {
		sc.add(i, fRoleTag)
	}
	if w.flags&fColon != 0 && dialogueWords[b] {
		sc.add(i, fDialogue)
	}
}

// ahead returns the first word after i (before i, for a negative n),
// within |n| words and the same sentence, with a class in cls; 0 when
// none. (Word 0 never follows another, so 0 means none.)
func (sc *scratch) ahead(i, n int, cls class) int {
	ws := sc.words
	if n < 0 {
		for j := i - 1; j >= 0 && j >= i+n; j-- {
			if ws[j].cls&cls != 0 {
				return j + 1 // shifted, so word 0 is not "none"
			}
			if ws[j].flags&fSentStart != 0 {
				break
			}
		}
		return 0
	}
	for j := i + 1; j < len(ws) && j <= i+n; j++ {
		if ws[j].flags&fSentStart != 0 {
			break
		}
		if ws[j].cls&cls != 0 {
			return j
		}
	}
	return 0
}

// aheadWord is ahead for one literal word.
func (sc *scratch) aheadWord(i, n int, s string) int {
	for j := i + 1; j < len(sc.words) && j <= i+n; j++ {
		if sc.words[j].flags&fSentStart != 0 {
			break
		}
		if sc.is(j, s) {
			return j
		}
	}
	return 0
}

// between reports whether a word strictly after i and up to j (inclusive)
// has a class in cls.
func (sc *scratch) between(i, j int, cls class) bool {
	for k := i + 1; k <= j && k < len(sc.words); k++ {
		if sc.words[k].cls&cls != 0 {
			return true
		}
	}
	return false
}

// is reports whether word i exists and is s.
func (sc *scratch) is(i int, s string) bool {
	if i < 0 || i >= len(sc.words) {
		return false
	}
	w := &sc.words[i]
	return string(sc.norm[w.start:w.end]) == s
}
