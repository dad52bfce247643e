package feature

import (
	"math/bits"
	"strings"
)

// Cue words: hand-made lists of words that say what a request needs, in
// the nine languages the classifier detects (and a few more). Each list
// pools many words that are rare in any one training source — "lsblk",
// "heredoc", "sonnet", "整数" — into one feature, so a word the training
// data saw once still counts, and the model learns how much a cue weighs
// from every source at once. A word may be in several lists.

// The cue classes, one bit each.
const (
	cueCode = iota
	cueMath
	cueCreative
	cueSummary
	cueExtract
	cueSocial
	cueAsk
	cueNumber
	numCues
)

// cueNames names the cue classes in structural features.
var cueNames = [numCues]string{"code", "math", "creative", "summary", "extract", "social", "ask", "number"}

// cueLists holds the words of each cue class. Words are matched after
// folding (lowercase ASCII, Latin-1 and Cyrillic); a two-ideograph word
// (故事) matches as a bigram.
var cueLists = [numCues]string{
	cueCode: `code coding coder program programming programmer script scripts function functions method methods class
		classes variable variables compile compiler compiled debug debugging bug bugs error errors exception
		exceptions stacktrace traceback segfault runtime syntax api apis sdk endpoint endpoints json yaml xml csv
		regex regexp sql query queries database schema python javascript typescript java kotlin swift golang rust
		ruby php perl scala haskell lua bash shell powershell zsh cmd html css js jsx tsx react vue angular svelte
		node nodejs npm pip conda django flask fastapi spring dotnet csharp cpp matlab verilog vhdl assembly
		dockerfile docker kubernetes k8s helm terraform ansible nginx apache linux unix ubuntu debian windows macos
		git github gitlab commit branch merge rebase repo repository ci cd pipeline deploy deployment server backend
		frontend framework library libraries package packages module modules import dependency dependencies install
		build makefile cmake gradle maven webpack vite async await thread threads mutex goroutine callback promise
		lambda closure recursion recursive array arrays dict dictionary hashmap hash struct structs pointer pointers
		integer int string strings boolean bool float null nil undefined loop loops iterate iterator refactor
		unittest pytest jest test tests algorithm algorithms complexity leetcode implement implementation snippet
		lsblk grep sed awk curl ssh heredoc cron systemd kernel driver firmware arduino raspberry microcontroller
		gpu cuda pytorch tensorflow numpy pandas dataframe sklearn opencv llm prompt token tokenizer http https rest
		graphql websocket oauth jwt cli gui ide vscode vim emacs excel vba formula macro spreadsheet latex css3
		html5 fltk qt gtk unity unreal godot opengl vulkan shader 代码 函数 编程 程序 脚本 算法 数组 变量 関数 代碼 程式 código función
		programa programación código função programação fonction programme programmation funktion programmieren
		programm quellcode skript код функция функцию программа программу скрипт кода
		برنامج البرنامج دالة الدالة كود بايثون جافا سكريبت خطأ
		codice funzione programma 코드 함수 hàm κώδικα κώδικας πρόγραμμα συνάρτηση कोड प्रोग्राम फ़ंक्शन kod fonksiyon
		funkcję funkcja kode fungsi functie programma програму функцію`,
	cueMath: `calculate calculation compute solve solving solution equation equations inequality integral integrals
		derivative derivatives differentiate integrate limit limits matrix matrices vector vectors eigenvalue
		probability probabilities expected variance deviation mean median mode average sum product quotient fraction
		fractions percent percentage ratio proportion prime primes factor factors factorial divisible remainder
		modulo sqrt square cube root roots logarithm log exponent exponential polynomial quadratic linear geometry
		triangle circle radius diameter area perimeter volume angle angles degrees theorem proof prove lemma
		induction combinatorics permutations combinations arithmetic algebra calculus trigonometry sin cos tan
		hypotenuse velocity acceleration speed distance km mph meters miles hours minutes dollars cents cost costs
		price profit discount interest rate total altogether remaining remain left twice half thrice triple double
		many much puzzle riddle logic logical deduce deduction infer estimate estimation 计算 求 方程 概率 证明 几何 面积 体积 多少 几
		個 数学 計算 確率 証明 calcula calcular ecuación probabilidad cuántos cuántas calculer équation probabilité
		combien berechne berechnen gleichung wahrscheinlichkeit wie viele calcule equação quantos quantas вычисли
		вычислить посчитай реши решить уравнение вероятность сколько докажи
		كم ثمن سرعة احسب معادلة therefore conclude conclusion premise premises logically valid syllogism implies
		calcola quanti quante equazione probabilità 계산 확률 tính υπολόγισε πόσα πόσοι πόσες εξίσωση गणना कितने कितना
		समीकरण hesapla kaç denklem olasılık oblicz równanie prawdopodobieństwo hitung berapa persamaan bereken
		hoeveel vergelijking обчисли скільки рівняння`,
	cueCreative: `poem poems poetry poet verse verses stanza sonnet haiku limerick ballad ode rhyme rhymes rhyming story
		stories tale tales fable fairy fiction fictional novel novella narrative narrate plot character characters
		protagonist villain hero heroine scene scenes screenplay script scriptwriting dialogue dialog monologue
		sketch comedy joke jokes pun puns song songs lyrics lyric rap chorus melody slogan tagline jingle ad advert
		advertisement commercial copywriting blurb caption captions tweet imagine imaginative creative invent
		fantasy scifi dragon wizard adventure roleplay rp persona worldbuilding lore saga epic myth legend bedtime
		essay speech toast eulogy letter greeting card wedding birthday names brainstorm ideas 诗 诗歌 故事 小说 歌词 剧本 作文
		诗句 对联 笑话 俳句 物語 小説 歌詞 詩 poema poemas cuento historia relato canción letra poème poésie histoire conte chanson
		récit gedicht geschichte märchen erzählung lied liedtext poesia conto história canção letra стихотворение
		стих стихи рассказ сказку сказка история песню песня сценарий шутку قصيدة قصة شعر thơ truyện
		poesia poesie racconto filastrocca canzone 소설 가사 동화 노래 시조 thơ truyện ποίημα ποιήματα παραμύθι τραγούδι
		διήγημα στίχους कविता कहानी गीत şiir hikaye masal öykü şarkı wiersz opowiadanie bajkę bajka piosenkę
		opowieść puisi cerita cerpen pantun dongeng gedicht verhaal sprookje liedje вірш казку оповідання пісню`,
	cueSummary: `summarize summarise summary summaries summarizing summarization tldr recap condense shorten abstract
		synopsis overview gist digest outline brief briefly concise concisely takeaways highlights bullet 总结 概括 摘要
		归纳 要約 要点 resume resumen resumir resuma résumé résumer résume resümee zusammenfassen zusammenfassung
		fasse resumo resumir резюме резюмируй кратко перескажи суммируй تلخيص لخص
		riassumi riassunto sintesi 요약 tóm περίληψη συνόψισε सारांश özetle özet streść streszczenie podsumuj
		ringkas ringkasan rangkum samenvatting підсумуй стисло`,
	cueExtract: `extract extraction parse parsing fields field entity entities ner json csv table tabular columns column rows
		row record records key value keys values structured structure format formatted classify classification
		categorize categorise label labels tag tags sentiment identify detect pull invoice receipt resume cv form
		date dates email emails phone phones address addresses names amount amounts 提取 抽取 实体 字段 表格 抽出 項目 extrae
		extraer extraiga extrais extraire extrahiere extrahieren extraia extrair извлеки извлечь استخرج
		liste auflisten aufzählen выпиши перечисли 挙げ enumera enumere listar liste
		estrai estrarre 추출 trích εξάγαγε निकालें çıkar wyodrębnij ekstrak extraheer витягни`,
	cueSocial: `hi hello hey hiya howdy yo greetings thanks thank thx ty cheers bye goodbye goodnight morning evening lol
		haha hahaha lmao omg wow cool nice awesome great sad happy lonely bored tired stressed anxious upset angry
		feel feeling feelings mood love hate miss friend friends buddy pal chat talk yourself ur sorry weekend joke
		favorite favourite 你好 谢谢 哈哈 再见 hola gracias adiós bonjour merci salut hallo danke tschüss olá obrigado
		obrigada привет спасибо пока مرحبا شكرا
		ciao grazie 안녕 chào γεια ευχαριστώ नमस्ते धन्यवाद merhaba teşekkürler selam cześć dzięki dziękuję halo
		makasih hoi bedankt привіт дякую`,
	cueAsk: `who what when where which why whom whose how define definition meaning explain tell describe history capital
		founded invented discovered located population born died president country city largest smallest tallest
		longest first oldest difference between 谁 什么 哪里 哪个 什么 何 誰 どこ なぜ いつ quién qué cuándo dónde cuál por qui quoi
		quand où quel quelle pourquoi wer wann wo welche warum quem quando onde qual por кто что когда где какой
		почему ما متى أين لماذا
		chi cosa quando dove perché quale 누구 언제 어디 무엇 왜 gì đâu ποιος ποια τι πότε πού γιατί कौन क्या कब कहाँ
		क्यों nerede neden hangi kto kiedy gdzie dlaczego siapa kapan dimana mengapa wie wat wanneer waar waarom хто
		що коли де чому`,
	cueNumber: `two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty
		sixty seventy eighty ninety hundred hundreds thousand thousands million dozen twice thrice half double
		triple quarter dos tres cuatro cinco seis siete ocho nueve diez cien mil doble mitad deux trois quatre
		cinq sept huit neuf dix cent mille moitié zwei drei vier fünf sechs sieben acht neun zehn hundert tausend
		doppelt hälfte dois duas três quatro sete oito nove dez cem metade два две три четыре пять шесть семь
		восемь девять десять сто тысяча половина вдвое 两 三 四 五 六 七 八 九 十 百 千 万 倍 一半`,
}

