package train

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// RouterDC's prompt file (../shared/datasets/routing/routerdc7_train.csv.gz,
// from shuhao02/RouterDC): one row per prompt and model, the columns
// source,task,split,prompt_id,prompt,model,score,…. ReadRouterDC takes each
// prompt_id once and keeps the tasks that are real questions the classifier
// has no other copy of:
//
//   - mmlu: English knowledge multiple-choice questions → factual;
//   - cmmlu: Chinese ones ("…\nA. …\nD. …\n答案：") → factual;
//   - arc_easy, arc_challenge: grade-school science questions without
//     options ("Question:…\nAnswer:") → factual, source group arc.
//
// The benchmark's prompt template is not the asker's words and is cut: ARC's
// "Question:" and "\nAnswer:", CMMLU's closing "答案：". MMLU and CMMLU also
// hold computations (a tenth of MMLU), which are reasoning, not factual:
// Curate drops them (see isComputation), or RelabelComputations labels them
// reasoning. Its gsm8k and humaneval rows are copies of prompts
// task_prompts_train.jsonl already holds (all 1,000 and 115 of them, spaces
// collapsed) and are not read; ReadFiles drops any question another real
// prompt already contains (DedupAgainst: Super-NaturalInstructions quotes
// some MMLU and ARC questions).

// routerDCTasks maps the tasks kept to their source names.
var routerDCTasks = map[string]string{
	"mmlu":          "mmlu (shuhao02/RouterDC)",
	"cmmlu":         "cmmlu (shuhao02/RouterDC)",
	"arc_easy":      "arc-easy (shuhao02/RouterDC)",
	"arc_challenge": "arc-challenge (shuhao02/RouterDC)",
}

// IsRouterDCFile reports whether a data file is RouterDC's prompt file (a
// gzipped CSV) rather than labeled JSONL.
func IsRouterDCFile(name string) bool { return strings.HasSuffix(name, ".csv.gz") }

// ReadRouterDC reads RouterDC's gzipped CSV and returns one factual example
// per prompt of the tasks kept (in file order), its task as OrigLabel. It
// returns an error for a malformed file or one without the needed columns.
func ReadRouterDC(r io.Reader) ([]Example, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("train: routerdc: %w", err)
	}
	cr := csv.NewReader(zr)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("train: routerdc: header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	ti, ok1 := col["task"]
	ii, ok2 := col["prompt_id"]
	pi, ok3 := col["prompt"]
	if !ok1 || !ok2 || !ok3 {
		return nil, errors.New("train: routerdc: want the columns task, prompt_id and prompt")
	}
	var out []Example
	seen := map[string]bool{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("train: routerdc: %w", err)
		}
		task, id := rec[ti], rec[ii]
		src, keep := routerDCTasks[task]
		if !keep || seen[id] {
			continue
		}
		seen[id] = true
		if text := stripTemplate(task, rec[pi]); text != "" {
			out = append(out, Example{Text: text, Label: "factual", Source: src, OrigLabel: task})
		}
	}
}

// stripTemplate cuts a benchmark's prompt template from a question.
func stripTemplate(task, p string) string {
	switch task {
	case "arc_easy", "arc_challenge":
		p = strings.TrimPrefix(p, "Question:")
		p = strings.TrimSuffix(strings.TrimRight(p, " \n"), "Answer:")
	case "cmmlu":
		p = strings.TrimSuffix(strings.TrimRight(p, " \n"), "答案：")
	}
	return strings.TrimSpace(p)
}

// optionLine splits a multiple-choice prompt at its options.
var optionLine = regexp.MustCompile(`\n[A-D]\. `)

// questionStem returns a prompt without its options.
func questionStem(text string) (string, []string) {
	parts := optionLine.Split(text, -1)
	return parts[0], parts[1:]
}

var (
	// mathNotation is notation that only a computation or a formula uses:
	// TeX between dollars ($x^2$, not $10), an equation, a power or root,
	// arithmetic between numbers (not a slash, as in 9/11 or 120/80 mm Hg;
	// a minus only between spaces, as 13-15 is a range).
	mathNotation = regexp.MustCompile(`\$[^\s\d$][^$]*\$|\\frac|[=^√∫∑]|\d\s*[+*×÷]\s*\d|\d\s+[-−]\s+\d`)
	// letterRun is a run of letters or ideographs in an option.
	letterRun = regexp.MustCompile(`[\p{L}]+`)
	// number is a number in a question's stem.
	number = regexp.MustCompile(`\d+(?:[.,]\d+)*`)
)

