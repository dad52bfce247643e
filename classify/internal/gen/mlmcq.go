package main

import (
	"fmt"
	"strings"
)

// Multiple-choice questions in other languages, the shape of exams in
// Chinese, Japanese, Spanish, French, German, Portuguese, Russian, Arabic and
// a few languages the classifier does not detect: a stem, as a question or
// as a statement to complete (no question mark), then options lettered A to
// D, sometimes a closing answer line. Knowledge is factual, a computation
// reasoning; the options' layout carries no class. Written here.

// mlmcqLang holds one language's questions and its exam words.
type mlmcqLang struct {
	questions, fills, compute []mcq
	answer                    []string // closing answer lines ("答案：")
	preambles                 []string // instructions put before the question
}

// mlmcqLayouts lay out a stem and its options, language-independently.
var mlmcqLayouts = []func(q string, o [4]string) string{
	func(q string, o [4]string) string {
		return fmt.Sprintf("%s\nA. %s\nB. %s\nC. %s\nD. %s", q, o[0], o[1], o[2], o[3])
	},
	func(q string, o [4]string) string {
		return fmt.Sprintf("%s\nA) %s\nB) %s\nC) %s\nD) %s", q, o[0], o[1], o[2], o[3])
	},
	func(q string, o [4]string) string {
		return fmt.Sprintf("%s\n(A) %s\n(B) %s\n(C) %s\n(D) %s", q, o[0], o[1], o[2], o[3])
	},
	func(q string, o [4]string) string {
		return fmt.Sprintf("%s (A) %s (B) %s (C) %s (D) %s", q, o[0], o[1], o[2], o[3])
	},
	func(q string, o [4]string) string {
		return fmt.Sprintf("%s\nA.%s  B.%s  C.%s  D.%s", q, o[0], o[1], o[2], o[3])
	},
	func(q string, o [4]string) string {
		return fmt.Sprintf("%s\n\nA. %s\nB. %s\nC. %s\nD. %s", q, o[0], o[1], o[2], o[3])
	},
}

// mlmcqExample draws one question of one kind in a random language.
func mlmcqExample(g *G, items func(l mlmcqLang) []mcq) example {
	for {
		l := mlmcqLangs[g.intn(len(mlmcqLangs))]
		list := items(l)
		if len(list) == 0 {
			continue
		}
		it := list[g.intn(len(list))]
		text := mlmcqLayouts[g.intn(len(mlmcqLayouts))](it.q, it.opts)
		if len(l.preambles) > 0 && g.chance(0.3) {
			text = g.pick(l.preambles) + "\n\n" + text
		}
		if len(l.answer) > 0 && g.chance(0.35) {
			text += "\n" + g.pick(l.answer)
		}
		return example{Text: strings.TrimSpace(text)}
	}
}

func init() {
	register("factual", "mlmcq", 130, func(g *G) example {
		return mlmcqExample(g, func(l mlmcqLang) []mcq { return append(append([]mcq{}, l.questions...), l.fills...) })
	})
	register("reasoning", "mlmcq", 30, func(g *G) example {
		return mlmcqExample(g, func(l mlmcqLang) []mcq { return l.compute })
	})
}
