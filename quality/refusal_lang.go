package quality

import (
	"regexp"
	"strings"
)

// The refusal patterns of each language the classifier detects
// (classify/lang.go), over text as normalizeHead leaves it: lower case,
// plain apostrophes, Arabic folded. Go's regexp has no look-around, so
// what a lookahead would exclude is in except (the whole sentence) or
// cancel (the rest of the sentence after the refusal).
//
// Each refusal pattern is: any number of lead-ins (apologies, softeners,
// "as an AI"), each followed by punctuation or space, then a core that
// pairs a negated ability or will with an act of helping.

// latinSep follows a lead-in in the space-separated languages.
const latinSep = `[\s,.!:;—–-]+`

// alt joins patterns as one alternation group.
func alt(ps ...string) string { return `(?:` + strings.Join(ps, `|`) + `)` }

// anchored returns the pattern of a sentence that opens with leads (any
// number, each followed by sep) and then one of cores.
func anchored(leads []string, sep string, cores ...string) string {
	return `^(?:` + alt(leads...) + sep + `)*` + alt(cores...)
}

func compileLang(code string, sc script, needs []string, refusal, except, cancel string) refusalLanguage {
	l := refusalLanguage{code: code, script: sc, needs: needs, refusal: regexp.MustCompile(refusal)}
	if except != "" {
		l.except = regexp.MustCompile(except)
	}
	if cancel != "" {
		l.cancel = regexp.MustCompile(cancel)
	}
	return l
}

var languages = []refusalLanguage{english, spanish, french, german, portuguese, chinese, japanese, russian, arabic}

