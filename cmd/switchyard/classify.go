package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"switchyard/classify"
	"switchyard/llm"
)

const classifyUsage = `usage:
  switchyard classify "some prompt"                 category, confidence and features of a prompt
  switchyard classify train --data FILE.jsonl|DIR [--data …] --out classify/model/weights.bin
                            [--holdout-sources p1,p2] [--test-percent 10] [--errors]
  switchyard classify eval  --data FILE.jsonl|DIR [--data …] [--model FILE]
  switchyard classify cv    --data FILE.jsonl|DIR [--data …] [--folds K]   leave-sources-out cross-validation
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
	fs.Var(&data, "data", "labeled JSONL file, or a directory of *.jsonl (repeatable)")
	out := fs.String("out", "", "train: where to write the model")
	model := fs.String("model", "", "eval: model file (default: the embedded model)")
	holdout := fs.String("holdout-sources", strings.Join(classify.DefaultHoldout, ","),
		"comma-separated source prefixes held out of training, evaluated apart")
	split := classify.DefaultSplit()
	fs.IntVar(&split.TestPercent, "test-percent", split.TestPercent, "share of the other examples in the random-split test set")
	fs.IntVar(&split.MaxHeldOutPerSource, "max-heldout", split.MaxHeldOutPerSource, "held-out examples kept per source (0: all)")
	opts := classify.DefaultTrainOptions()
	fs.UintVar(&opts.Bits, "bits", opts.Bits, "log2 of the hashed buckets")
	fs.IntVar(&opts.Epochs, "epochs", opts.Epochs, "training epochs")
	fs.Float64Var(&opts.LearningRate, "lr", opts.LearningRate, "AdaGrad learning rate")
	fs.Float64Var(&opts.L2, "l2", opts.L2, "L2 penalty")
	fs.Float64Var(&opts.SourceBalance, "source-balance", opts.SourceBalance, "evening out of sources within a class: 0, 0.25, 0.5, 0.75 or 1")
	fs.Uint64Var(&opts.Seed, "seed", opts.Seed, "shuffle seed")
	showErrors := fs.Bool("errors", false, "list misclassified examples")
	folds := fs.Int("folds", 0, "cv: number of source groups (0: leave one source out)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if len(data) == 0 || (cmd == "train" && *out == "") {
		fmt.Fprint(stderr, classifyUsage)
		return 2
	}
	examples, err := readExamples(data)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard classify: %v\n", err)
		return 1
	}
	split.HoldoutSources = splitList(*holdout)
	switch cmd {
	case "cv":
		err = crossValidate(stdout, examples, split, opts, *folds, *showErrors)
	case "eval":
		err = evalModel(stdout, *model, examples, split, *showErrors)
	default:
		err = trainModel(stdout, *out, examples, split, opts, *showErrors)
	}
	if err != nil {
		fmt.Fprintf(stderr, "switchyard classify %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// readExamples reads every file named, or every *.jsonl in a directory named.
func readExamples(paths []string) ([]classify.Example, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		m, err := filepath.Glob(filepath.Join(p, "*.jsonl"))
		if err != nil {
			return nil, err
		}
		slices.Sort(m)
		files = append(files, m...)
	}
	var all []classify.Example
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		ex, err := classify.ReadJSONL(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		all = append(all, ex...)
	}
	if len(all) == 0 {
		return nil, errors.New("no examples in " + strings.Join(paths, ", "))
	}
	return all, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func trainModel(w io.Writer, out string, ex []classify.Example, split classify.SplitOptions, opts classify.TrainOptions, showErrors bool) error {
	train, test, held := classify.Split(ex, split)
	fmt.Fprintf(w, "%d examples: %d train, %d random-split test, %d source-held-out\n\n", len(ex), len(train), len(test), len(held))
	c, err := classify.Train(train, opts)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := c.Save(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s\n\n", out)
	return reportSplits(w, c, test, held, showErrors)
}

func evalModel(w io.Writer, path string, ex []classify.Example, split classify.SplitOptions, showErrors bool) error {
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
	_, test, held := classify.Split(ex, split)
	return reportSplits(w, c, test, held, showErrors)
}

func reportSplits(w io.Writer, c *classify.Classifier, test, held []classify.Example, showErrors bool) error {
	for _, s := range []struct {
		title string
		ex    []classify.Example
	}{{"random split", test}, {"source-held-out", held}} {
		if len(s.ex) == 0 {
			continue
		}
		r := classify.Evaluate(c, s.ex)
		if err := r.Write(w, s.title); err != nil {
			return err
		}
		if showErrors {
			writeMistakes(w, r)
		}
		fmt.Fprintln(w)
	}
	return nil
}

func writeMistakes(w io.Writer, r classify.Report) {
	for _, m := range r.Errors {
		t := m.Example.Text
		if len(t) > 100 {
			t = t[:100] + "…"
		}
		fmt.Fprintf(w, "  %s → %s (%.2f) [%s] %q\n", m.Example.Label, m.Predicted, m.Confidence, m.Example.Source, t)
	}
}

// crossValidate holds out groups of (class, source) pairs in turn (every
// pair when folds is 0, else pair i in fold i mod folds), trains on the
// rest and tests on the group (capped like the held-out set), and prints
// each fold and the pooled report. The sources held out by
// --holdout-sources are left out entirely, so tuning with cv never sees the
// final held-out set.
func crossValidate(w io.Writer, ex []classify.Example, split classify.SplitOptions, opts classify.TrainOptions, folds int, showErrors bool) error {
	key := func(e classify.Example) string { return e.Label + " / " + e.Source }
	var keys []string
	for _, e := range ex {
		if k := key(e); !slices.Contains(keys, k) && !hasPrefix(e.Source, split.HoldoutSources) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	groups := make([][]string, 0, len(keys))
	for i, k := range keys {
		if folds <= 0 || i < folds {
			groups = append(groups, []string{k})
		} else {
			groups[i%folds] = append(groups[i%folds], k)
		}
	}
	var pooled classify.Report
	for _, g := range groups {
		var train, test []classify.Example
		for _, e := range ex {
			switch {
			case hasPrefix(e.Source, split.HoldoutSources):
			case slices.Contains(g, key(e)):
				e.Source = key(e) // so Split caps per (class, source)
				test = append(test, e)
			default:
				train = append(train, e)
			}
		}
		_, _, test = classify.Split(test, classify.SplitOptions{HoldoutSources: g, MaxHeldOutPerSource: split.MaxHeldOutPerSource})
		c, err := classify.Train(train, opts)
		if err != nil {
			return err
		}
		r := classify.Evaluate(c, test)
		fmt.Fprintf(w, "%-80.80s %5d  accuracy %.3f\n", strings.Join(g, " + "), r.N, r.Accuracy)
		pooled = pooled.Merge(r)
	}
	fmt.Fprintln(w)
	if err := pooled.Write(w, "leave-sources-out cross-validation (pooled)"); err != nil {
		return err
	}
	if showErrors {
		writeMistakes(w, pooled)
	}
	return nil
}

func hasPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
