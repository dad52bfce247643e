package train

import (
	"fmt"
	"io"
	"math"
	"strings"

	"switchyard/classify"
	"switchyard/llm"
)

// Prediction is a model's output for one labeled example.
type Prediction struct {
	// Example is the example classified.
	Example *Example
	// Label is the index of its label in llm.Categories.
	Label int
	// Scores are the model's probabilities, in llm.Categories order.
	Scores [numClasses]float32
	// Fold names the model that made the prediction in a cross-validation
	// (the group held out, or the within-source fold); empty otherwise.
	Fold string
}

// Predicted returns the index of the most probable category.
func (p *Prediction) Predicted() int {
	best := 0
	for k, s := range p.Scores {
		if s > p.Scores[best] {
			best = k
		}
	}
	return best
}

// Predict classifies every example (with its system prompt, history and
// request signals) as the gateway would. Examples with an unknown label are
// skipped.
func Predict(c *classify.Classifier, examples []Example) []Prediction {
	out := make([]Prediction, 0, len(examples))
	for i := range examples {
		e := &examples[i]
		want := classIndex(e.Label)
		if want < 0 {
			continue
		}
		f := c.ClassifyPrompt(&classify.Prompt{
			Text: e.Text, System: e.System, History: e.History, WantsJSON: e.WantsJSON, Tools: e.Tools,
		})
		out = append(out, Prediction{Example: e, Label: want, Scores: f.Scores})
	}
	return out
}

// Evaluate classifies the examples and scores the predictions.
func Evaluate(c *classify.Classifier, examples []Example) Report {
	return Score(Predict(c, examples))
}

// ClassMetrics are one category's scores in a Report.
type ClassMetrics struct {
	Precision, Recall, F1 float64
	// Support is the number of examples labeled with the category.
	Support int
}

// Report is the evaluation of predictions against their labels.
type Report struct {
	// PerClass holds the metrics of every category, including those with
	// no examples (all zero).
	PerClass map[llm.Category]ClassMetrics
	// MacroF1 averages F1 over the categories that have examples or
	// predictions; Accuracy is the share of examples classified right.
	MacroF1, Accuracy float64
	// ECE is the expected calibration error of the confidence (the top
	// probability): over calibrationBins equal-width bins, the mean
	// |accuracy − mean confidence| weighted by the bin's share of examples.
	ECE float64
	// N is the number of examples.
	N int
	// Confusion[i][j] counts examples labeled llm.Categories[i] and
	// predicted llm.Categories[j].
	Confusion [numClasses][numClasses]int
}

// calibrationBins is the number of confidence bins of Report.ECE.
const calibrationBins = 10

// Score computes the report of predictions.
func Score(preds []Prediction) Report {
	var r Report
	var binN [calibrationBins]int
	var binConf, binRight [calibrationBins]float64
	for i := range preds {
		p := &preds[i]
		got := p.Predicted()
		r.Confusion[p.Label][got]++
		r.N++
		conf := float64(p.Scores[got])
		b := min(calibrationBins-1, int(conf*calibrationBins))
		binN[b]++
		binConf[b] += conf
		if got == p.Label {
			binRight[b]++
		}
	}
	for b := range binN {
		if binN[b] > 0 {
			r.ECE += math.Abs(binRight[b]-binConf[b]) / float64(r.N)
		}
	}
	r.score()
	return r
}

// MacroF1Of averages the F1 of the named categories.
func (r *Report) MacroF1Of(cats ...llm.Category) float64 {
	if len(cats) == 0 {
		return 0
	}
	sum := 0.0
	for _, c := range cats {
		sum += r.PerClass[c].F1
	}
	return sum / float64(len(cats))
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

// Write prints the report as a Markdown table plus the confusion matrix.
func (r Report) Write(w io.Writer, title string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %d examples, accuracy %.3f, macro-F1 %.3f, ECE %.3f\n\n", title, r.N, r.Accuracy, r.MacroF1, r.ECE)
	b.WriteString("| category | precision | recall | F1 | support |\n|---|---|---|---|---|\n")
	for _, cat := range llm.Categories {
		m := r.PerClass[cat]
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %d |\n", cat, m.Precision, m.Recall, m.F1, m.Support)
	}
	b.WriteString("\n```\nconfusion (rows: label, columns: predicted)\n")
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
	b.WriteString("```\n")
	_, err := io.WriteString(w, b.String())
	return err
}
