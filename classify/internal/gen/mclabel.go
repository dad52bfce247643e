package main

import (
	"fmt"
	"strings"
)

// Labeling given text in nine languages, often written as multiple choice:
// a review, a message or a headline, an instruction or a question that asks
// for its sentiment, topic, intent or emotion, and the labels offered as
// lettered options, listed inline, or not at all. The answer is a label for
// the given text, so these are extraction, like the English labeling
// examples. The multiple-choice questions (mcq, mlmcq) taught the model that
// lettered options ask a knowledge question; without these, a sentiment task
// with options read as factual in every language but English. Written here:
// instructions, texts and labels are composed per language (mclabel_*.go).

// mclItem is a text to label: the task it suits, the noun for its kind
// ("review") and the text itself.
type mclItem struct{ task, noun, text string }

// mclLang holds one language's labeling words.
type mclLang struct {
	asks   map[string][]string   // instruction templates per task; {k} is the kind's noun
	labels map[string][][]string // label sets per task
	items  []mclItem
	quotes [][2]string // quotation marks around the text
}

// mclabelOptions lays out labels as lettered options in one of four ways.
func mclabelOptions(g *G, labels []string) string {
	var b strings.Builder
	layout := g.intn(4)
	for i, l := range labels {
		letter := string(rune('A' + i))
		switch layout {
		case 0:
			fmt.Fprintf(&b, "\n%s. %s", letter, l)
		case 1:
			fmt.Fprintf(&b, "\n%s) %s", letter, l)
		case 2:
			fmt.Fprintf(&b, " (%s) %s", letter, l)
		default:
			fmt.Fprintf(&b, "\n(%s) %s", letter, l)
		}
	}
	return b.String()
}

// mclabelExample composes one labeling request in one language.
func mclabelExample(g *G) example {
	l := mclLangs[g.intn(len(mclLangs))]
	it := l.items[g.intn(len(l.items))]
	ask := strings.ReplaceAll(g.pick(l.asks[it.task]), "{k}", it.noun)
	sets := l.labels[it.task]
	labels := sets[g.intn(len(sets))]
	q := l.quotes[g.intn(len(l.quotes))]
	text := q[0] + it.text + q[1]
	var opts string
	switch r := g.intn(10); {
	case r < 7:
		opts = mclabelOptions(g, labels)
	case r < 9:
		opts = " (" + strings.Join(labels, ", ") + ")"
	}
	if g.chance(0.6) {
		sep := g.pick([]string{"\n", "\n\n", " "})
		if strings.Contains(opts, "\n") {
			sep = "\n\n"
		}
		return example{Text: ask + opts + sep + text}
	}
	if opts != "" && g.chance(0.5) {
		return example{Text: ask + "\n" + text + opts}
	}
	return example{Text: text + "\n\n" + ask + opts}
}

func init() {
	register("extraction", "mclabel", 200, mclabelExample)
}
