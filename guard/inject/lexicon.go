package inject

import (
	"strings"
	"unicode/utf8"
)

// class is a set of word classes: what a word can do in an attack's
// sentence. The hand-written patterns (patterns.go) and the learned
// model's class n-grams read words through their classes, so "disregard
// prior directives", "ignore previous instructions" and "ignoriere alle
// vorherigen Anweisungen" look alike.
type class uint32

// The word classes.
const (
	cOverride   class = 1 << iota // ignore, disregard, forget…
	cPrior                        // previous, above, earlier, original…
	cAll                          // all, any, every, everything…
	cInstr                        // instructions, rules, directives, prompt…
	cTold                         // told, given, instructed, programmed…
	cReveal                       // reveal, show, print, repeat, tell…
	cSecret                       // password, secret, passcode…
	cSys                          // system, initial, hidden, confidential…
	cYou                          // you, your
	cPersona                      // dan, jailbreak, unfiltered, amoral…
	cRoleplay                     // pretend, act, roleplay, character…
	cRestrict                     // restrictions, filters, policy, ethics…
	cFree                         // no, without, free, broken, unbound…
	cModeKind                     // developer, maintenance, debug, god… (before "mode")
	cMode                         // mode
	cAI                           // ai, assistant, chatbot, model…
	cOutput                       // response, answer, reply, code, implementation…
	cImperative                   // verbs that open an instruction: include, add, say, write…
	cEncode                       // base64, rot13, hex, decode, cipher…
	cAuthority                    // developer, admin, creator, authorized, urgent…
	cNew                          // new, updated, real, following…
	cNeg                          // not, never, don't…
	cQuestion                     // what, which, how…
	cHypo                         // imagine, suppose, hypothetical…
	cNow                          // now, henceforth, onwards
	cInstead                      // instead, rather
	cMeta                         // the, this, that, a — words patterns may skip
	cMessage                      // message, conversation, text: what an extraction asks for
	cLiteral                      // words some patterns name (from, word, please, in…)
	cSecretNoun                   // secret: a secret only as a noun (secret.go)
	cPersonal                     // birth, email, address, lives, salary…: personal data a system prompt may hold
	cTransform                    // reverse, spell, translate, acrostic, poem, letters…: ways to say a thing in other words
)

// form says how a lexicon word was written in the text.
type form uint8

// The forms of a lexicon hit. Anything but formPlain is obfuscation: a
// benign prompt has no reason to write "ignore" backwards or in rot13.
const (
	formPlain    form = iota
	formRot13         // the word rot13-encoded ("vtaber")
	formReversed      // the word backwards ("erongi")
)

// entry is what the lexicon knows about a word.
type entry struct {
	cls  class
	form form
	mark mark
}

// mark is a set of word roles that no class says, read where a class
// would be too coarse and a map lookup too slow.
type mark uint8

const (
	// mSecretHead: a secret when a secret's kind comes before it ("access
	// code", "secret key").
	mSecretHead mark = 1 << iota
	// mSecretKind: makes a secret of the head after it ("access", "master").
	mSecretKind
)

// marked lists the words of each mark.
var marked = []struct {
	m     mark
	words string
}{
	{mSecretHead, `key code word phrase token number pin`},
	{mSecretKind, `access security master login admin pin unlock api`},
}

// lexicon maps a normalized word (lower case, folded, no apostrophes) to
// its classes; the rot13 and reversed forms of the longer attack words are
// in it too, so one lookup per word finds them.
var lexicon = buildLexicon()