var english = compileLang("en", scriptLatin, []string{"n't", "not", "unable", "decline", "refuse", "pass"},
	anchored([]string{
		`no`, `sorry`, `(?:i'm|i am) (?:really |very |so |truly |terribly |deeply )?sorry(?: (?:that|to hear)[^,.!?]{0,120})?`, `(?:my )?apologies`,
		`i apologi[sz]e`, `unfortunately`, `regrettably`, `(?:i'm|i am) afraid`, `however`, `but`, `honestly`,
		`as an ai(?: language model| assistant| model)?(?: (?:developed|created|made|trained) by [a-z]+)?`,
		`(?:while|although|though) [^,.!?]{1,120}`, `i (?:understand|appreciate|hear|see|get|recognize|know)[^,.!?]{0,120}`,
		`thank you for [^,.!?]{0,80}`, `thanks for [^,.!?]{0,80}`,
	}, latinSep,
		`i(?: really| simply| just| absolutely| unfortunately| definitely| certainly)?`+
			alt(` can't`, ` cannot`, ` can not`, ` won't`, ` will not`, ` couldn't`, ` could not`, `(?:'m| am) unable to`,
				`(?:'m| am) not able to`, `(?:'m| am) not going to`, ` won't be able to`, ` will not be able to`, ` won't be`, ` will not be`,
				` wouldn't be able to`, `(?:'m| am) not allowed to`, `(?:'m| am) not permitted to`, `(?:'m| am) not willing to`,
				` must decline to`, ` have to decline to`, ` must refuse to`, ` refuse to`, ` do not`, ` don't`, `'d rather not`,
				` would rather not`, `(?:'m| am) not comfortable`, ` don't feel comfortable`, ` do not feel comfortable`,
				`(?:'m| am) not in a position to`)+
			`(?: and (?:won't|will not))?(?: in good conscience| ethically| legally| responsibly)? `+
			alt(`help`, `assist`, `provide`, `comply`, `fulfill`, `fulfil`, `create`, `generate`, `write`, `produce`, `share`,
				`engage`, `participate`, `support`, `condone`, `encourage`, `promote`, `facilitate`, `endorse`, `offer`, `give`,
				`answer`, `respond to`, `satisfy`, `suggest`, `continue`, `proceed`, `complete`, `draft`, `compose`, `make`, `build`, `develop`,
				`design`, `explain how`, `tell you how`, `describe how`, `helping`, `assisting`, `providing`, `writing`,
				`creating`, `generating`, `sharing`, `giving`, `engaging`, `producing`, `do (?:that|this|it|so|what)`)+`\b`,
		`i(?:'m| am) (?:just )?an ai(?: language model| assistant| model)?(?:,| and)(?: i)? (?:do not|don't|cannot|can't|will not|won't) (?:condone|promote|support|encourage|endorse|provide|help|assist|generate|create|write|have the (?:ability|capability) to (?:provide|help|assist|generate|create|write|produce))\b`,
		`it(?:'s| is) (?:not|never) (?:appropriate|ethical|safe|acceptable|okay|ok|responsible|right)(?: (?:or|and) (?:appropriate|ethical|safe|legal|respectful|responsible))? (?:for me )?to (?:provide|give|share|offer|suggest|encourage|discuss|promote|help|assist|answer|make (?:jokes|comments|assumptions|a blanket statement|such)|create|write|generate)\b`,
		`i (?:don't|do not) think it(?:'s| is| would be) (?:appropriate|ethical|right|okay|ok|responsible)(?: (?:or|and) (?:appropriate|ethical|safe|legal|respectful|responsible|fair|accurate))? (?:for me )?to (?:provide|give|share|offer|suggest|encourage|discuss|promote|help|assist|answer|say|make|deny|create|write|generate)\b`,
		`(?:that|this|it)(?:'s| is)(?: request)?(?: is)? not something i(?: can|'m able to| am able to| will|'m going to| am going to)`,
		`(?:that|this|it)(?:'s| is) (?:something|a request) i (?:can't|cannot|won't|will not|'m not able to|am not able to|'m unable to|am unable to)`,
		`i(?: must| have to| need to|'ll have to| will have to|'m going to have to| am going to have to)? (?:respectfully |politely )?(?:decline|refuse)\b`,
		`(?:unable|not able) to (?:help|assist|comply|provide|fulfill)\b`,
		`i(?:'m| am) going to (?:have to )?(?:pass|decline|refuse)\b`,
	),
	`(?:can't|cannot|can not|couldn't|could not) help (?:but|it|thinking|feeling|wondering|noticing|laughing|smiling)\b|tell you how (?:much|happy|glad|grateful|excited|sorry|many|often|important)\b`+
		`|\b(?:definitive|definitively|with certainty|for certain|for sure|real-time|realtime|live data|up-to-date|browse|the internet|personal (?:opinions?|experiences?|feelings?|preferences?|beliefs?))\b`,
	`\b(?:but|however|though|instead)\b[^.!?]{0,60}?\b(?:here(?:'s| is| are)|below|i can (?:tell|explain|give|share|provide|offer|outline|describe|walk|show|point|suggest|summarize|help you understand)|i'd be (?:happy|glad) to (?:explain|tell|give|share|provide|help you understand|discuss|walk|outline|describe|offer)|i'm (?:happy|glad) to (?:explain|tell|give|share|provide|discuss|walk|outline|describe|offer)|let me|the (?:general|basic) (?:idea|steps|approach))\b`,
)

var spanish = compileLang("es", scriptLatin, []string{"no ", "niego", "negarme", "rechaz", "declin"},
	anchored([]string{
		`lo siento(?: mucho)?`, `lo lamento(?: mucho)?`, `lamentablemente`, `desafortunadamente`, `por desgracia`,
		`disculpa`, `disculpe`, `disculpas`, `perdón`, `perdona`, `perdone`, `me temo que`, `lamento (?:decirte|decirle) que`,
		`sin embargo`, `pero`, `no`, `aunque [^,.!?]{1,120}`, `(?:entiendo|comprendo|aprecio)[^,.!?]{0,120}`,
		`como (?:un )?(?:modelo de lenguaje|ia|asistente)[^,.!?]{0,40}`,
	}, latinSep,
		`(?:yo )?no (?:te |le |les |os |lo |la )?`+
			alt(`puedo`, `podré`, `podría`, `voy a`, `estoy en (?:condiciones|posición|capacidad) de`, `soy capaz de`,
				`me es posible`, `es posible`, `tengo permitido`, `estoy autorizad[oa] a`, `debo`)+
			`(?: de ninguna (?:manera|forma))? (?:te |le |les |lo |la )?`+
			alt(`(?:ayudar|asistir|proporcionar|facilitar|brindar|dar|ofrecer|cumplir|complacer|atender|satisfacer|crear|generar|escribir|redactar|producir|compartir|participar|apoyar|colaborar|contribuir|elaborar|continuar|seguir)(?:te|le|les|lo|la|os)?(?:$|[ ,;:])`,
				`responder (?:a )?(?:eso|esto|esa|esta|tu|su)`, `hacer (?:eso|esto|lo que)`, `realizar (?:eso|esto|esa|esta|lo que)`,
				`explicar(?:te|le)? cómo`, `decir(?:te|le) cómo`),
		`(?:lamento|siento) no poder`, `me (?:niego|veo obligad[oa] a negarme) a`,
		`(?:debo|tengo que) (?:rechazar|declinar|negarme)`, `(?:eso|esto) no es algo (?:(?:en|con) )?(?:lo )?que (?:pueda|puedo)`, `prefiero no (?:ayudar|proporcionar|escribir|redactar|crear|generar|compartir|participar|dar|hacer)`,
	),
	`no (?:puedo|podría) (?:dejar de|evitar)|definitiva|con certeza|con seguridad|en tiempo real|actualizad[oa]s?|navegar|internet|opiniones personales|sentimientos`,
	`(?:pero|sin embargo|aunque)[^.!?]{0,60}?(?:aquí|a continuación|(?:te|le) puedo (?:dar|explicar|contar|ofrecer|dejar|compartir)|puedo (?:darte|darle|explicarte|explicarle|ofrecerte|ofrecerle|contarte|compartir|explicar|dar|ofrecer|sugerir|indicarte|mostrarte|orientarte)|sí (?:te )?puedo|te dejo|con gusto te|encantad[oa] de)`,
)

