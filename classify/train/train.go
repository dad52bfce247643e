package train

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"switchyard/classify"
	"switchyard/classify/internal/feature"
	"switchyard/llm"
)

// numClasses is the number of categories.
const numClasses = llm.NumCategories

// TrainOptions are the trainer's hyperparameters. DefaultTrainOptions
// returns the shipped model's; Train rejects out-of-range values rather
// than guessing.
type TrainOptions struct {
	// Bits is log2 of the number of hashed buckets, in [10, 24].
	Bits uint
	// Epochs is the fixed number of passes over the data, at least 1.
	Epochs int
	// LearningRate is AdaGrad's step size, positive.
	LearningRate float64
	// L2 is the L2 penalty applied to the weights each update touches (>= 0).
	L2 float64
	// SourceBalance evens out sources within a class: 0 weighs every
	// example alike, 1 gives every source the same total weight; it must be
	// 0, 0.25, 0.5, 0.75 or 1 (powers computed by square roots, exactly).
	// Classes always get the same total weight.
	SourceBalance float64
	// WrittenShare is the share of every class's training weight carried by
	// the written examples (sources "written-here:…") when the class has
	// real examples too, in [0, 1); the real examples carry the rest. A
	// class with written examples only gives them all its weight.
	WrittenShare float64
	// Temperature divides the logits of the trained model (folded into its
	// scales and biases), calibrating its confidence; it must be positive.
	// CrossValidate fits it on predictions for sources held out.
	Temperature float64
	// TypoShare is the share of the examples, in [0, 1], that are also
	// trained on with typos and another casing (see augment).
	TypoShare float64
	// Seed seeds the shuffling of every epoch.
	Seed uint64
	// Average, when above 1, trains that many models on the same data with
	// the seeds Seed, Seed+1, … and averages their weights and biases. A
	// linear model's logits are linear in its weights, so the average model
	// is exactly the ensemble of the average of their logits, at no cost
	// at run time; it smooths out what the shuffle order decides.
	Average int
	// Clusters, when not nil, adds the word cluster features (see
	// clusters.go): each word of the instruction found in the table adds
	// its cluster at every depth d whose bit is set in ClusterLevels.
	Clusters      *WordClusters
	ClusterLevels uint32
	// ClusterWords says which words add cluster features.
	ClusterWords ClusterWords
	// DRO is the step size η of group DRO (see dro.go), in [0, 10]: after
	// every epoch each group's weight is multiplied by exp(η × its mean
	// loss). 0 turns it off and trains exactly the model without it.
	DRO float64
	// DROSources makes the DRO groups the source groups; otherwise they
	// are the (source group, class) cells.
	DROSources bool
	// Hidden, when above 0, trains the non-linear model of mlp.go instead
	// (an experiment: CrossValidate measures it, Train refuses it, the
	// classify package cannot run it): embeddings of Dim per bucket, a
	// hidden layer of Hidden units with Activation ("relu" or "tanh"),
	// trained with AdaGrad at MLPRate, added to the linear model unless
	// MLPOnly. Average then averages the models' logits.
	Hidden, Dim int
	Activation  string
	MLPRate     float64
	MLPOnly     bool
}

// cvTemperature is the shipped model's temperature: the one `switchyard
// classify cv` fits on the predictions for held-out sources (1.329 for the
// shipped data and options), rounded to one decimal. Refit it when the
// data or the features change.
const cvTemperature = 1.3

// DefaultTrainOptions returns the hyperparameters of the shipped model.
func DefaultTrainOptions() TrainOptions {
	return TrainOptions{
		Bits: 16, Epochs: 8, LearningRate: 0.2, L2: 1e-5, SourceBalance: 0.75,
		WrittenShare: 0.35, TypoShare: 0.25, Temperature: cvTemperature, Seed: 1, Average: 3,
	}
}

func (o TrainOptions) validate() error {
	switch {
	case o.Bits < 10 || o.Bits > 24:
		return fmt.Errorf("train: %d bucket bits out of [10, 24]", o.Bits)
	case o.Epochs < 1:
		return fmt.Errorf("train: %d epochs", o.Epochs)
	case !(o.LearningRate > 0):
		return fmt.Errorf("train: learning rate %v", o.LearningRate)
	case !(o.L2 >= 0):
		return fmt.Errorf("train: L2 %v", o.L2)
	case !slices.Contains([]float64{0, 0.25, 0.5, 0.75, 1}, o.SourceBalance):
		return fmt.Errorf("train: source balance %v not one of 0, 0.25, 0.5, 0.75, 1", o.SourceBalance)
	case !(o.WrittenShare >= 0 && o.WrittenShare < 1):
		return fmt.Errorf("train: written share %v out of [0, 1)", o.WrittenShare)
	case !(o.TypoShare >= 0 && o.TypoShare <= 1):
		return fmt.Errorf("train: typo share %v out of [0, 1]", o.TypoShare)
	case !(o.Temperature > 0):
		return fmt.Errorf("train: temperature %v", o.Temperature)
	case !(o.DRO >= 0 && o.DRO <= maxDRO):
		return fmt.Errorf("train: DRO step %v out of [0, %d]", o.DRO, maxDRO)
	case o.Average < 0 || o.Average > 16:
		return fmt.Errorf("train: average of %d models out of [0, 16]", o.Average)
	case o.Hidden < 0:
		return fmt.Errorf("train: %d hidden units", o.Hidden)
	case o.Hidden > 0:
		return o.validateMLP()
	}
	return nil
}