// words lists the lexicon by class. Several languages' words sit in the
// same class: English, French, German, Spanish, Italian, Portuguese,
// Dutch, Russian and Polish (folded to base letters: "précédentes" is
// written "precedentes"). Chinese and Japanese phrases are matched as
// substrings (cjkPhrases).
var words = []struct {
	cls   class
	words string
}{
	{cOverride, `ignore ignoring ignored disregard disregarding disregarded forget forgetting forgot forgotten overlook
		overlooking override overriding overridden bypass bypassing discard neglect dismiss abandon
		ignorer ignorez ignore oublie oubliez oublier
		αγνοήστε αγνόησε αγνοησε ξεχάστε ξέχνα
		ignoriere ignorieren ignoriert vergiss vergessen vergesst missachte
		ignora ignoren ignore ignorar olvida olviden olvidar olvidate
		ignori dimentica dimenticate dimenticare
		esqueca esquecer desconsidere desconsidera
		negeer vergeet
		zignoruj zapomnij
		игнорируй игнорируйте игнорировать игнорировать забудь забудьте забыть пренебреги ігноруй ігноруйте забудь
		ignorera glom glöm ignorer glem ignoruj ignorujte zapomeň ohita unohda ignorați ignorati uita
		abaikan lupakan yok unut görmezden
		अनदेखी नजरअंदाज भूल जाओ
		تجاهل انس
		התעלם שכח`},
	{cPrior, `previous previously prior above earlier preceding foregoing original initial former old aforementioned past
		precedentes precedente precedents anterieures anterieurs anterieur dessus
		προηγούμενες προηγούμενα προηγουμενες
		vorherigen vorherige vorherigen bisherigen obigen fruheren alten zuvor davor vorangegangenen vorhergehenden
		anteriores anterior previas previos
		precedenti precedente
		anteriores
		vorige eerdere
		poprzednie wczesniejsze
		предыдущие предыдущих прежние прошлые вышеуказанные попередні попередніх
		tidigare tidligere predchozi předchozí aiemmat aikaisemmat anterioare sebelumnya onceki önceki
		पिछले पिछली पूर्व
		السابقة السابقه
		הקודמות הקודמים
		initially originally`},
	{cAll, `all any every everything anything entire whole whatever
		tout toutes tous
		alle alles jede
		todas todos todo
		tutte tutti tutto
		tudo
		allen
		wszystkie
		все всё
		όλες όλα όλους`},
	{cInstr, `instruction instructions directive directives rule rules guideline guidelines prompt prompts command commands
		orders constraints programming policies guardrails preprompt
		οδηγίες οδηγιες εντολές
		consignes consigne regles directives
		anweisungen anweisung regeln befehle vorgaben
		instrucciones instruccion reglas directrices indicaciones
		istruzioni istruzione regole
		instrucoes instrucao regras
		instructies regels
		instrukcje polecenia zasady
		инструкции инструкций указания правила команды інструкції вказівки
		instruktioner instruktionerna instruksjoner pokyny instrukce ohjeet ohjeita instrucțiunile instructiunile
		instruksi perintah talimatlari talimatları
		निर्देशों निर्देश निर्देशो
		التعليمات تعليمات الأوامر
		ההוראות הוראות`},
	{cTold, `told given instructed programmed trained taught asked configured
		dit donne
		gesagt gegeben
		dicho dado
		detto dato`},
	{cReveal, `reveal show print output display repeat tell give share disclose leak dump recite echo expose divulge
		reproduce log copy confirm provide send
		revele revelez montre affiche repete
		zeige zeig gib verrate wiederhole sag sage nenne schreib schreibe dis donne
		revela muestra dime repite
		rivela mostra dimmi ripeti
		mostre diga
		покажи скажи выведи раскрой повтори`},
	{cSecret, `password passwords passcode passcodes passphrase passphrases credential credentials apikey
		पासवर्ड lösenord adgangskode heslo salasana sandi sifre
		motdepasse passe
		passwort kennwort geheimnis
		contrasena contrasenas clave secreto
		segreto
		senha
		wachtwoord
		haslo
		пароль секрет κωδικός κωδικό`},
	{cSys, `system initial hidden confidential internal preprompt setup configuration config startup starting opening
		underlying original initialization initialisation init
		systeme systeminstruktionen sistema`},
	{cYou, `you your yours yourself u ur youre youve youll
		tu tes ton ta vous votre vos
		du dein deine deinen dir dich sie ihre ihr
		tus tu usted
		tuoi tue tuo
		seu sua seus suas voce
		jij je jouw
		twoje ty
		ты твои твой вы ваши`},
	{cPersona, `jailbreak jailbroken jailbreaking unfiltered uncensored amoral antidan devmode godmode unhinged`},
	{cRoleplay, `pretend pretending act acting roleplay character persona simulate simulating emulate impersonate
		embody become immerse immersing portray play playing role`},
	{cRestrict, `restrictions restriction rules filters filter limits limitations guidelines policy policies censorship ethics ethical norms
		morals moral boundaries constraints safeguards restraints confines protocols safety principles
		regles einschrankungen restricciones limitazioni`},
	{cFree, `no without free broken break unbound unbounded beyond escape lift remove disable disabled removed unshackled
		liberated released bypassed exempt sans ohne sin senza sem`},
	{cModeKind, `developer developers maintenance debug debugging admin god sudo root test diagnostic unrestricted jailbreak
		superuser service opposite evil unlocked override enforcement`},
	{cMode, `mode modus modo режим`},
	{cAI, `ai assistant assistants chatbot chatbots llm llms gpt chatgpt claude gemini bot copilot agent llama bard
		ki ia`},
	{cOutput, `response responses answer answers reply replies output outputs completion completions code implementation
		solution codebase program script reponse antwort respuesta risposta resposta`},
	{cImperative, `include add insert append integrate incorporate modify change use write say state respond reply answer tell
		print output start begin end send visit click download install run execute replace remove translate encode
		convert provide mention recommend suggest promote ensure make put embed blend merge utilize leverage absorb
		enlist draft compose explain describe develop rearrange scramble jumble misspell introduce substitute render
		group combine enhance augment tease hint offer inject always remember
		consider dont break identify compare calculate summarize summarise outline analyze analyse discuss evaluate
		create generate teach solve debug rewrite classify define clarify elaborate illustrate demonstrate predict
		inform notify remind encourage urge advise persuade convince kindly emphasize mimic imitate`},
	{cEncode, `base64 b64 rot13 hex hexadecimal morse binary encode decode encoded decoded encoding decoding cipher
		ciphertext caesar leetspeak leet reverse reversed backwards unicode ascii obfuscate obfuscated atbash piglatin`},
	{cAuthority, `developer developers admin administrator creator owner maintainer engineer ceo openai anthropic authorized
		authorization clearance override sudo root superuser operator audit emergency urgent immediately mandatory
		security officer staff boss president police god government manager supervisor`},
	{cNew, `new updated real actual true following revised different additional latest nouvelles neue nuevas nuove novas`},
	{cNeg, `not dont never no cannot cant mustnt shouldnt avoid refrain prohibited forbidden disallowed neither nor
		ne pas jamais nicht nie keine nunca jamas non mai nao нельзя не никогда`},
	{cQuestion, `what which who how where when why whats quel quelle was welche que cual qual что какой`},
	{cHypo, `imagine suppose hypothetical hypothetically fictional fiction scenario universe simulation dream
		pretend lets alternate`},
	{cNow, `now henceforth onwards onward maintenant jetzt ahora ora agora теперь`},
	{cInstead, `instead rather`},
	{cMessage, `message messages conversation text context string`},
	{cLiteral, `from word verbatim please in anything do can am im now on`},
	{cSecretNoun, `secret secrets geheimnis secreto segreto секрет`},
	{cPersonal, `name names initials birth born birthday birthdate birthplace age email emails mail address addresses
		phone telephone lives live living reside resides residence city hometown location whereabouts favorite favourite
		color colour balance balances salary salaries income ssn
		nombre nacimiento correo direccion telefono vive ciudad saldo salario
		naissance courriel adresse habite ville solde salaire
		geburtstag geburtsdatum wohnt wohnort stadt kontostand gehalt
		nascita indirizzo citta stipendio
		nascimento endereco mora cidade
		имя адрес живет почта`},
	{cTransform, `reverse reversed reversing backwards backward spell spelled spelling spelt letter letters character characters
		digit digits syllable syllables acrostic poem poems haiku limerick sonnet song lyrics rhyme riddle story
		translate translated translation encode encoded encrypt encrypted cipher base64 hex hexadecimal binary morse
		leetspeak leet rot13 piglatin interlace interlaced interleave split separated separate dashes hyphens dots
		anagram emoji emojis backwards opposite summarize summarise paraphrase rephrase rewrite
		traduce traduis traduire traduci traduza ubersetze übersetze inverso invertido ruckwarts`},
	{cMeta, `the a an this that these those to of and or in on for with as is are was were be been have has had
		le la les un une de des du et der die das ein eine und el los las y il lo gli e o os
		τις τα το την τον τους των οι η ο και`},
}

