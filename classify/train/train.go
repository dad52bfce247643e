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
	// EmbedDim is the dimension of the embedding part's word vectors (see
	// classify.Embedding), in [0, classify.MaxEmbedDim]; 0 trains the
	// linear part only.
	EmbedDim int
	// EmbedBits is log2 of the embedding table's rows, in [10, 24].
	EmbedBits uint
	// PretrainEpochs is the number of epochs of unsupervised pretraining
	// of the word vectors on the training texts (CBOW); 0 starts them
	// random.
	PretrainEpochs int
	// EmbedLR is AdaGrad's step size for the embedding part, positive.
	EmbedLR float64
	// Dropout is the share, in [0, 1), of a sample's word, character,
	// edge and context features dropped at each visit in training.
	Dropout float64
	// LabelSmoothing moves this share, in [0, 1), of every label's
	// probability mass evenly over all classes.
	LabelSmoothing float64
	// EnsembleEmbed trains the embedding part apart from the linear part
	// (each alone on the data) and adds their logits, instead of training
	// them together.
	EnsembleEmbed bool
	// EmbedOnly trains the embedding part alone (the linear part's weights
	// stay zero): for measuring it.
	EmbedOnly bool
	// FreezeEmbed keeps the pretrained word vectors fixed: only the head
	// on their mean is trained.
	FreezeEmbed bool
}

// cvTemperature is the shipped model's temperature: the one `switchyard
// classify cv` fits on the predictions for held-out sources (1.411 for the
// shipped data and options), rounded. Refit it when the data or the
// features change.
const cvTemperature = 1.4

// DefaultTrainOptions returns the hyperparameters of the shipped model.
func DefaultTrainOptions() TrainOptions {
	return TrainOptions{
		Bits: 16, Epochs: 8, LearningRate: 0.2, L2: 1e-5, SourceBalance: 0.75,
		WrittenShare: 0.35, TypoShare: 0.25, Temperature: cvTemperature, Seed: 1,
		EmbedBits: 16, EmbedLR: 0.1,
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
	case o.EmbedDim < 0 || o.EmbedDim > classify.MaxEmbedDim:
		return fmt.Errorf("train: embedding dimension %d out of [0, %d]", o.EmbedDim, classify.MaxEmbedDim)
	case o.EmbedDim > 0 && (o.EmbedBits < 10 || o.EmbedBits > 24):
		return fmt.Errorf("train: %d embedding bits out of [10, 24]", o.EmbedBits)
	case o.EmbedDim > 0 && !(o.EmbedLR > 0):
		return fmt.Errorf("train: embedding learning rate %v", o.EmbedLR)
	case !(o.Dropout >= 0 && o.Dropout < 1):
		return fmt.Errorf("train: dropout %v out of [0, 1)", o.Dropout)
	case !(o.LabelSmoothing >= 0 && o.LabelSmoothing < 1):
		return fmt.Errorf("train: label smoothing %v out of [0, 1)", o.LabelSmoothing)
	case o.EmbedOnly && o.EmbedDim == 0:
		return errors.New("train: embedding only, with no embedding")
	case o.PretrainEpochs < 0:
		return fmt.Errorf("train: %d pretraining epochs", o.PretrainEpochs)
	}
	return nil
}

// sample is one example as the trainer sees it: hashed features, the value
// of a feature in each namespace, the class and the sample weight.
type sample struct {
	feats  []uint32
	words  []uint32 // embedding buckets of the instruction's words
	norm   [feature.NumNS]float64
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
func Train(examples []Example, opts TrainOptions) (*classify.Classifier, error) {
	o := opts
	if err := o.validate(); err != nil {
		return nil, err
	}
	if len(examples) == 0 {
		return nil, errors.New("train: no examples")
	}
	ex := augment(slices.Clone(examples), o.TypoShare)
	slices.SortStableFunc(ex, compareExamples)
	samples, err := featurize(ex, o.Bits, o.EmbedBits)
	if err != nil {
		return nil, err
	}
	weigh(samples, ex, o.SourceBalance, o.WrittenShare)
	var em *embedModel
	if o.EmbedDim > 0 {
		em = newEmbedModel(initialVectors(examples, o), o.EmbedDim, o.EmbedLR, o.FreezeEmbed)
	}
	var w []float64
	var bias [numClasses]float64
	if em != nil && o.EnsembleEmbed {
		// Two models trained apart, their logits added.
		var eb [numClasses]float64
		w, bias = fit(samples, o, nil, true)
		_, eb = fit(samples, o, em, false)
		for k := range bias {
			bias[k] += eb[k]
		}
	} else {
		w, bias = fit(samples, o, em, !o.EmbedOnly)
	}
	var emb *classify.Embedding
	if em != nil {
		emb = em.quantize(o.EmbedBits, o.Temperature)
	}
	return quantize(w, bias, o.Temperature, emb)
}

// initialVectors returns the word vectors the embedding part starts from:
// pretrained on the examples' texts, or small random values.
func initialVectors(ex []Example, o TrainOptions) []float64 {
	if o.PretrainEpochs > 0 {
		ex = slices.Clone(ex)
		slices.SortStableFunc(ex, compareExamples)
		return pretrain(pretrainTexts(ex, o.EmbedBits), o.EmbedBits, o.EmbedDim, o.PretrainEpochs, o.Seed)
	}
	r := splitmix(o.Seed ^ 0x5EED)
	v := make([]float64, o.EmbedDim<<o.EmbedBits)
	for i := range v {
		v[i] = (float64(r.next()>>11)/(1<<53) - 0.5) / float64(o.EmbedDim)
	}
	return v
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
func featurize(ex []Example, bits, embedBits uint) ([]sample, error) {
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
				x.Reset(bits)
				x.Run(&in)
				out[i].feats = slices.Clone(x.Features())
				if embedBits == 0 {
					continue
				}
				out[i].words = make([]uint32, len(x.Words()))
				for j, h := range x.Words() {
					out[i].words[j] = feature.WordBucket(h, embedBits)
				}
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