const cueTableBits = 12

type cueEntry struct {
	hash uint32
	mask uint8 // bit per cue class
}

// cueTable is an open-addressing hash table of cue-word hashes (unigram
// hashes, or bigram hashes for two-ideograph words); a zero hash marks an
// empty slot. cueSkipped counts list entries that are neither one token
// nor two ideographs (a test keeps it at zero).
var cueTable, cueSkipped = func() (t [1 << cueTableBits]cueEntry, skipped int) {
	for k, list := range cueLists {
		for _, word := range strings.Fields(list) {
			h, ok := cueHash(word)
			if !ok {
				skipped++
				continue
			}
			i := h * mixConst >> (32 - cueTableBits)
			for t[i].hash != 0 && t[i].hash != h {
				i = (i + 1) & (1<<cueTableBits - 1)
			}
			t[i].hash = h
			t[i].mask |= 1 << k
		}
	}
	return t, skipped
}()

// cueHash returns the key a cue word is matched by: its cueKey if it is one
// token, the bigram hash of its two tokens if they are ideographs.
func cueHash(word string) (uint32, bool) {
	var st textStats
	ws := wordScanner{s: word, end: len(word), stats: &st}
	var toks [3]uint32
	var ideo [3]bool
	n := 0
	for n < len(toks) {
		h, id, ok := ws.next(nsSeed[nsWord])
		if !ok {
			break
		}
		toks[n], ideo[n] = cueKey(h, ws.bag), id
		n++
	}
	switch {
	case n == 1:
		return toks[0], true
	case n == 2 && ideo[0] && ideo[1]:
		return combine(toks[0], toks[1]), true
	}
	return 0, false
}