// sample is one example as the trainer sees it: hashed features, the value
// of a feature in each namespace, the class and the sample weight.
type sample struct {
	feats  []uint32
	norm   [feature.NumNS]float64
	class  int
	weight float64
	group  int // the DRO group (see assignGroups)
}

// Train fits a multinomial logistic regression on the examples and returns
// the quantized classifier, the same that Save writes. Training is
// deterministic: the examples are put in a fixed order (by text hash,
// whatever order they came in), shuffled by a seeded generator, and every
// floating-point step is rounded explicitly, so the same data and options
// give the same bytes on every run. It returns an error if there are no
// examples, a label is unknown or the options are out of range.
func Train(examples []Example, opts TrainOptions) (*classify.Classifier, error) {
	o := opts
	if err := o.validate(); err != nil {
		return nil, err
	}
	if o.Hidden > 0 {
		return nil, errors.New("train: a model with a hidden layer is measured by cross-validation only; the classify package cannot run it")
	}
	if len(examples) == 0 {
		return nil, errors.New("train: no examples")
	}
	ex := augment(slices.Clone(examples), o.TypoShare)
	slices.SortStableFunc(ex, compareExamples)
	var keys []uint32
	var paths []uint16
	var clus *feature.Clusters
	if o.Clusters != nil {
		var err error
		keys, paths = o.Clusters.table()
		if o.ClusterWords == ClusterSourceSpecific {
			common := commonWords(ex)
			for i, k := range keys {
				if common[k] {
					paths[i] |= feature.ClusterCommon
				}
			}
		}
		if clus, err = feature.NewClusters(keys, paths, o.Clusters.Depth, o.ClusterLevels, o.ClusterWords == ClusterEdgeLines); err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
	}
	samples, err := featurize(ex, o.Bits, clus)
	if err != nil {
		return nil, err
	}
	weigh(samples, ex, o.SourceBalance, o.WrittenShare)
	if o.DRO > 0 {
		assignGroups(samples, ex, o.DROSources)
	}
	w, bias := fitAveraged(samples, o)
	c, err := quantize(w, bias, o.Temperature)
	if err != nil || clus == nil {
		return c, err
	}
	if c, err = c.WithClusters(keys, paths, o.Clusters.Depth, o.ClusterLevels, o.ClusterWords == ClusterEdgeLines); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return c, nil
}

// prepareSamples returns the training samples of the examples, augmented,
// ordered, featurized and weighed as Train does, without word clusters or
// DRO groups.
func prepareSamples(examples []Example, o TrainOptions) ([]sample, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if len(examples) == 0 {
		return nil, errors.New("train: no examples")
	}
	ex := augment(slices.Clone(examples), o.TypoShare)
	slices.SortStableFunc(ex, compareExamples)
	samples, err := featurize(ex, o.Bits, nil)
	if err != nil {
		return nil, err
	}
	weigh(samples, ex, o.SourceBalance, o.WrittenShare)
	return samples, nil
}

// compareExamples orders examples by text hash, then by every other field,
// so the training order does not depend on the order of the input.
func compareExamples(a, b Example) int {
	if c := cmpHash(a.Text, b.Text); c != 0 {
		return c
	}
	key := func(e Example) string {
		return fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%q\x00%t%t", e.Label, e.Source, e.OrigLabel, e.System, e.History, e.WantsJSON, e.Tools)
	}
	return strings.Compare(key(a), key(b))
}

// classIndex returns the index of a label in llm.Categories, or -1.
func classIndex(label string) int {
	return slices.Index(llm.Categories, llm.Category(label))
}