// minEncodedLen is the shortest word whose rot13 and reversed forms are
// added to the lexicon: shorter ones collide with real words.
const minEncodedLen = 5

// encodedClasses are the classes whose words get rot13 and reversed
// forms: the words an obfuscated attack cannot do without.
const encodedClasses = cOverride | cInstr | cSecret | cReveal | cPersona | cPrior

func buildLexicon() map[string]entry {
	m := make(map[string]entry, 2000)
	for _, g := range words {
		for _, w := range strings.Fields(g.words) {
			w = foldWord(w)
			e := m[w]
			e.cls |= g.cls
			m[w] = e
		}
	}
	for _, g := range marked {
		for _, w := range strings.Fields(g.words) {
			e := m[w]
			e.mark |= g.m
			m[w] = e
		}
	}
	plain := make([]string, 0, len(m))
	for w := range m {
		plain = append(plain, w)
	}
	for _, w := range plain {
		e := m[w]
		if e.cls&encodedClasses == 0 || len(w) < minEncodedLen || !isASCII(w) {
			continue
		}
		for _, v := range []struct {
			s string
			f form
		}{{rot13(w), formRot13}, {reverse(w), formReversed}} {
			if _, taken := m[v.s]; !taken {
				m[v.s] = entry{cls: e.cls & encodedClasses, form: v.f}
			}
		}
	}
	return m
}

