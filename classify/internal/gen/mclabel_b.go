package main

// Labeling words in German, Portuguese, Russian and Italian, written here
// (see mclabel.go), and the list of every language's.

var mclLangs = []mclLang{mclEnglish, mclChinese, mclJapanese, mclSpanish, mclFrench, mclGerman, mclPortuguese, mclRussian, mclItalian,
	mclKorean, mclTurkish, mclDutch, mclPolish, mclIndonesian, mclVietnamese}

var mclGerman = mclLang{
	asks: map[string][]string{
		"sentiment": {"Bestimme die Stimmung dieser {k}.", "Ist die {k} positiv oder negativ?", "Welche Haltung drückt die {k} aus?"},
		"topic":     {"Zu welcher Rubrik gehört diese {k}?", "Ordne die {k} einem Thema zu."},
		"intent":    {"Ordne die folgende {k} einer Kategorie zu.", "Was möchte der Kunde mit dieser {k}?"},
		"emotion":   {"Welches Gefühl zeigt diese {k}?", "Welche Emotion steckt in der {k}?"},
	},
	labels: map[string][][]string{
		"sentiment": {{"positiv", "negativ", "neutral"}, {"gut", "schlecht"}},
		"topic":     {{"Politik", "Wirtschaft", "Sport", "Technik"}, {"Gesundheit", "Kultur", "Wissenschaft"}},
		"intent":    {{"Rechnung", "Technik", "Versand", "Konto"}, {"Rückerstattung", "Frage", "Beschwerde"}},
		"emotion":   {{"Freude", "Wut", "Trauer", "Angst"}, {"Überraschung", "Erleichterung", "Sorge"}},
	},
	items: []mclItem{
		{"sentiment", "Bewertung", "Der Akku hält kaum einen Tag, sehr enttäuschend."},
		{"sentiment", "Bewertung", "Tolles Essen, freundlicher Service, gerne wieder."},
		{"topic", "Schlagzeile", "Bundestag beschließt neues Heizungsgesetz"},
		{"topic", "Meldung", "Autobauer meldet Rekordgewinn im dritten Quartal"},
		{"intent", "Anfrage", "Meine Rechnung enthält einen Posten, den ich nicht bestellt habe."},
		{"intent", "Nachricht", "Wie kann ich meine Lieferadresse ändern?"},
		{"emotion", "Nachricht", "Wir haben die Wohnung bekommen, ich kann es kaum glauben!"},
		{"emotion", "Äußerung", "Schon wieder hat niemand auf meine Mail geantwortet."},
	},
	quotes: [][2]string{{"„", "“"}, {"»", "«"}, {"Text: ", ""}},
}

var mclPortuguese = mclLang{
	asks: map[string][]string{
		"sentiment": {"Classifique o sentimento da {k} abaixo.", "A {k} é positiva ou negativa?", "Qual é a opinião expressa nesta {k}?"},
		"topic":     {"Qual é a categoria desta {k}?", "Escolha o tema da {k}."},
		"intent":    {"Classifique a {k} do cliente.", "O que o cliente quer nesta {k}?"},
		"emotion":   {"Que emoção esta {k} transmite?", "Identifique a emoção da {k}."},
	},
	labels: map[string][][]string{
		"sentiment": {{"positivo", "negativo", "neutro"}, {"positiva", "negativa"}},
		"topic":     {{"política", "economia", "esportes", "tecnologia"}, {"saúde", "cultura", "ciência"}},
		"intent":    {{"pagamento", "problema técnico", "entrega", "outro"}, {"reembolso", "dúvida", "reclamação"}},
		"emotion":   {{"alegria", "raiva", "tristeza", "medo"}, {"surpresa", "alívio", "preocupação"}},
	},
	items: []mclItem{
		{"sentiment", "avaliação", "Produto excelente, chegou antes do prazo."},
		{"sentiment", "avaliação", "Atendimento demorado e ninguém resolveu meu problema."},
		{"topic", "notícia", "Senado aprova novo marco do saneamento"},
		{"topic", "manchete", "Seleção vence de virada e vai à final"},
		{"intent", "mensagem", "O aplicativo trava toda vez que abro a câmera."},
		{"intent", "solicitação", "Fui cobrado duas vezes no cartão este mês."},
		{"emotion", "postagem", "Passei no vestibular, nem acredito!"},
		{"emotion", "frase", "Perdi o último ônibus e vou ter que andar uma hora."},
	},
	quotes: [][2]string{{"“", "”"}, {`"`, `"`}, {"Texto: ", ""}},
}