var french = compileLang("fr", scriptLatin, []string{"ne ", "n'", "impossible", "refus", "déclin"},
	anchored([]string{
		`désolée?`, `je suis (?:vraiment |sincèrement |profondément )?désolée?`, `navrée?`, `je regrette`, `malheureusement`,
		`hélas`, `pardon`, `excusez-moi`, `toutes mes excuses`, `cependant`, `toutefois`, `mais`, `non`,
		`bien que [^,.!?]{1,120}`, `je comprends[^,.!?]{0,120}`,
		`en tant qu'(?:ia|assistant|intelligence artificielle|modèle de langage)[^,.!?]{0,40}`,
	}, latinSep,
		`(?:je|nous) ne (?:vous |te |t'|lui |leur )?`+
			alt(`peux`, `pourrai`, `pourrais`, `vais`, `puis`, `saurais`, `suis`, `souhaite`)+
			`(?: malheureusement| vraiment| absolument)? pas(?: en mesure d[e'] ?| autorisée? à | capable d[e'] ?| à même d[e'] ?| )`+
			`(?:vous |te |t'|lui |leur |l'|les |y |en )?`+
			alt(`aider`, `assister`, `fournir`, `donner`, `communiquer`, `partager`, `créer`, `générer`, `écrire`, `rédiger`,
				`produire`, `répondre à (?:cette|ta|votre|ce|cela|ça|ces)`, `accéder à (?:cette|ta|votre) (?:demande|requête)`,
				`satisfaire`, `donner suite`, `participer`, `contribuer`, `apporter`, `faire (?:cela|ça|ce que)`, `accomplir`,
				`expliquer comment`, `proposer`, `continuer`, `répondre favorablement`, `traiter cette`, `soutenir`, `cautionner`, `encourager`),
		`il (?:m'est impossible|ne m'est pas possible) d`,
		`je (?:dois|me vois (?:contrainte?|obligée?) de|suis (?:contrainte?|obligée?) de) (?:refuser|décliner)`,
		`je (?:refuse|décline)`,
		`(?:ce n'est|cela n'est|ça n'est) pas (?:quelque chose|une demande) (?:que je (?:peux|puis|suis en mesure de)|à laquelle je (?:peux|puis)|pour laquelle je (?:peux|puis))`,
		`je préf[èé]re(?:rais)? ne pas (?:aider|fournir|donner|partager|créer|générer|écrire|rédiger|produire|répondre|participer)`,
	),
	`ne (?:peux|pourrais|saurais) (?:pas )?(?:m'empêcher|trop|assez)|en temps réel|à jour|définitive|avec certitude|naviguer|internet|opinions? personnelles?|sentiments`,
	`(?:mais|cependant|toutefois|en revanche)[^.!?]{0,60}?(?:voici|ci-dessous|je (?:peux|pourrais) (?:vous |t')?(?:expliquer|donner|proposer|partager|fournir|indiquer|décrire|présenter)|je (?:serais|suis) (?:heureux|heureuse|ravie?) de)`,
)

