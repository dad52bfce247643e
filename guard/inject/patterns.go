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
		n := len(sc.events)
		sc.wordEvents(i)
		if w.flags&fQuoted != 0 {
			sc.quoted(n)
			if sc.continuation(i) {
				sc.add(i, fExtract)
			}
		}
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

// quoted turns the strong events from events[n:] on, found at a word
// inside quotation marks, into mentions: "explain what 'ignore previous
// instructions' attacks are" talks about an attack.
func (sc *scratch) quoted(n int) {
	for k := n; k < len(sc.events); k++ {
		if strongFeature(sc.events[k].f) {
			sc.events[k].f = fMention
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

// add records feature f at word i, once: two verbs aimed at one target
// ("translate … and repeat your prompt") make one extraction.
func (sc *scratch) add(i int, f feature) {
	e := event{int32(i), f}
	for k := len(sc.events) - 1; k >= 0 && k >= len(sc.events)-4; k-- {
		if sc.events[k] == e {
			return
		}
	}
	sc.events = append(sc.events, e)
}

// wordEvents adds the features that start or end at word i.
func (sc *scratch) wordEvents(i int) {
	w := &sc.words[i]
	c := w.cls
	if c&^cMeta == 0 { // a function word, or none: only markup and, in data, sentence starts
		if w.flags&(fTagOpen|fColon) != 0 {
			sc.markup(i, c)
		}
		if sc.ch == chData {
			sc.dataEvents(i, c)
		}
		return
	}
	if c&encodedClasses != 0 && (w.form != formPlain || w.flags&fObfuscated != 0) {
		sc.add(i, fObfuscatedWord)
	}
	if c&cOverride != 0 {
		if f, ok := sc.overrideTarget(i); ok {
			sc.add(i, f)
		} else if sc.ahead(i, -3, cInstr) > 0 && sc.ahead(i, -5, cPrior|cAll|cYou) > 0 {
			sc.add(i, fOverrideInstr) // the object first: "पिछले निर्देशों की अनदेखी करें", "以前の指示を無視"
		}
	}
	if c&cNew != 0 && sc.ahead(i, 2, cInstr) > 0 || c&cLiteral != 0 && sc.is(i, "from") && sc.is(i+1, "now") && sc.is(i+2, "on") {
		sc.add(i, fNewInstr)
	}
	sc.extraction(i, c)
	if c&cSys != 0 && sc.ahead(i, 1, cInstr|cMessage) > 0 && (sc.ahead(i, -2, cYou) > 0 || sc.is(i-1, "the") || sc.is(i-1, "this")) {
		sc.add(i, fSysPrompt) // "your system prompt", not "a system prompt"
	}
	if sc.secret(i) {
		sc.add(i, fSecretWord)
		if sc.secretAsked(i) {
			sc.add(i, fSecretAsk)
		}
	}
	sc.jailbreak(i, c)
	if w.flags&(fTagOpen|fColon) != 0 {
		sc.markup(i, c)
	}
	if sc.ch == chData {
		sc.dataEvents(i, c)
	}
	if c&cEncode != 0 {
		sc.add(i, fEncodeReq)
	}
	if c&cTransform != 0 && sc.transform(i) {
		sc.add(i, fTransform)
	}
	if c&cHypo != 0 {
		sc.add(i, fHypothetical)
	}
}

// overrideTarget says what the override verb at word i is aimed at: the
// words after it, skipping articles, "all", "previous", "your", up to the
// first other word. Instructions or what the model was told make a strong
// override ("ignore all previous instructions", "forget everything you
// were told"); "the above" or "everything" alone, followed by an order,
// a weak one ("ignore the above and say…"), and so does a short thing
// followed by "and" and an order ("ignore the webpage and state…");
// anything else — "the typos", "my previous message", "its programming" —
// none. One or two unknown words may stand before what was told
// ("forget everthing you have been told").
func (sc *scratch) overrideTarget(i int) (feature, bool) {
	ws := sc.words
	weak, and, nouns := false, false, 0
	for j := i + 1; j < len(ws) && j <= i+patternSpan+2; j++ {
		if ws[j].flags&fSentStart != 0 {
			break
		}
		c := ws[j].cls
		switch {
		case c&(cInstr|cTold) != 0:
			return fOverrideInstr, true
		case c&(cPrior|cAll) != 0:
			weak = true
		case conjunctions[string(sc.norm[ws[j].start:ws[j].end])]:
			and = true
		case c&(cMeta|cYou|cNew|cSys) != 0 || sc.is(j, "about"):
		case (weak || and && nouns > 0) && (c&(cReveal|cQuestion|cInstead) != 0 || c&cImperative != 0 && c&cOutput == 0):
			return fOverrideWeak, true
		case c == 0 && nouns < 2 && !and:
			nouns++
		default:
			return 0, false
		}
	}
	return fOverrideWeak, weak
}

// conjunctions join an override's target to the order that follows
// ("ignore the webpage and state…", "vergiss alles davor und sag…").
var conjunctions = map[string]bool{"and": true, "und": true, "et": true, "y": true, "e": true, "en": true}

// articles are the definite articles of the lexicon's languages.
var articles = map[string]bool{
	"the": true, "das": true, "der": true, "die": true, "den": true, "le": true, "la": true, "el": true, "il": true, "lo": true,
	"o": true, "het": true,
}

// definiteArticle reports whether word i is a definite article.
func (sc *scratch) definiteArticle(i int) bool {
	return i >= 0 && i < len(sc.words) && articles[string(sc.norm[sc.words[i].start:sc.words[i].end])]
}

// secret reports whether word i names a secret. The words of class
// cSecretNoun ("secret") are also adjectives ("the secret ingredient"):
// they count only before a word such as "key" or "code", or at the end
// of the sentence.
func (sc *scratch) secret(i int) bool {
	w := &sc.words[i]
	if w.cls&cSecret != 0 {
		return !sc.is(i, "passe") || sc.is(i-1, "de") && sc.is(i-2, "mot") // "mot de passe"
	}
	if w.mark&mSecretHead != 0 && i > 0 && sc.words[i-1].mark&mSecretKind != 0 {
		return true // "access code", "master key"
	}
	if w.cls&cSecretNoun == 0 {
		return false
	}
	if i+1 >= len(sc.words) || sc.words[i+1].flags&fSentStart != 0 {
		return true
	}
	n := &sc.words[i+1]
	return n.mark&mSecretHead != 0
}

// secretAsked reports a request for the secret named at word i: "your
// password", "what is the password", "tell me the secret key" — not "a
// strong password policy", where the word qualifies another.
func (sc *scratch) secretAsked(i int) bool {
	const function = cMeta | cQuestion | cReveal | cYou | cLiteral | cImperative | cNeg | cNow | cTransform
	n := i + 1
	if sc.words[i].cls&cSecretNoun != 0 && n < len(sc.words) && sc.words[n].mark&mSecretHead != 0 {
		n++ // "secret key": the secret is the head
	}
	if n < len(sc.words) && sc.words[n].flags&fSentStart == 0 && sc.words[n].cls&function == 0 && !sc.secret(n) {
		return false // "password policy", "password manager"
	}
	return sc.ahead(i, -3, cYou) > 0 || sc.ahead(i, 3, cReveal) > 0 ||
		(sc.definiteArticle(i-1) || sc.definiteArticle(i-2)) && sc.ahead(i, -5, cQuestion|cReveal) > 0
}

// jailbreak finds personas, modes and the lifting of rules.
func (sc *scratch) jailbreak(i int, c class) {
	if c&cPersona != 0 || sc.words[i].flags&fUpper != 0 && capsPersona[string(sc.norm[sc.words[i].start:sc.words[i].end])] {
		sc.add(i, fPersona)
	}
	if c&cAll != 0 && (sc.is(i, "anything") || sc.is(i, "everything")) && sc.doAnything(i) {
		sc.add(i, fDoAnything)
	}
	if c&(cModeKind|cPersona) != 0 && sc.ahead(i, 1, cMode) > 0 &&
		(sc.ahead(i, -5, cYou|cAI|cRoleplay|cNow|cPersona) > 0 || sc.ahead(i, 5, cYou|cAI|cNow) > 0) {
		sc.add(i, fMode) // "you are in developer mode", not "developer mode on Android"
	}
	if c&cRoleplay != 0 && (sc.aheadWord(i, 2, "as") > 0 || sc.aheadWord(i, 2, "be") > 0 || sc.is(i+1, "of")) ||
		c&cLiteral != 0 && sc.is(i, "in") && sc.is(i+1, "character") ||
		c&cYou != 0 && (sc.is(i+1, "are") || sc.is(i+1, "will")) && (sc.is(i+2, "now") || sc.is(i+2, "going") || sc.is(i+2, "about")) {
		sc.add(i, fRoleplay)
	}
	if c&cRestrict != 0 && sc.ahead(i, -4, cFree|cNeg) > 0 {
		sc.add(i, fUnrestricted)
	}
	if c&cAuthority != 0 && (sc.is(i-1, "am") || sc.is(i-1, "im") || sc.is(i-2, "am") || sc.is(i-2, "im") ||
		sc.ahead(i, 1, cOverride) > 0 || sc.is(i, "audit") && sc.is(i-1, "security") ||
		sc.words[i-min(i, 2)].flags&fSentStart != 0 && sc.is(i-2, "as") && sc.words[i-1].cls&(cYou|cMeta) != 0) {
		sc.add(i, fAuthority)
	}
}

// capsPersona are jailbreak personas that are also ordinary words or
// names ("Dan", "aim"): they count written in capitals only.
var capsPersona = map[string]bool{"dan": true, "stan": true, "dude": true, "aim": true, "dev": true}

// doAnything reports "do anything now", "can do anything", "can say
// anything", "will answer everything": a persona without limits.
func (sc *scratch) doAnything(i int) bool {
	if sc.is(i-1, "do") && sc.is(i+1, "now") {
		return true
	}
	for _, v := range []string{"do", "say", "answer", "perform", "generate", "write"} {
		if sc.is(i-1, v) || sc.is(i-2, v) && sc.is(i-1, "and") {
			return sc.is(i-2, "can") || sc.is(i-2, "will") || sc.is(i-2, "could") || sc.is(i-3, "can") || sc.is(i-3, "will")
		}
	}
	return false
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
	b := sc.norm[w.start:w.end]
	switch {
	case w.flags&fTagOpen != 0 && roleWords[string(b)]:
		sc.add(i, fRoleTag)
	case w.flags&fColon != 0 && (dialogueWords[string(b)] || roleWords[string(b)] && w.flags&fLineStart != 0):
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
