package train

import (
	"regexp"
	"strings"
)

// Curation of the public rows. Dolly labels the task its annotator was
// given, not what the prompt asks: many "summarization" and
// "information_extraction" rows are a plain question about a passage
// ("Who developed Pilates?\n\n<passage>"), the same shape as its
// "closed_qa" rows (factual). Such a row teaches nothing about
// summarizing or extracting and contradicts its twins, so Curate drops
// it — from training and from evaluation alike. A row is kept when its
// instruction (the text before the passage) asks for what its label says.

var (
	// summaryAsk matches an instruction that asks for a summary.
	summaryAsk = regexp.MustCompile(`(?i)summar|overview|tl;?dr|\bbrief|\bshort\b|key (points|takeaways|facts)|main (points|ideas)|` +
		`\bgist\b|synopsis|outline|recap|condense|in (a few|one|two|three|four|five|\d+) (sentences|sentence|words|lines|points|bullets|paragraphs?)|` +
		`\bhighlights?\b|what is (this|the) (text|passage|paragraph|article) about|\bdescribe\b`)
	// extractAsk matches an instruction that asks for items out of a text.
	extractAsk = regexp.MustCompile(`(?i)\bextract|\blist\b|\blisted\b|bullet|comma|json|\btable\b|\bformat|\bidentify\b|retrieve|` +
		`\bmention|\bfind (all|the)|\bpull\b|\bname (all|the|some|each)\b|\bnames of\b|\bseparated\b|` +
		`\bwhat are (all )?the\b|\bwhich (are|were)\b|\bclassify|\bcategori[sz]e|\bsort\b|\bgroup\b`)
)

// instruction returns the instruction of a Dolly row: the text before its
// passage (a blank line), or all of it.
func instruction(text string) string {
	if i := strings.Index(text, "\n\n"); i >= 0 {
		return text[:i]
	}
	return text
}

// keep reports whether a public row asks for what its label says.
func keep(e *Example) bool {
	if SourceGroup(e.Source) != "dolly" {
		return true
	}
	switch e.OrigLabel {
	case "summarization":
		return summaryAsk.MatchString(instruction(e.Text))
	case "information_extraction":
		return extractAsk.MatchString(instruction(e.Text))
	}
	return true
}

// Curate returns the examples without the public rows whose prompt does not
// ask for what their label says (see above), and the number dropped per
// "group/orig_label".
func Curate(examples []Example) ([]Example, map[string]int) {
	out := make([]Example, 0, len(examples))
	dropped := map[string]int{}
	for i := range examples {
		if keep(&examples[i]) {
			out = append(out, examples[i])
		} else {
			dropped[SourceGroup(examples[i].Source)+"/"+examples[i].OrigLabel]++
		}
	}
	return out, dropped
}
