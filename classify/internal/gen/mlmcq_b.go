package main

// The multiple-choice questions of mlmcq.go: German, Portuguese, Russian,
// Arabic, and Italian, Korean and Turkish (not detected). Written here.

var mlmcqLangsB = []mlmcqLang{
	{ // German
		questions: []mcq{
			{"Welcher Fluss fließt durch Wien?", q4{"Rhein", "Elbe", "Donau", "Main"}},
			{"Wer formulierte die Relativitätstheorie?", q4{"Max Planck", "Albert Einstein", "Niels Bohr", "Werner Heisenberg"}},
		},
		fills: []mcq{
			{"Die Weimarer Republik wurde ausgerufen im Jahr", q4{"1871", "1918", "1933", "1949"}},
			{"Das Grundgesetz der Bundesrepublik Deutschland trat in Kraft im Jahr", q4{"1945", "1949", "1961", "1990"}},
			{"Das kleinste Teilchen eines chemischen Elements, das dessen Eigenschaften behält, ist das", q4{"Molekül", "Atom", "Elektron", "Ion"}},
			{"Ein Vertrag kommt zustande durch", q4{"Angebot und Annahme", "einseitige Erklärung", "Eintragung ins Grundbuch", "notarielle Beglaubigung allein"}},
		},
		compute: []mcq{
			{"Ein Rechteck ist 8 cm lang und 5 cm breit. Sein Flächeninhalt beträgt", q4{"13 cm²", "26 cm²", "40 cm²", "45 cm²"}},
			{"Wie viel sind 3/4 von 60?", q4{"40", "45", "48", "50"}},
		},
		answer:    []string{"Antwort:", "Lösung:"},
		preambles: []string{"Beantworte die folgende Multiple-Choice-Frage.", "Wähle die richtige Antwort."},
	},
	{ // Portuguese
		questions: []mcq{
			{"Qual é a capital do Brasil?", q4{"Rio de Janeiro", "São Paulo", "Brasília", "Salvador"}},
			{"Quem escreveu «Os Lusíadas»?", q4{"Fernando Pessoa", "Luís de Camões", "Eça de Queirós", "Machado de Assis"}},
		},
		fills: []mcq{
			{"A independência do Brasil foi proclamada em", q4{"1500", "1808", "1822", "1889"}},
			{"O principal gás liberado na fotossíntese é o", q4{"gás carbônico", "oxigênio", "nitrogênio", "metano"}},
			{"Na tabela periódica, o sódio pertence ao grupo dos", q4{"gases nobres", "halogênios", "metais alcalinos", "metais de transição"}},
			{"O órgão responsável pela filtração do sangue é o", q4{"fígado", "rim", "estômago", "pulmão"}},
		},
		compute: []mcq{
			{"Se 4 cadernos custam 18 reais, quanto custam 10 cadernos?", q4{"40 reais", "42 reais", "45 reais", "48 reais"}},
		},
		answer:    []string{"Resposta:", "Alternativa correta:"},
		preambles: []string{"Responda à questão de múltipla escolha a seguir.", "Assinale a alternativa correta."},
	},
	{ // Russian
		questions: []mcq{
			{"Какая река самая длинная в Европе?", q4{"Дунай", "Волга", "Днепр", "Урал"}},
			{"Кто написал роман «Преступление и наказание»?", q4{"Лев Толстой", "Фёдор Достоевский", "Иван Тургенев", "Антон Чехов"}},
		},
		fills: []mcq{
			{"Крепостное право в России было отменено в", q4{"1812 году", "1861 году", "1905 году", "1917 году"}},
			{"Единицей измерения силы в системе СИ является", q4{"джоуль", "ватт", "ньютон", "паскаль"}},
			{"Основным законом Российской Федерации является", q4{"Гражданский кодекс", "Конституция", "Федеральный закон о правительстве", "Указ президента"}},
			{"К хвойным деревьям относится", q4{"берёза", "дуб", "сосна", "клён"}},
		},
		compute: []mcq{
			{"Поезд прошёл 240 км за 3 часа. Его средняя скорость равна", q4{"60 км/ч", "70 км/ч", "80 км/ч", "90 км/ч"}},
		},
		answer:    []string{"Ответ:", "Правильный ответ:"},
		preambles: []string{"Ответьте на вопрос с выбором ответа.", "Выберите правильный вариант."},
	},
	{ // Arabic
		questions: []mcq{
			{"ما هي عاصمة المغرب؟", q4{"الدار البيضاء", "الرباط", "مراكش", "فاس"}},
			{"من هو مؤلف كتاب المقدمة؟", q4{"ابن سينا", "ابن خلدون", "الفارابي", "ابن رشد"}},
		},
		fills: []mcq{
			{"أكبر كوكب في المجموعة الشمسية هو", q4{"زحل", "المشتري", "نبتون", "الأرض"}},
			{"يتكون جزيء الماء من ذرتي هيدروجين وذرة", q4{"كربون", "نيتروجين", "أكسجين", "كبريت"}},
			{"العضو المسؤول عن ضخ الدم في جسم الإنسان هو", q4{"الرئة", "الكبد", "القلب", "الكلية"}},
		},
		compute: []mcq{
			{"إذا كان ثمن ثلاثة أقلام 12 ريالاً، فما ثمن سبعة أقلام؟", q4{"21 ريالاً", "24 ريالاً", "28 ريالاً", "35 ريالاً"}},
		},
		answer:    []string{"الإجابة:", "الجواب:"},
		preambles: []string{"أجب عن سؤال الاختيار من متعدد التالي.", "اختر الإجابة الصحيحة."},
	},
	{ // Italian
		questions: []mcq{
			{"Chi ha scritto la Divina Commedia?", q4{"Petrarca", "Boccaccio", "Dante Alighieri", "Manzoni"}},
		},
		fills: []mcq{
			{"L'unità d'Italia fu proclamata nel", q4{"1848", "1861", "1870", "1918"}},
			{"Il vulcano attivo più alto d'Europa è", q4{"il Vesuvio", "lo Stromboli", "l'Etna", "il Vulcano"}},
		},
		answer: []string{"Risposta:"},
	},
	{ // Korean
		questions: []mcq{
			{"조선을 건국한 사람은 누구인가?", q4{"왕건", "이성계", "세종", "광개토대왕"}},
		},
		fills: []mcq{
			{"다음 중 포유류에 속하는 것은", q4{"상어", "돌고래", "개구리", "독수리"}},
			{"빛의 삼원색에 해당하지 않는 것은", q4{"빨강", "초록", "파랑", "노랑"}},
		},
		answer: []string{"정답:"},
	},
	{ // Turkish
		questions: []mcq{
			{"Türkiye Cumhuriyeti hangi yıl ilan edilmiştir?", q4{"1919", "1920", "1923", "1938"}},
		},
		fills: []mcq{
			{"Güneş sistemindeki en küçük gezegen", q4{"Mars", "Merkür", "Venüs", "Plüton"}},
			{"İnsan vücudunda kanı temizleyen organ", q4{"kalp", "böbrek", "mide", "akciğer"}},
		},
		answer: []string{"Cevap:"},
	},
}