// foldWord folds a lexicon word the way the tokenizer folds the text's
// words (case, accents, marks), so the lexicon may be written as the
// languages spell their words. Look-alike letters are kept: the tokenizer
// folds them only in words that mix scripts.
func foldWord(w string) string {
	b := make([]byte, 0, len(w))
	for _, r := range w {
		switch f, k := fold(r); k {
		case kLetter, kFancy, kConfuse:
			b = utf8.AppendRune(b, f)
		case kMark, kInvisible:
		default:
			panic("inject: lexicon word " + w + " holds a separator")
		}
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func rot13(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = 'a' + (c-'a'+13)%26
		case c >= 'A' && c <= 'Z':
			b[i] = 'A' + (c-'A'+13)%26
		}
	}
	return string(b)
}

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// cjkPhrases are override and extraction phrases of languages written
// without spaces, matched as substrings of the folded text.
var cjkPhrases = []struct {
	phrase string
	cls    class
}{
	{"忽略", cOverride}, {"无视", cOverride}, {"無視", cOverride}, {"忘记", cOverride}, {"忘れ", cOverride},
	{"之前的指令", cPrior | cInstr}, {"以前的指示", cPrior | cInstr}, {"上面的指令", cPrior | cInstr},
	{"先の指示", cPrior | cInstr}, {"以前の指示", cPrior | cInstr}, {"これまでの指示", cPrior | cInstr},
	{"指令", cInstr}, {"指示", cInstr}, {"提示词", cInstr}, {"プロンプト", cInstr},
	{"系统提示", cSys | cInstr}, {"システムプロンプト", cSys | cInstr},
	{"密码", cSecret}, {"パスワード", cSecret}, {"비밀번호", cSecret},
	{"이전 지시", cPrior | cInstr}, {"무시", cOverride},
}

// lexTable is the lexicon as an open-addressing table keyed by the words'
// hashes (hashBytes; 0 marks an empty slot), 16 bytes a slot so that it
// stays in the cache; lexWords holds each slot's word, read only to
// confirm a hash that matched.
var lexTable, lexWords = func() ([]lexSlot, []string) {
	n := 1
	for 2*n < 3*len(lexicon) {
		n <<= 1
	}
	t, ws := make([]lexSlot, n), make([]string, n)
	for w, e := range lexicon {
		h := hashBytes([]byte(w))
		if h == 0 {
			panic("inject: lexicon word " + w + " hashes to 0")
		}
		i := h & uint64(n-1)
		for t[i].h != 0 {
			i = (i + 1) & uint64(n-1)
		}
		t[i], ws[i] = lexSlot{h: h, e: e}, w
	}
	return t, ws
}()

type lexSlot struct {
	h uint64
	e entry
}

// lexFilter has a bit set for the top 16 bits of each lexicon word's
// hash: most words of a text are not in the lexicon, and this 8 KiB
// bitmap says so without a probe of the table.
var lexFilter = func() (f [1 << 10]uint64) {
	for i := range lexTable {
		if lexTable[i].h != 0 {
			k := lexTable[i].h >> 48
			f[k>>6] |= 1 << (k & 63)
		}
	}
	return f
}()

// lookup returns the lexicon's entry for word b of hash h.
func lookup(h uint64, b []byte) (entry, bool) {
	if k := h >> 48; lexFilter[k>>6]&(1<<(k&63)) == 0 {
		return entry{}, false
	}
	mask := uint64(len(lexTable) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s := &lexTable[i]; s.h {
		case 0:
			return entry{}, false
		case h:
			if lexWords[i] == string(b) {
				return s.e, true
			}
		}
	}
}