// featurize extracts the features of every example, in parallel.
func featurize(ex []Example, bits uint, clus *feature.Clusters) ([]sample, error) {
	out := make([]sample, len(ex))
	for i := range ex {
		if out[i].class = classIndex(ex[i].Label); out[i].class < 0 {
			return nil, fmt.Errorf("train: unknown label %q", ex[i].Label)
		}
	}
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for wk := range workers {
		wg.Go(func() {
			x := new(feature.Extractor)
			for i := wk; i < len(ex); i += workers {
				in := exampleInput(&ex[i])
				x.Reset(bits, clus)
				x.Run(&in)
				out[i].feats = slices.Clone(x.Features())
				counts := x.Counts()
				out[i].norm = feature.Norms(&counts)
			}
		})
	}
	wg.Wait()
	return out, nil
}

// genericSystems are everyday system prompts. A quarter of the training
// examples that have none get one (chosen by text hash), so the presence of
// a system prompt and its usual words carry no class by themselves.
var genericSystems = []string{
	"You are a helpful assistant.",
	"You are ChatGPT, a large language model. Answer as helpfully as possible.",
	"You are a friendly and knowledgeable AI assistant. Be concise.",
	"You are an AI assistant. Follow the user's instructions carefully.",
	"Always answer in the language of the user.",
	"You are a helpful, respectful and honest assistant.",
}

// exampleInput builds the trainer's view of an example: as the classifier
// sees it, plus a generic system prompt on a quarter of those without one.
func exampleInput(e *Example) feature.Input {
	in := feature.FromPrompt(e.Text, e.System, e.History, e.WantsJSON, e.Tools)
	if h := textHash(e.Text); in.System == "" && h>>32%4 == 0 {
		in.System = genericSystems[h%uint64(len(genericSystems))]
	}
	return in
}

// weigh sets sample weights: every class weighs the same in total; within
// a class the written examples carry the share written of the weight (if
// the class has real examples too), and within each part a weight unit
// (see weightUnit) of n examples weighs in proportion to n^(1-balance), so
// a large source (GSM8K, NQ) does not define its class alone. The mean
// weight is 1.
func weigh(samples []sample, ex []Example, balance, written float64) {
	type key struct {
		class   int
		written bool
		unit    string
	}
	keyOf := func(i int) key { return key{samples[i].class, IsWritten(&ex[i]), weightUnit(&ex[i])} }
	n := map[key]float64{}
	for i := range samples {
		n[keyOf(i)]++
	}
	keys := slices.SortedFunc(maps.Keys(n), func(a, b key) int { // fixed order: sums round the same way
		return cmp.Or(cmp.Compare(a.class, b.class), compareBool(a.written, b.written), strings.Compare(a.unit, b.unit))
	})
	var mass [numClasses][2]float64 // per class: real, written
	for _, k := range keys {
		mass[k.class][b2i(k.written)] += quarterPow(n[k], 1-balance)
	}
	present := 0.0
	for _, m := range mass {
		if m[0]+m[1] > 0 {
			present++
		}
	}
	perClass := float64(len(samples)) / present
	for i := range samples {
		k := keyOf(i)
		m := mass[k.class]
		share := 1.0
		switch {
		case m[0] > 0 && m[1] > 0 && k.written:
			share = written
		case m[0] > 0 && m[1] > 0:
			share = 1 - written
		}
		samples[i].weight = perClass * share / m[b2i(k.written)] / quarterPow(n[k], balance)
	}
}

// compareBool orders false before true.
func compareBool(a, b bool) int { return b2i(a) - b2i(b) }

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// quarterPow returns x**p for p a multiple of 0.25 in [0, 1], with square
// roots only (math.Pow goes through math.Exp, see fit.go).
func quarterPow(x, p float64) float64 {
	r := 1.0
	q := math.Sqrt(math.Sqrt(x))
	for range int(p * 4) {
		r *= q
	}
	return r
}

// commonWords returns the keys of the words that the examples' main texts
// use in two or more source groups. Such a word has weights of its own
// that do not belong to one source's style; a word of one source only is
// what a source never seen brings, and is represented by its clusters.
func commonWords(ex []Example) map[uint32]bool {
	groups := make([]string, len(ex))
	for i := range ex {
		groups[i] = SourceGroup(ex[i].Source)
	}
	words := make([][]uint32, len(ex))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for wk := range workers {
		wg.Go(func() {
			x := new(feature.Extractor)
			for i := wk; i < len(ex); i += workers {
				in := feature.Input{Main: ex[i].Text}
				x.Reset(10, nil)
				x.Run(&in)
				words[i] = slices.Clone(x.Words())
			}
		})
	}
	wg.Wait()
	first := map[uint32]string{}
	common := map[uint32]bool{}
	for i, ws := range words {
		for _, k := range ws {
			g, ok := first[k]
			switch {
			case !ok:
				first[k] = groups[i]
			case g != groups[i]:
				common[k] = true
			}
		}
	}
	return common
}
