package train

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"switchyard/llm"
)

// MainCategories are the five categories whose macro-F1 is the headline
// figure; extraction and summarization are reported apart.
var MainCategories = []llm.Category{
	llm.CategoryFactual, llm.CategoryCreative, llm.CategoryReasoning, llm.CategoryCode, llm.CategoryChat,
}

// Write prints the cross-validation as Markdown: the headline report
// (calibrated by cross-fitted temperatures), the goals, a row per source
// group, and the plain leave-one-group-out report.
func (r *CVResult) Write(w io.Writer) error {
	var b strings.Builder
	head := Score(r.Calibrated)
	fmt.Fprintf(&b, "cells measured by a split by prompt within their group: %s\n\n", strings.Join(r.WithinCells, ", "))
	if err := head.Write(&b, "Real sources held out (within-group cells by prompt), calibrated"); err != nil {
		return err
	}
	raw := Score(r.Headline)
	fmt.Fprintf(&b, "\nmacro-F1 over %s: **%.3f**; extraction F1 %.3f; summarization F1 %.3f\n",
		joinCats(MainCategories), head.MacroF1Of(MainCategories...),
		head.PerClass[llm.CategoryExtraction].F1, head.PerClass[llm.CategorySummarization].F1)
	fmt.Fprintf(&b, "ECE %.3f at cross-fitted temperatures (%.3f at temperature 1); temperature fitted on all: %.3f\n\n",
		head.ECE, raw.ECE, r.Temperature)
	writeThresholds(&b, r.Calibrated)
	writeGroups(&b, r.Calibrated, "Per source group and class (headline predictions)")
	loso := Score(r.LOSO)
	b.WriteString("\n")
	if err := loso.Write(&b, "Plain leave-one-group-out, every cell (uncalibrated)"); err != nil {
		return err
	}
	fmt.Fprintf(&b, "\nmacro-F1 over the five: %.3f\n\n", loso.MacroF1Of(MainCategories...))
	writeGroups(&b, r.LOSO, "Plain leave-one-group-out per source group and class")
	_, err := io.WriteString(w, b.String())
	return err
}

// confidenceThresholds are the min_confidence values writeThresholds
// reports on.
var confidenceThresholds = []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8}

// writeThresholds prints, per confidence threshold, the share of
// predictions below it and the accuracy above and below: what a route's
// min_confidence would send to its route-wide policy.
func writeThresholds(b *strings.Builder, preds []Prediction) {
	b.WriteString("| min_confidence | share below | accuracy below | accuracy at or above |\n|---|---|---|---|\n")
	for _, th := range confidenceThresholds {
		var below, belowRight, above, aboveRight int
		for i := range preds {
			got := preds[i].Predicted()
			right := got == preds[i].Label
			if float64(preds[i].Scores[got]) < th {
				below++
				if right {
					belowRight++
				}
			} else {
				above++
				if right {
					aboveRight++
				}
			}
		}
		fmt.Fprintf(b, "| %.1f | %.3f | %s | %s |\n", th, float64(below)/float64(max(1, len(preds))),
			ratio(belowRight, below), ratio(aboveRight, above))
	}
	b.WriteString("\n")
}

// ratio formats a/b, or "—" when b is zero.
func ratio(a, b int) string {
	if b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.3f", float64(a)/float64(b))
}

// writeGroups prints the accuracy of every (group, class) cell.
func writeGroups(b *strings.Builder, preds []Prediction, title string) {
	type key struct{ group, class string }
	n, right := map[key]int{}, map[key]int{}
	for i := range preds {
		k := key{SourceGroup(preds[i].Example.Source), preds[i].Example.Label}
		n[k]++
		if preds[i].Predicted() == preds[i].Label {
			right[k]++
		}
	}
	fmt.Fprintf(b, "%s\n\n| group | class | examples | accuracy (recall) |\n|---|---|---|---|\n", title)
	for _, k := range slices.SortedFunc(maps.Keys(n), func(a, c key) int {
		return strings.Compare(a.group+"\x00"+a.class, c.group+"\x00"+c.class)
	}) {
		fmt.Fprintf(b, "| %s | %s | %d | %.3f |\n", k.group, k.class, n[k], float64(right[k])/float64(n[k]))
	}
}

func joinCats(cats []llm.Category) string {
	s := make([]string, len(cats))
	for i, c := range cats {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// WriteMistakes lists up to perClass misclassified predictions per label.
func WriteMistakes(w io.Writer, preds []Prediction, perClass int) {
	var count [numClasses]int
	for i := range preds {
		p := &preds[i]
		got := p.Predicted()
		if got == p.Label || count[p.Label] >= perClass {
			continue
		}
		count[p.Label]++
		t := strings.ReplaceAll(p.Example.Text, "\n", " ")
		if len(t) > 110 {
			t = t[:110] + "…"
		}
		fmt.Fprintf(w, "  %s → %s (%.2f) [%s %s] %q\n", p.Example.Label, llm.Categories[got], p.Scores[got],
			SourceGroup(p.Example.Source), p.Example.OrigLabel, t)
	}
}

// WriteGroups prints the accuracy (recall) of every (source group, class)
// cell of preds under a title.
func WriteGroups(w io.Writer, preds []Prediction, title string) error {
	var b strings.Builder
	writeGroups(&b, preds, title)
	_, err := io.WriteString(w, b.String())
	return err
}