// numericOption reports whether a multiple-choice option is a number or an
// expression: a digit, and no more letters than a unit ("N", "kg", "倍").
func numericOption(o string) bool {
	if !strings.ContainsAny(o, "0123456789") {
		return false
	}
	letters := 0
	for _, w := range letterRun.FindAllString(o, -1) {
		letters += len([]rune(w))
	}
	return letters <= 2
}

// hasQuantity reports whether a stem holds a number that is not a year
// (1000–2099): a quantity to compute with.
func hasQuantity(stem string) bool {
	for _, n := range number.FindAllString(stem, -1) {
		if len(n) != 4 || n < "1000" || n > "2099" {
			return true
		}
	}
	return false
}

// isComputation reports whether a knowledge question may be a computation
// and so not ask for its factual label: its stem uses math notation, or at
// least half of its options are numbers or expressions and its stem holds
// a quantity. The rule errs toward computations ("What percentage of the
// 120 members…" goes too), since a dropped row costs little and a
// computation labeled factual teaches the boundary with reasoning wrong;
// "In what year…" or "As of 2016, what share…" with numbers as options is
// kept.
func isComputation(text string) bool {
	stem, opts := questionStem(text)
	if mathNotation.MatchString(stem) {
		return true
	}
	if len(opts) == 0 || !hasQuantity(stem) {
		return false
	}
	n := 0
	for _, o := range opts {
		if numericOption(strings.TrimSpace(o)) {
			n++
		}
	}
	return 2*n >= len(opts)
}

// isRouterDCGroup reports whether a source group comes from RouterDC's file.
func isRouterDCGroup(g string) bool { return g == "mmlu" || g == "cmmlu" || g == "arc" }

// DedupAgainst returns the examples of add that no example of base
// duplicates: the same text (spaces collapsed), or its question stem (the
// text before any options) found in a base example as a whole line of at
// least twenty characters, or three quarters of its runs of twelve words
// found in base examples (a shared template, such as MMLU's moral scenarios'
// opening sentence, is not a copy). It also returns how many were dropped.
func DedupAgainst(add, base []Example) ([]Example, int) {
	lines := map[string]bool{}
	shingles := map[uint64]bool{}
	for i := range base {
		t := base[i].Text
		lines[collapse(t)] = true
		for l := range strings.SplitSeq(t, "\n") {
			lines[collapse(l)] = true
		}
		forShingles(t, func(h uint64) { shingles[h] = true })
	}
	var out []Example
	for _, e := range add {
		s, _ := questionStem(e.Text)
		stem := collapse(s)
		dup := lines[collapse(e.Text)] || (len([]rune(stem)) >= 20 && lines[stem])
		if !dup {
			found, all := 0, 0
			forShingles(stem, func(h uint64) {
				all++
				if shingles[h] {
					found++
				}
			})
			dup = all > 0 && 4*found >= 3*all
		}
		if !dup {
			out = append(out, e)
		}
	}
	return out, len(add) - len(out)
}

// shingleWords is the length of the word runs DedupAgainst compares.
const shingleWords = 12

// collapse trims a text and collapses its runs of white space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// forShingles calls f with the hash of every run of shingleWords words of s
// (the words' punctuation trimmed, lowercased).
func forShingles(s string, f func(uint64)) {
	w := strings.Fields(strings.ToLower(s))
	for i := range w {
		w[i] = strings.Trim(w[i], `.,;:!?"'()[]`)
	}
	for i := 0; i+shingleWords <= len(w); i++ {
		f(textHash(strings.Join(w[i:i+shingleWords], " ")))
	}
}

// RelabelComputations labels reasoning the RouterDC questions that
// isComputation selects (Curate would drop them as factual), with OrigLabel
// "TASK/computation", and returns how many it relabeled. It is an option of
// the trainer, not the default: the rule selects computations by their
// form and errs toward them.
func RelabelComputations(examples []Example) int {
	n := 0
	for i := range examples {
		e := &examples[i]
		if isRouterDCGroup(SourceGroup(e.Source)) && e.Label == "factual" && isComputation(e.Text) {
			e.Label, e.OrigLabel = "reasoning", e.OrigLabel+"/computation"
			n++
		}
	}
	return n
}