var german = compileLang("de", scriptLatin, []string{"nicht", "kein", "niemand", "ablehn", "lehne", "gezwungen"},
	anchored([]string{
		`leider`, `es tut mir (?:sehr |wirklich )?leid`, `tut mir (?:sehr |wirklich )?leid`, `entschuldigung`, `entschuldige`,
		`entschuldigen sie`, `verzeihung`, `sorry`, `bedauerlicherweise`, `jedoch`, `allerdings`, `aber`, `nein`,
		`obwohl [^,.!?]{1,120}`, `ich verstehe[^,.!?]{0,120}`, `als (?:ki|sprachmodell|ki-assistent|assistent)[^,.!?]{0,40}`,
	}, latinSep,
		alt(`ich (?:kann|werde|darf|möchte|will)`, `(?:kann|werde|darf|möchte|will) ich`,
			`(?:[^ ,.!?]+ ){1,6}(?:kann|werde|darf|möchte) ich`)+
			`(?: [^ ,.!?]+){0,8}? (?:nicht|keine|keinen|keinem|keiner|keines|niemandem|niemanden|keinesfalls)(?: [^ ,.!?]+){0,8}? `+
			alt(`helfen`, `unterstützen`, `behilflich sein`, `bereitstellen`, `bereit stellen`, `geben`, `liefern`, `erstellen`,
				`schreiben`, `verfassen`, `generieren`, `erzeugen`, `erfüllen`, `nachkommen`, `beantworten`, `anbieten`, `tun`,
				`machen`, `teilen`, `mitteilen`, `ausführen`, `entsprechen`, `weiterhelfen`, `nennen`, `erklären`, `beschreiben`,
				`zur verfügung stellen`, `fortfahren`, `fortsetzen`, `weitermachen`, `weitergeben`, `herausgeben`, `preisgeben`, `teilnehmen`, `produzieren`, `mitwirken`)+`(?:$|[ ,;:])`,
		`ich bin (?:leider )?nicht (?:in der lage|befugt|berechtigt|bereit|imstande)`,
		`ich sehe mich (?:leider )?(?:nicht in der lage|gezwungen)`,
		`ich muss (?:diese anfrage |diese bitte |das |dies )?(?:leider )?ablehnen`,
		`ich lehne (?:es|das|dies|diese anfrage|diese bitte) ab`,
		`das ist (?:leider )?nichts,? (?:wobei|womit|bei dem) ich (?:helfen|behilflich sein) kann`,
	),
	`nicht nur|kaum erwarten|nicht (?:oft )?genug|nicht umhin|in echtzeit|aktuelle|definitive|mit sicherheit|im internet|surfen|persönliche (?:meinung|meinungen|gefühle|erfahrungen)`,
	`(?:aber|jedoch|allerdings|doch)[^.!?]{0,60}?(?:hier (?:ist|sind|finden)|im folgenden|folgende|ich kann (?:dir |ihnen |euch )?(?:erklären|geben|zeigen|beschreiben|erläutern|sagen|nennen|anbieten|vorschlagen)|gerne (?:erkläre|gebe|zeige))`,
)

