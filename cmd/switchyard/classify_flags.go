package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"switchyard/classify/train"
)

// classifyFlags are the flags of classify train, eval and cv.
type classifyFlags struct {
	data                             dataFlags
	out, model                       string
	opts                             train.TrainOptions
	showErrors                       int
	dump                             string
	clusters, levels, clusterWords   string
	withRouterDC                     bool
	without, trainOnly, computations string
}

// newClassifyFlags registers the flags on fs.
func newClassifyFlags(fs *flag.FlagSet) *classifyFlags {
	f := &classifyFlags{opts: train.DefaultTrainOptions()}
	fs.Var(&f.data, "data", "labeled JSONL file, or a directory of *.jsonl (repeatable; default: "+strings.Join(train.DefaultData, ", ")+")")
	fs.StringVar(&f.out, "out", "classify/model/weights.bin", "train: where to write the model")
	fs.StringVar(&f.model, "model", "", "eval: model file (default: the embedded model)")
	f.registerTraining(fs)
	fs.IntVar(&f.showErrors, "errors", 0, "cv, eval: list up to N misclassified examples per class")
	fs.StringVar(&f.dump, "dump", "", "cv: write the headline predictions (uncalibrated) as JSONL to this file")
	fs.StringVar(&f.clusters, "clusters", "", "word cluster table, e.g. "+train.DefaultWordClusters+" (default: no cluster features)")
	fs.StringVar(&f.levels, "cluster-levels", "10,14", "tree depths whose clusters are features")
	fs.StringVar(&f.clusterWords, "cluster-words", "all", "words that add cluster features: all, edge (first and last lines) or source-specific")
	fs.BoolVar(&f.withRouterDC, "with-routerdc", false, "also read "+train.RouterDCData+" (MMLU, CMMLU, ARC questions as factual)")
	fs.StringVar(&f.without, "without", "", "comma-separated source groups left out of the data (e.g. cmmlu)")
	fs.StringVar(&f.trainOnly, "train-only", "", "cv: comma-separated source groups trained on in every model, never evaluated (e.g. mmlu,cmmlu,arc)")
	fs.StringVar(&f.computations, "computations", "drop", "RouterDC's MMLU/CMMLU/ARC questions that may be computations: drop, or label reasoning")
	return f
}

// registerTraining registers the training options' flags.
func (f *classifyFlags) registerTraining(fs *flag.FlagSet) {
	o := &f.opts
	fs.UintVar(&o.Bits, "bits", o.Bits, "log2 of the hashed buckets")
	fs.IntVar(&o.Epochs, "epochs", o.Epochs, "training epochs")
	fs.Float64Var(&o.LearningRate, "lr", o.LearningRate, "AdaGrad learning rate")
	fs.Float64Var(&o.L2, "l2", o.L2, "L2 penalty")
	fs.Float64Var(&o.SourceBalance, "source-balance", o.SourceBalance, "evening out of sources within a class: 0, 0.25, 0.5, 0.75 or 1")
	fs.Float64Var(&o.WrittenShare, "written-share", o.WrittenShare, "share of each class's weight carried by the written examples")
	fs.Float64Var(&o.TypoShare, "typo-share", o.TypoShare, "share of the examples also trained on with typos and another casing")
	fs.Float64Var(&o.Temperature, "temperature", o.Temperature, "train: logit temperature of the written model")
	fs.Uint64Var(&o.Seed, "seed", o.Seed, "shuffle seed")
	fs.IntVar(&o.Average, "average", o.Average, "train this many models with consecutive seeds from --seed and average their weights (0 or 1: one)")
	fs.Float64Var(&o.DRO, "dro", o.DRO, "group DRO step size η, in [0, 10] (0: off): after each epoch the worst-fitted groups weigh more")
	fs.BoolVar(&o.DROSources, "dro-sources", o.DROSources, "with --dro: groups are source groups, not (source group, class) cells")
	fs.IntVar(&o.Hidden, "hidden", 0, "cv: hidden units of the non-linear model (an experiment, see docs/classifier.md; 0: the linear model)")
	fs.IntVar(&o.Dim, "dim", 16, "with --hidden: embedding dimension per hashed bucket")
	fs.Float64Var(&o.MLPRate, "mlp-lr", 0.05, "with --hidden: AdaGrad learning rate of the embeddings and hidden layer")
	fs.StringVar(&o.Activation, "activation", "relu", "with --hidden: relu or tanh")
	fs.BoolVar(&o.MLPOnly, "mlp-only", false, "with --hidden: no linear part (no skip connection)")
}

// loadClusters reads the word cluster table named by --clusters into the
// training options; it returns a non-zero exit code on failure.
func (f *classifyFlags) loadClusters(stderr io.Writer) int {
	if f.clusters == "" {
		return 0
	}
	want := "" // another table is an experiment; the committed one must be intact
	if f.clusters == train.DefaultWordClusters {
		want = train.WordClustersSHA256
	}
	w, err := train.ReadWordClusters(f.clusters, want)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard classify: %v\n", err)
		return 1
	}
	if f.opts.ClusterWords, err = train.ParseClusterWords(f.clusterWords); err != nil {
		fmt.Fprintf(stderr, "switchyard classify: %v\n", err)
		return 2
	}
	if f.opts.ClusterLevels, err = parseLevels(f.levels); err != nil {
		fmt.Fprintf(stderr, "switchyard classify: %v\n", err)
		return 2
	}
	f.opts.Clusters = w
	return 0
}

// examples reads and curates the labeled data the flags name; it returns
// a non-zero exit code on failure.
func (f *classifyFlags) examples(stderr io.Writer) ([]train.Example, int) {
	data := []string(f.data)
	if len(data) == 0 {
		data = train.DefaultData
	}
	if f.withRouterDC {
		data = append(slices.Clone(data), train.RouterDCData)
	}
	examples, err := train.ReadFiles(data)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard classify: %v\n", err)
		return nil, 1
	}
	if f.without != "" {
		examples = train.WithoutGroups(examples, strings.Split(f.without, ","))
	}
	switch f.computations {
	case "drop":
	case "reasoning":
		fmt.Fprintf(stderr, "%d computations labeled reasoning\n", train.RelabelComputations(examples))
	default:
		fmt.Fprintf(stderr, "switchyard classify: --computations %q: want drop or reasoning\n", f.computations)
		return nil, 2
	}
	examples, dropped := train.Curate(examples)
	fmt.Fprintf(stderr, "%d examples after curation (dropped %v)\n", len(examples), dropped)
	return examples, 0
}