var mclRussian = mclLang{
	asks: map[string][]string{
		"sentiment": {"Определите тональность текста.", "Это положительный или отрицательный {k}?", "Какое мнение выражает автор?"},
		"topic":     {"К какой рубрике относится этот {k}?", "Выберите тему новости."},
		"intent":    {"К какой категории относится это обращение?", "Чего хочет клиент в этом {k}?"},
		"emotion":   {"Какую эмоцию выражает это {k}?", "Определите эмоцию автора."},
	},
	labels: map[string][][]string{
		"sentiment": {{"положительный", "отрицательный", "нейтральный"}, {"позитивный", "негативный"}},
		"topic":     {{"политика", "экономика", "спорт", "технологии"}, {"здоровье", "культура", "наука"}},
		"intent":    {{"оплата", "доставка", "техническая проблема", "другое"}, {"возврат", "вопрос", "жалоба"}},
		"emotion":   {{"радость", "гнев", "грусть", "страх"}, {"удивление", "облегчение", "тревога"}},
	},
	items: []mclItem{
		{"sentiment", "отзыв", "Отличный сервис, всё привезли вовремя."},
		{"sentiment", "отзыв", "Качество так себе, но за эту цену нормально."},
		{"topic", "заголовок", "Центробанк сохранил ключевую ставку"},
		{"topic", "заголовок", "Сборная вышла в полуфинал чемпионата"},
		{"intent", "письме", "Деньги списали дважды, прошу вернуть."},
		{"intent", "сообщении", "Не могу войти в личный кабинет после обновления."},
		{"emotion", "сообщение", "Наконец-то отпуск, завтра улетаем на море!"},
		{"emotion", "высказывание", "Опять сломался лифт, а у меня девятый этаж."},
	},
	quotes: [][2]string{{"«", "»"}, {`"`, `"`}, {"Текст: ", ""}},
}

var mclItalian = mclLang{
	asks: map[string][]string{
		"sentiment": {"Classifica il sentimento di questa {k}.", "La {k} è positiva o negativa?", "Che opinione esprime questa {k}?"},
		"topic":     {"A quale sezione appartiene questa {k}?", "Scegli l'argomento della {k}."},
		"intent":    {"A quale categoria appartiene la {k}?", "Cosa chiede il cliente in questa {k}?"},
		"emotion":   {"Quale emozione esprime questa {k}?", "Indica l'emozione della {k}."},
	},
	labels: map[string][][]string{
		"sentiment": {{"positivo", "negativo", "neutro"}, {"positiva", "negativa"}},
		"topic":     {{"politica", "economia", "sport", "tecnologia"}, {"salute", "cultura", "scienza"}},
		"intent":    {{"fatturazione", "spedizione", "problema tecnico", "altro"}, {"rimborso", "domanda", "reclamo"}},
		"emotion":   {{"gioia", "rabbia", "tristezza", "paura"}, {"sorpresa", "sollievo", "preoccupazione"}},
	},
	items: []mclItem{
		{"sentiment", "recensione", "Camera pulita e colazione ottima, torneremo."},
		{"sentiment", "recensione", "Il pacco è arrivato aperto e mancava un pezzo."},
		{"topic", "notizia", "Il governo approva la manovra di bilancio"},
		{"topic", "notizia", "La squadra di casa vince il derby all'ultimo minuto"},
		{"intent", "richiesta", "Non riesco a scaricare la fattura dal sito."},
		{"intent", "segnalazione", "L'ordine risulta consegnato ma non l'ho ricevuto."},
		{"emotion", "frase", "Ho passato l'esame di guida al primo tentativo!"},
		{"emotion", "email", "Il volo è stato cancellato e nessuno ci dice niente."},
	},
	quotes: [][2]string{{"«", "»"}, {`"`, `"`}, {"Testo: ", ""}},
}
