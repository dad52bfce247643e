package train

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

// CVOptions says how CrossValidate measures.
type CVOptions struct {
	// MinOtherRows decides how a (class, group) cell is measured: by the
	// model trained without the group when the other groups hold at least
	// this many real examples of the class, else by a split by prompt
	// within the group (the class cannot be learned from real data without
	// it).
	MinOtherRows int
	// Folds is the number of within-group folds, split by text hash.
	Folds int
	// MaxPerCell caps the examples evaluated per (class, group), chosen by
	// text hash, so a large source (GSM8K, Dolly's questions) does not
	// swamp the others' precision. Zero means no cap.
	MaxPerCell int
	// TrainOnly names real source groups that are trained on in every
	// model and never evaluated, so that a source can be added to training
	// while the evaluated prompts stay the same.
	TrainOnly []string
}

// DefaultCVOptions returns the measurement of docs/classifier.md.
func DefaultCVOptions() CVOptions { return CVOptions{MinOtherRows: 200, Folds: 5, MaxPerCell: 500} }

// CVResult holds the predictions of a cross-validation.
type CVResult struct {
	// Headline holds one prediction per evaluated real example: by the
	// model trained without its group, or, for a cell measured within its
	// group (see CVOptions.MinOtherRows), by the model trained without its
	// fold. Scores are uncalibrated (temperature 1).
	Headline []Prediction
	// LOSO holds the leave-one-group-out prediction of every evaluated
	// real example, within-group cells included.
	LOSO []Prediction
	// WithinCells lists the (class, group) cells measured within their
	// group, as "class/group".
	WithinCells []string
	// Temperature is the temperature fitted on all of Headline.
	Temperature float64
	// Calibrated is Headline with each group's scores divided by a
	// temperature fitted on the other groups' predictions only.
	Calibrated []Prediction
}

type cell struct{ class, group string }

// CrossValidate measures how the trainer generalizes to real prompts from
// sources it never saw: each real source group is held out of training in
// turn (the written examples are always trained on, never evaluated). The
// options' Temperature is ignored: models are trained at 1 and the
// temperature is fitted on their predictions. It returns an error if
// training fails.
func CrossValidate(examples []Example, opts TrainOptions, o CVOptions, progress func(string)) (*CVResult, error) {
	opts.Temperature = 1
	eval, within, res := evalSet(examples, o)
	groups := slices.Sorted(maps.Keys(groupsOf(eval)))
	for _, g := range groups {
		progress("without " + g)
		preds, err := trainAndPredict(examples, opts, func(e *Example) bool { return SourceGroup(e.Source) == g }, eval[g])
		if err != nil {
			return nil, err
		}
		for i := range preds {
			preds[i].Fold = "without " + g
			res.LOSO = append(res.LOSO, preds[i])
			if !within[cell{preds[i].Example.Label, g}] {
				res.Headline = append(res.Headline, preds[i])
			}
		}
	}
	for k := range o.Folds {
		if len(res.WithinCells) == 0 {
			break // nothing to measure within a group
		}
		progress(fmt.Sprintf("within-group fold %d", k))
		inFold := func(e *Example) bool {
			return withinGroup(within, SourceGroup(e.Source)) && int(textHash(e.Text)%uint64(o.Folds)) == k
		}
		var test []Example
		for _, g := range groups {
			for _, e := range eval[g] {
				if within[cell{e.Label, g}] && inFold(&e) {
					test = append(test, e)
				}
			}
		}
		preds, err := trainAndPredict(examples, opts, inFold, test)
		if err != nil {
			return nil, err
		}
		for i := range preds {
			preds[i].Fold = fmt.Sprintf("within fold %d", k)
		}
		res.Headline = append(res.Headline, preds...)
	}
	res.Temperature = FitTemperature(res.Headline)
	res.Calibrated = crossCalibrate(res.Headline)
	return res, nil
}

// evalSet picks the evaluated real examples per group (capped per cell)
// and the cells measured within their group.
func evalSet(examples []Example, o CVOptions) (map[string][]Example, map[cell]bool, *CVResult) {
	rows := map[cell][]Example{}
	perClass := map[string]int{}
	for _, e := range examples {
		if IsWritten(&e) {
			continue
		}
		perClass[e.Label]++
		if g := SourceGroup(e.Source); !slices.Contains(o.TrainOnly, g) {
			c := cell{e.Label, g}
			rows[c] = append(rows[c], e)
		}
	}
	eval := map[string][]Example{}
	within := map[cell]bool{}
	res := &CVResult{}
	for _, c := range slices.SortedFunc(maps.Keys(rows), func(a, b cell) int {
		return cmp.Or(cmp.Compare(a.group, b.group), cmp.Compare(a.class, b.class))
	}) {
		ex := rows[c]
		if perClass[c.class]-len(ex) < o.MinOtherRows {
			within[c] = true
			res.WithinCells = append(res.WithinCells, c.class+"/"+c.group)
		}
		slices.SortStableFunc(ex, func(a, b Example) int { return cmpHash(a.Text, b.Text) })
		if o.MaxPerCell > 0 && len(ex) > o.MaxPerCell {
			ex = ex[:o.MaxPerCell]
		}
		eval[c.group] = append(eval[c.group], ex...)
	}
	return eval, within, res
}

// groupsOf returns the set of keys of m.
func groupsOf(m map[string][]Example) map[string]bool {
	s := map[string]bool{}
	for g := range m {
		s[g] = true
	}
	return s
}

// withinGroup reports whether group g has a cell measured within it.
func withinGroup(within map[cell]bool, g string) bool {
	for c := range within {
		if c.group == g {
			return true
		}
	}
	return false
}

// trainAndPredict trains on the examples that leave out does not select
// and predicts test.
func trainAndPredict(examples []Example, opts TrainOptions, leaveOut func(*Example) bool, test []Example) ([]Prediction, error) {
	var train []Example
	for i := range examples {
		if !leaveOut(&examples[i]) {
			train = append(train, examples[i])
		}
	}
	if opts.Hidden > 0 {
		ens, err := trainMLP(train, opts)
		if err != nil {
			return nil, err
		}
		return ens.predict(test), nil
	}
	c, err := Train(train, opts)
	if err != nil {
		return nil, err
	}
	return Predict(c, test), nil
}
