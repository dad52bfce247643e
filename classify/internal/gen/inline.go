package main

import (
	"strings"
	"unicode/utf8"
)

// Short inline documents: real prompts often carry one to three sentences
// of content after the instruction, not a whole article. These generators
// cut sentences out of the passages (every language) and pair them with
// instructions.

// sentences splits a passage into sentences (Latin, CJK and Arabic stops).
func sentences(p string) []string {
	var out []string
	start := 0
	for i, r := range p {
		end := i + utf8.RuneLen(r)
		switch {
		case r == '。' || r == '！' || r == '？':
		case (r == '.' || r == '!' || r == '?') && (end == len(p) || p[end] == ' ' || p[end] == '\n'):
		default:
			continue
		}
		if s := strings.TrimSpace(p[start:end]); len(s) > 0 {
			out = append(out, s)
		}
		start = end
	}
	if s := strings.TrimSpace(p[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// snippet returns one to three consecutive sentences of a passage.
func (g *G) snippet(p string) string {
	ss := sentences(p)
	n := g.rangeInt(1, min(3, len(ss)))
	i := g.intn(len(ss) - n + 1)
	sep := " "
	if strings.ContainsAny(p, "。！？") {
		sep = ""
	}
	return strings.Join(ss[i:i+n], sep)
}

// inline joins an instruction and a short content, as people type them.
func (g *G) inline(instr, content string) string {
	instr = strings.TrimRight(instr, " ")
	switch g.intn(4) {
	case 0:
		return instr + " " + content
	case 1:
		return instr + "\n" + content
	case 2:
		return strings.TrimRight(instr, ".:：") + ": \"" + content + "\""
	}
	return content + "\n\n" + instr
}

func init() {
	register("summarization", "inline", 60, func(g *G) example {
		instr := g.pick([]string{
			"Summarize this in one line:", "Give me the gist:", "Shorten this:", "tl;dr:", "Summarize:", "One-sentence summary please:",
			"Make this shorter:", "Can you sum this up?", "What's the main point here?", "Briefly summarize the following.",
			"Condense to a headline:", "Summary of this paragraph?",
		})
		return example{Text: g.inline(instr, g.snippet(g.pick(passages)))}
	})
	register("summarization", "mlinline", 90, func(g *G) example {
		lg := langs[g.intn(len(langs))]
		instr := g.pick(lg.summarize)
		if g.chance(0.5) {
			instr = g.pick(mlT[lg.code].summarize)
		}
		return example{Text: g.inline(instr, g.snippet(g.pick(lg.passages)))}
	})
	register("extraction", "mlinline", 90, func(g *G) example {
		lg := langs[g.intn(len(langs))]
		instr := g.pick(lg.extract)
		if g.chance(0.5) {
			instr = g.pick(mlT[lg.code].extract)
		}
		doc := g.snippet(g.pick(lg.passages))
		if g.chance(0.5) {
			lines := strings.Split(g.pick(lg.docs), "\n")
			n := g.rangeInt(1, min(3, len(lines)))
			i := g.intn(len(lines) - n + 1)
			doc = strings.Join(lines[i:i+n], " ")
		}
		return example{Text: g.inline(instr, doc)}
	})
	register("extraction", "keys", 50, func(g *G) example {
		instr := g.fill(g.pick([]string{
			"Give me a JSON with keys {keys} for:", "Return a JSON object ({keys}) from this sentence:", "Fill in {keys} from:",
			"Extract {keys}:", "Pull {keys} out of this:", "Make a record with fields {keys}:", "{keys} — extract them from the text below.",
		}), map[string][]string{"keys": {"name, date, amount", "who, what, where, when", "company, city, year", "title, author, year",
			"person, role, organization", "event, date, location", "product, price, currency", "metric, value, change"}})
		return example{Text: g.inline(instr, g.snippet(g.pick(passages)))}
	})
}
