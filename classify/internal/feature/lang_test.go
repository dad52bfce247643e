package feature

import "testing"

func detect(text string) string {
	var x Extractor
	x.Reset(10, nil)
	x.Run(&Input{Main: text})
	return x.Language()
}

func TestLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"What is the tallest mountain in the world?", "en"},
		{"Please summarize the following article for me.", "en"},
		{"¿Cuál es la capital de Australia?", "es"},
		{"Escribe un poema sobre el mar y la nostalgia", "es"},
		{"Quelle est la différence entre un virus et une bactérie ?", "fr"},
		{"Peux-tu me faire un résumé de cet article ?", "fr"},
		{"Wie hoch ist die Zugspitze und wer hat sie zuerst bestiegen?", "de"},
		{"Fasse den folgenden Text bitte in drei Sätzen zusammen.", "de"},
		{"Qual é a capital do Brasil e quantos habitantes tem?", "pt"},
		{"Você pode resumir este texto para mim?", "pt"},
		{"中国的首都是哪里？", "zh"},
		{"用Python写一个快速排序函数", "zh"},
		{"日本で一番高い山は何ですか？", "ja"},
		{"春をテーマにした俳句を作ってください", "ja"},
		{"Какая самая длинная река в мире?", "ru"},
		{"Напиши стихотворение о зимнем вечере", "ru"},
		{"ما هي عاصمة اليابان؟", "ar"},
		{"اكتب قصيدة عن البحر", "ar"},
		{"한국의 수도는 어디입니까?", ""}, // Korean: not a language we name
		{"def f(x): return x", ""},
		{"", ""},
		{"12345 !!!", ""},
	}
	for _, tt := range tests {
		if got := detect(tt.text); got != tt.want {
			t.Errorf("language(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestStopTableHasEveryWord(t *testing.T) {
	for lang, list := range stopWords {
		var st textStats
		ws := wordScanner{s: list, end: len(list), stats: &st}
		for {
			h, _, ok := ws.next(nsSeed[nsWord])
			if !ok {
				break
			}
			if stopMask(h)&(1<<lang) == 0 {
				t.Errorf("%s: a stop word is missing from the table", latinCodes[lang])
			}
		}
	}
}
