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
// The same holds for its "brainstorming" and "creative_writing" rows
// (creative): "What is bubble tea?" and "Who is the best cricketer in the
// world" are questions, kept only when they ask for something made up
// (write, ideas, names, ways to, what if…).
//
// Dolly's "classification" rows without a passage are knowledge questions
// over a list ("Which of these are rappers? Eminem, Michael Jackson, …"):
// no data is extracted from a given text, yet they are no plain question
// either. Labeled extraction they teach that a list of names is data to
// extract; relabeled factual (as a first version did) they taught that
// "classify" asks a question, and real requests to classify a given text
// (a review's sentiment, a message's intent) went to factual. Curate drops
// them. With a passage they stay extraction.
//
// RouterDC's MMLU, CMMLU and ARC questions are factual by their source;
// those that may be computations (math notation in the question, or
// numbers for at least half of the options: isComputation) do not ask for
// that label and are dropped likewise.

var (
	// summaryAsk matches an instruction that asks for a summary.
	summaryAsk = regexp.MustCompile(`(?i)summar|overview|tl;?dr|\bbrief|\bshort\b|key (points|takeaways|facts)|main (points|ideas)|` +
		`\bgist\b|synopsis|outline|recap|condense|in (a few|one|two|three|four|five|\d+) (sentences|sentence|words|lines|points|bullets|paragraphs?)|` +
		`\bhighlights?\b|what is (this|the) (text|passage|paragraph|article) about|\bdescribe\b`)
	// creativeAsk matches an instruction that asks for something made up:
	// writing, ideas, names, plans.
	creativeAsk = regexp.MustCompile(`(?i)\bwrite|\bcompose|\bcreate|\bstory|\bstories|\bpoem|poetry|\bsong|lyrics|\bessay|` +
		`\bletter\b|\bemail\b|\btweet|\bpost\b|\bspeech|haiku|limerick|\bidea|\bsuggest|brainstorm|come up|\bimagine|` +
		`pretend|\bnames? (for|of a)|\bslogan|tagline|\binvent|\bdesign|\bplan\b|\bways (to|in which|of)\b|\btips\b|` +
		`what would|what if|\bfun\b|creative|\bjoke|\bpitch\b|\bdraft\b|\bmake up\b|\bdescribe (a|an|your)\b`)
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
	g := SourceGroup(e.Source)
	if isRouterDCGroup(g) {
		return e.Label != "factual" || !isComputation(e.Text)
	}
	if g != "dolly" {
		return true
	}
	switch e.OrigLabel {
	case "summarization":
		return summaryAsk.MatchString(instruction(e.Text))
	case "information_extraction":
		return extractAsk.MatchString(instruction(e.Text))
	case "classification":
		return strings.Contains(e.Text, "\n\n")
	case "brainstorming", "creative_writing":
		return creativeAsk.MatchString(instruction(e.Text))
	}
	return true
}

// Curate returns the examples without the public rows whose prompt does not
// ask for what their label says, and the number of rows dropped per
// "group/orig_label".
func Curate(examples []Example) ([]Example, map[string]int) {
	out := make([]Example, 0, len(examples))
	dropped := map[string]int{}
	for _, e := range examples {
		key := SourceGroup(e.Source) + "/" + e.OrigLabel
		if !keep(&e) {
			dropped[key]++
			continue
		}
		out = append(out, e)
	}
	return out, dropped
}
