package feature

// Language detection, pure Go and allocation-free: the dominant Unicode
// script decides zh, ja, ru and ar (and rules out the rest); Latin-script text
// is told apart among en, es, fr, de and pt by votes of common stop words
// (looked up in a small open-addressing table of word hashes, filled once)
// and of diacritics (ñ, ç, ã, ß, è, …).

// Latin-script languages, as vote indexes.
const (
	lnEN = iota
	lnES
	lnFR
	lnDE
	lnPT
	numLatin
)

var latinCodes = [numLatin]string{"en", "es", "fr", "de", "pt"}

// stopWords lists frequent, short function words per language. A word that
// is common in several languages votes for each of them.
var stopWords = [numLatin]string{
	lnEN: `the and is are of to in what how you your it this that with for was were can
		please write would which who my about from have has be an do does why when where tell
		give make not on at or will should could there their they we he she his her its than
		then these those into some any all each following text hello hi thanks whats im dont
		i me so if but just like know want need help explain`,
	lnES: `el la los las de del que y en un una es por para con se lo su como más pero sus
		le ya o este esta sí porque muy sin sobre también hay donde quien qué cómo cuál
		cuántos escribe dame puedes hola gracias texto siguiente eres estoy está son al mi
		tu yo al cuando todo ser hace hacer necesito quiero favor`,
	lnFR: `le la les de des du et est un une en que qui dans pour pas sur au aux avec ce
		cette il elle nous vous je tu ne se sont mais ou où son sa ses leur très quel quelle
		comment pourquoi écris donne peux bonjour merci texte suivant c l d qu j n s moi
		mon ma mes tout fait faire être avez suis voici`,
	lnDE: `der die das und ist nicht ein eine einen zu den dem mit sich des auf für im von
		sie es ich du wir ihr wie was wer warum welche bitte schreibe schreib gib kannst
		hallo danke text folgenden zusammen auch oder aber wenn dass sind hat haben wird
		werden noch nach bei aus um über mir mich dir einem einer meine kann`,
	lnPT: `o os as do da dos das e é um uma em no na nos nas que para com não por mais como
		mas ao se seu sua você voce eu ele ela isso este esta muito qual quais quem onde
		porque escreva olá ola obrigado obrigada texto seguinte resuma são está também pelo
		pela meu minha tem ser fazer preciso quero`,
}

const stopTableBits = 10

type stopEntry struct {
	hash uint32
	mask uint8 // bit per Latin language
}

// stopTable is an open-addressing hash table of stop-word hashes; a zero
// hash marks an empty slot.
var stopTable = func() (t [1 << stopTableBits]stopEntry) {
	for lang, list := range stopWords {
		var st textStats
		ws := wordScanner{s: list, end: len(list), stats: &st}
		for {
			h, _, ok := ws.next(nsSeed[nsWord])
			if !ok {
				break
			}
			i := h * mixConst >> (32 - stopTableBits)
			for t[i].hash != 0 && t[i].hash != h {
				i = (i + 1) & (1<<stopTableBits - 1)
			}
			t[i].hash = h
			t[i].mask |= 1 << lang
		}
	}
	return t
}()

// stopMask returns the languages for which a word hash is a stop word.
func stopMask(h uint32) uint8 {
	i := h * mixConst >> (32 - stopTableBits)
	for {
		e := &stopTable[i]
		if e.hash == h {
			return e.mask
		}
		if e.hash == 0 {
			return 0
		}
		i = (i + 1) & (1<<stopTableBits - 1)
	}
}

// textStats gathers the evidence for language detection while words are
// scanned: letters per script and votes per Latin language.
type textStats struct {
	scripts [numScripts]int32
	votes   [numLatin]int32
	digits  int32 // digits inside words
	numbers int32 // tokens made of digits only
}

// vote adds the stop-word votes of a word hash.
func (st *textStats) vote(h uint32) {
	m := stopMask(h)
	if m == 0 {
		return
	}
	for l := 0; l < numLatin; l++ {
		if m&(1<<l) != 0 {
			st.votes[l]++
		}
	}
}

// diacritic adds the votes of a folded Latin letter outside ASCII.
func (st *textStats) diacritic(r rune) {
	switch r {
	case 'ñ':
		st.votes[lnES] += 2
	case 'ã', 'õ':
		st.votes[lnPT] += 2
	case 'ç':
		st.votes[lnFR]++
		st.votes[lnPT]++
	case 'ß', 'ä', 'ö', 'ü':
		st.votes[lnDE] += 2
	case 'è', 'ê', 'à', 'ù', 'â', 'î', 'ô', 'û', 'ë', 'ï', 'œ':
		st.votes[lnFR]++
	case 'á', 'í', 'ó', 'ú':
		st.votes[lnES]++
		st.votes[lnPT]++
	}
}

// language returns the ISO 639-1 code of the dominant language, or "" when
// the evidence is too thin or the language is not one we name.
func (st *textStats) language() string {
	sc := &st.scripts
	cjk := sc[scHan] + sc[scKana]
	best, bestN := scLatin, sc[scLatin]
	for _, s := range [...]int{scHangul, scCyrillic, scArabic, scOther} {
		if sc[s] > bestN {
			best, bestN = s, sc[s]
		}
	}
	if cjk > bestN {
		if sc[scKana]*10 >= cjk {
			return "ja"
		}
		return "zh"
	}
	if bestN < 2 {
		return ""
	}
	switch best {
	case scCyrillic:
		return "ru"
	case scArabic:
		return "ar"
	case scLatin:
		return st.latin()
	}
	return ""
}

// latin picks the Latin-script language with the most votes; a tie at the
// top or no votes at all means unknown.
func (st *textStats) latin() string {
	best, bestN, tie := -1, int32(0), false
	for l, n := range st.votes {
		switch {
		case n > bestN:
			best, bestN, tie = l, n, false
		case n == bestN && n > 0:
			tie = true
		}
	}
	if best < 0 || tie {
		return ""
	}
	return latinCodes[best]
}

// langIndex numbers the detected languages for the structural feature.
func langIndex(code string) int {
	for i, c := range [...]string{"en", "es", "fr", "de", "pt", "zh", "ja", "ru", "ar"} {
		if c == code {
			return i + 1
		}
	}
	return 0
}
