package classify

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"switchyard/llm"
)

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
	// Seed seeds the shuffling of every epoch.
	Seed uint64
}

// DefaultTrainOptions returns the hyperparameters of the shipped model.
func DefaultTrainOptions() TrainOptions {
	return TrainOptions{Bits: 16, Epochs: 8, LearningRate: 0.2, L2: 1e-5, SourceBalance: 0.75, Seed: 1}
}

func (o TrainOptions) validate() error {
	switch {
	case o.Bits < minBits || o.Bits > maxBits:
		return fmt.Errorf("classify: train: %d bucket bits out of [%d, %d]", o.Bits, minBits, maxBits)
	case o.Epochs < 1:
		return fmt.Errorf("classify: train: %d epochs", o.Epochs)
	case !(o.LearningRate > 0):
		return fmt.Errorf("classify: train: learning rate %v", o.LearningRate)
	case !(o.L2 >= 0):
		return fmt.Errorf("classify: train: L2 %v", o.L2)
	case !slices.Contains([]float64{0, 0.25, 0.5, 0.75, 1}, o.SourceBalance):
		return fmt.Errorf("classify: train: source balance %v not one of 0, 0.25, 0.5, 0.75, 1", o.SourceBalance)
	}
	return nil
}

// sample is one example as the trainer sees it: hashed features, the value
// of a feature in each namespace, the class and the sample weight.
type sample struct {
	feats  []uint32
	norm   [numNS]float64
	class  int
	weight float64
}

// Train fits a multinomial logistic regression on the examples and returns
// the quantized classifier, the same that Save writes. Training is
// deterministic: the examples are put in a fixed order (by text hash,
// whatever order they came in), shuffled by a seeded generator, and every
// floating-point step is rounded explicitly, so the same data and options
// give the same bytes on every run. It returns an error if there are no
// examples, a label is unknown or the options are out of range.
func Train(examples []Example, opts TrainOptions) (*Classifier, error) {
	o := opts
	if err := o.validate(); err != nil {
		return nil, err
	}
	if len(examples) == 0 {
		return nil, errors.New("classify: train: no examples")
	}
	ex := slices.Clone(examples)
	slices.SortStableFunc(ex, compareExamples)
	samples, err := featurize(ex, o.Bits)
	if err != nil {
		return nil, err
	}
	weigh(samples, ex, o.SourceBalance)
	w, bias := fit(samples, o)
	return quantize(o.Bits, w, bias), nil
}

// compareExamples orders examples by text hash, then by every other field,
// so the training order does not depend on the order of the input.
func compareExamples(a, b Example) int {
	if c := cmpHash(a.Text, b.Text); c != 0 {
		return c
	}
	key := func(e Example) string {
		return fmt.Sprintf("%s\x00%s\x00%s\x00%q\x00%t%t", e.Label, e.Source, e.System, e.History, e.WantsJSON, e.Tools)
	}
	return strings.Compare(key(a), key(b))
}

// classIndex returns the index of a label in llm.Categories, or -1.
func classIndex(label string) int {
	return slices.Index(llm.Categories, llm.Category(label))
}

// featurize extracts the features of every example, in parallel.
func featurize(ex []Example, bits uint) ([]sample, error) {
	out := make([]sample, len(ex))
	for i := range ex {
		if out[i].class = classIndex(ex[i].Label); out[i].class < 0 {
			return nil, fmt.Errorf("classify: train: unknown label %q", ex[i].Label)
		}
	}
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for wk := range workers {
		wg.Go(func() {
			x := new(extractor)
			for i := wk; i < len(ex); i += workers {
				in := exampleInput(&ex[i])
				x.reset(bits)
				x.run(&in)
				out[i].feats = slices.Clone(x.feats[:x.k])
				counts := x.counts()
				out[i].norm = nsNorms(&counts)
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

// exampleInput builds the classifier's view of an example.
func exampleInput(e *Example) input {
	in := input{main: e.Text, sys: e.System, turn: len(e.History), tools: e.Tools}
	if e.WantsJSON {
		in.json = 1
	}
	for i, j := len(e.History)-1, 0; i >= 0 && j < len(in.hist); i, j = i-1, j+1 {
		in.hist[j] = e.History[i]
	}
	if h := textHash(e.Text); in.sys == "" && h>>32%4 == 0 {
		in.sys = genericSystems[h%uint64(len(genericSystems))]
	}
	return in
}

// weigh sets sample weights: every class weighs the same in total, and
// within a class a source of n examples weighs in proportion to
// n^(1-balance), so a large source (GSM8K, NQ) does not define its class
// alone. The mean weight is 1.
func weigh(samples []sample, ex []Example, balance float64) {
	type key struct {
		class  int
		source string
	}
	n := map[key]float64{}
	for i := range samples {
		n[key{samples[i].class, ex[i].Source}]++
	}
	keys := make([]key, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int { // fixed order: sums round the same way
		if a.class != b.class {
			return a.class - b.class
		}
		return strings.Compare(a.source, b.source)
	})
	var classMass [numClasses]float64
	var present float64
	for _, k := range keys {
		if classMass[k.class] == 0 {
			present++
		}
		classMass[k.class] += quarterPow(n[k], 1-balance)
	}
	perClass := float64(len(samples)) / present
	for i := range samples {
		c := n[key{samples[i].class, ex[i].Source}]
		samples[i].weight = perClass / classMass[samples[i].class] / quarterPow(c, balance)
	}
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
