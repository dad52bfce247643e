package classify

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"switchyard/llm"
)

// ClassMetrics are one category's scores in a Report.
type ClassMetrics struct {
	Precision, Recall, F1 float64
	// Support is the number of examples labeled with the category.
	Support int
}

// Report is the evaluation of a classifier on labeled examples.
type Report struct {
	// PerClass holds the metrics of every category, including those with
	// no examples (all zero).
	PerClass map[llm.Category]ClassMetrics
	// MacroF1 averages F1 over the categories that have examples or
	// predictions; Accuracy is the share of examples classified right.
	MacroF1, Accuracy float64
	// N is the number of examples.
	N int
	// Confusion[i][j] counts examples labeled llm.Categories[i] and
	// predicted llm.Categories[j].
	Confusion [numClasses][numClasses]int
	// Errors lists misclassified examples for inspection: the first
	// mistakesPerClass of each labeled category.
	Errors []Mistake
}

// mistakesPerClass caps Report.Errors per labeled category.
const mistakesPerClass = 60

// Mistake is one misclassified example.
type Mistake struct {
	Example    Example
	Predicted  llm.Category
	Confidence float64
}

// Evaluate classifies every example (with its system prompt, history and
// request signals) and scores the predictions against the labels. Examples
// with an unknown label are skipped.
func Evaluate(c *Classifier, examples []Example) Report {
	var r Report
	var errCount [numClasses]int
	for i := range examples {
		e := &examples[i]
		want := classIndex(e.Label)
		if want < 0 {
			continue
		}
		in := exampleInput(e)
		f := c.classify(&in)
		got := classIndex(string(f.Category))
		r.Confusion[want][got]++
		r.N++
		if got != want && errCount[want] < mistakesPerClass {
			errCount[want]++
			r.Errors = append(r.Errors, Mistake{Example: *e, Predicted: f.Category, Confidence: f.Confidence})
		}
	}
	r.score()
	return r
}

// score fills the metrics from the confusion matrix.
func (r *Report) score() {
	r.PerClass = make(map[llm.Category]ClassMetrics, numClasses)
	correct, classes := 0, 0
	for k, cat := range llm.Categories {
		tp := r.Confusion[k][k]
		correct += tp
		var support, predicted int
		for j := range numClasses {
			support += r.Confusion[k][j]
			predicted += r.Confusion[j][k]
		}
		m := ClassMetrics{Support: support}
		if predicted > 0 {
			m.Precision = float64(tp) / float64(predicted)
		}
		if support > 0 {
			m.Recall = float64(tp) / float64(support)
		}
		if m.Precision+m.Recall > 0 {
			m.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
		}
		if support > 0 || predicted > 0 {
			classes++
			r.MacroF1 += m.F1
		}
		r.PerClass[cat] = m
	}
	if classes > 0 {
		r.MacroF1 /= float64(classes)
	}
	if r.N > 0 {
		r.Accuracy = float64(correct) / float64(r.N)
	}
}

// Merge returns the report of the union of the examples of r and o: their
// confusion matrices added up (for pooled cross-validation).
func (r Report) Merge(o Report) Report {
	out := Report{N: r.N + o.N, Errors: slices.Concat(r.Errors, o.Errors)}
	for i := range numClasses {
		for j := range numClasses {
			out.Confusion[i][j] = r.Confusion[i][j] + o.Confusion[i][j]
		}
	}
	out.score()
	return out
}

// Write prints the report as a Markdown table plus the confusion matrix.
func (r Report) Write(w io.Writer, title string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %d examples, accuracy %.3f, macro-F1 %.3f\n\n", title, r.N, r.Accuracy, r.MacroF1)
	b.WriteString("| category | precision | recall | F1 | support |\n|---|---|---|---|---|\n")
	for _, cat := range llm.Categories {
		m := r.PerClass[cat]
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %d |\n", cat, m.Precision, m.Recall, m.F1, m.Support)
	}
	b.WriteString("\nconfusion (rows: label, columns: predicted)\n")
	fmt.Fprintf(&b, "%-14s", "")
	for _, cat := range llm.Categories {
		fmt.Fprintf(&b, "%7.6s", cat)
	}
	b.WriteString("\n")
	for i, cat := range llm.Categories {
		fmt.Fprintf(&b, "%-14s", cat)
		for j := range llm.Categories {
			fmt.Fprintf(&b, "%7d", r.Confusion[i][j])
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