// cueKey returns the key a word is looked up by in the cue table: its
// letter-bag key if it has one (a long ASCII word: found with two letters
// swapped), else its word hash.
func cueKey(h, bag uint32) uint32 {
	if bag != 0 {
		return bag
	}
	return h
}

// cueMask returns the cue classes of a cue key or bigram hash.
func cueMask(h uint32) uint8 {
	i := h * mixConst >> (32 - cueTableBits)
	for {
		e := &cueTable[i]
		if e.hash == h {
			return e.mask
		}
		if e.hash == 0 {
			return 0
		}
		i = (i + 1) & (1<<cueTableBits - 1)
	}
}

// cueCounts counts the cue words of the main text, in all of it and in its
// first line (where the instruction usually is).
type cueCounts struct {
	all   [numCues]uint16
	first [numCues]bool
}

// add counts the cue classes of mask.
func (c *cueCounts) add(mask uint8, firstLine bool) {
	for mask != 0 {
		k := bits.TrailingZeros8(mask)
		mask &= mask - 1
		c.all[k]++
		if firstLine {
			c.first[k] = true
		}
	}
}

// cueFeatureHashes caches the structural feature hashes of the cue
// counts: [class][count bucket] and, last, [class][numCueBuckets] for a cue
// in the first line.
const numCueBuckets = 4

var cueFeatureHashes = func() (h [numCues][numCueBuckets + 1]uint32) {
	for k, name := range cueNames {
		for b := 1; b < numCueBuckets; b++ {
			h[k][b] = structHash("cue:"+name, b)
		}
		h[k][numCueBuckets] = structHash("cue1:"+name, 1)
	}
	return h
}()

// pushCues adds the cue features: per class, a bucket of its count (1, 2-3,
// 4+) and whether one is in the first line.
func (x *Extractor) pushCues() {
	for k := range numCues {
		if n := int(x.cues.all[k]); n > 0 {
			x.push(NSStruct, cueFeatureHashes[k][bucket(n, numCueBuckets-1)])
		}
		if x.cues.first[k] {
			x.push(NSStruct, cueFeatureHashes[k][numCueBuckets])
		}
	}
}