var portuguese = compileLang("pt", scriptLatin, []string{"não", "recus"},
	anchored([]string{
		`desculpe`, `desculpa`, `desculpas`, `peço desculpas?`, `lamento`, `sinto muito`, `infelizmente`, `receio que`,
		`perdão`, `no entanto`, `porém`, `contudo`, `mas`, `não`, `embora [^,.!?]{1,120}`, `(?:entendo|compreendo)[^,.!?]{0,120}`,
		`como (?:um )?(?:modelo de linguagem|ia|assistente)[^,.!?]{0,40}`,
	}, latinSep,
		`(?:eu )?não (?:te |lhe |o |a )?`+
			alt(`posso`, `poderei`, `poderia`, `consigo`, `conseguirei`, `vou`, `sou capaz de`, `estou autorizad[oa] a`,
				`tenho permissão para`, `me é possível`, `é possível para mim`, `estou em (?:condições|posição) de`, `devo`)+
			`(?: de forma alguma)? (?:te |lhe |o |a )?`+
			alt(`ajud(?:ar|á-l[oa]s?)`, `auxiliar`, `assistir`, `fornecer`, `dar`, `oferecer`, `prestar`, `atender`, `cumprir`,
				`criar`, `gerar`, `escrever`, `redigir`, `produzir`, `compartilhar`, `partilhar`, `participar`, `apoiar`, `colaborar`,
				`contribuir`, `elaborar`, `explicar como`, `continuar`, `realizar (?:isso|isto|essa|esta|o que)`,
				`fazer (?:isso|isto|o que)`, `responder (?:a )?(?:isso|isto|essa|esta|sua|tua)`)+`(?:-lhe|-te|-lo|-la)?(?:$|[ ,;:])`,
		`lamento não poder`, `(?:me )?recuso a`, `recuso-me a`, `(?:devo|tenho que|preciso) recusar`,
		`isso não é algo (?:com (?:o )?que|em que|que) eu possa`, `prefiro não (?:ajudar|fornecer|escrever|redigir|criar|gerar|compartilhar|participar|dar|fazer)`,
	),
	`não (?:posso|poderia|consigo) deixar de|em tempo real|atualizad[oa]s?|definitiva|com certeza|navegar|internet|opiniões pessoais|sentimentos`,
	`(?:mas|porém|no entanto|contudo|entretanto)[^.!?]{0,60}?(?:aqui (?:está|estão|vai|vão)|a seguir|abaixo|posso (?:te |lhe )?(?:dar|explicar|oferecer|sugerir|compartilhar|fornecer|indicar|mostrar)|(?:ficarei|fico) feliz em)`,
)

var russian = compileLang("ru", scriptCyrillic, []string{"не ", "отказ", "отклон"},
	anchored([]string{
		`извините`, `простите`, `прошу прощения`, `приношу (?:свои )?извинения`, `к сожалению`, `увы`, `мне (?:очень )?жаль`,
		`сожалею`, `однако`, `но`, `нет`, `хотя [^,.!?]{1,120}`, `я понимаю[^,.!?]{0,120}`,
		`как (?:ии|языковая модель|ассистент|искусственный интеллект)[^,.!?]{0,40}`,
	}, latinSep,
		`(?:я )?(?:к сожалению,? )?не `+
			alt(`могу`, `смогу`, `буду`, `стану`, `в состоянии`, `имею права`, `вправе`, `готов`, `готова`, `собираюсь`)+
			`(?: (?:вам|тебе|в этом|с этим|этого|это|здесь|никак))* `+
			alt(`помочь`, `помогать`, `содействовать`, `предоставить`, `предоставлять`, `дать`, `давать`, `выполнить`, `выполнять`,
				`создать`, `создавать`, `написать`, `писать`, `сгенерировать`, `генерировать`, `поделиться`, `делиться`,
				`участвовать`, `поддержать`, `поддерживать`, `сделать (?:это|этого|то)`, `ответить на (?:этот|такой|данный|ваш|твой|это)`,
				`предложить`, `составить`, `оказывать`, `оказать`, `сообщить`, `раскрыть`, `рассказать`, `рассказать,? как`, `объяснить,? как`, `продолжить`, `обсуждать`),
		`(?:я )?не (?:в состоянии|имею права|вправе)`,
		`(?:я )?(?:предпоч[её]л[а]? бы|предпочту) не (?:писать|помогать|создавать|давать|делиться|участвовать|отвечать)`,
		`[^.!?]{0,60}? (?:помочь|предоставить|дать|выполнить|создать|написать|сгенерировать|поделиться|сообщить|рассказать|ответить|сделать) не (?:могу|смогу|буду|стану)`,
		`(?:я )?(?:вынужден[а]?|должен|должна) (?:отказать|отказаться|отклонить)`, `я отказываюсь`,
		`это не то,? (?:с чем|в чём|чем) я (?:могу|смогу) помочь`,
	),
	`не могу не |не могу не$|не могу передать|не могу дождаться|в реальном времени|актуальн|окончательн|с уверенностью|интернет|личн(?:ого|ых|ое|ые) (?:мнени|чувств|опыт)`,
	`(?:но|однако|зато)[^.!?]{0,60}?(?:вот|ниже|могу (?:вам |тебе )?(?:рассказать|объяснить|дать|предложить|поделиться|описать|подсказать)|(?:буду )?рад[а]? (?:рассказать|объяснить|помочь разобраться))`,
)
