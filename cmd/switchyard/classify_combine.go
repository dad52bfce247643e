package main

import (
	"fmt"
	"io"
	"os"

	"switchyard/classify/train"
	"switchyard/llm"
)

// combinePredictions runs `switchyard classify combine`: it scores the
// predictions that `classify cv --dump` wrote, alone or as an ensemble of
// two runs, with or without per-class offsets cross-fitted by source group.
func combinePredictions(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("classify combine")
	fs.SetOutput(stderr)
	weight := fs.Float64("weight", 1, "weight of the second file's logits")
	offsets := fs.Bool("offsets", false, "add per-class logit offsets, each source group's fitted on the other groups")
	minSupport := fs.Int("min-support", 150, "offsets: a class with fewer examples in the fitting groups keeps 0")
	unseen := fs.Bool("unseen", false, "report, per source held out, the share of words no other source uses, in right and wrong predictions (reads the training data)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		fmt.Fprintln(stderr, "switchyard classify combine: want one or two prediction files")
		return 2
	}
	preds, err := readPredictions(fs.Arg(0))
	if err == nil && fs.NArg() == 2 {
		var b []train.Prediction
		if b, err = readPredictions(fs.Arg(1)); err == nil {
			preds, err = train.Combine(preds, b, *weight)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "switchyard classify combine: %v\n", err)
		return 1
	}
	if *offsets {
		preds = train.CrossFitOffsets(preds, *minSupport)
	}
	if *unseen {
		if err := reportUnseen(stdout, preds); err != nil {
			fmt.Fprintf(stderr, "switchyard classify combine: %v\n", err)
			return 1
		}
	}
	r := train.Score(preds)
	fmt.Fprintf(stdout, "macro-F1 over the five: %.3f; extraction F1 %.3f; summarization F1 %.3f (%d predictions)\n",
		r.MacroF1Of(train.MainCategories...), r.PerClass[llm.CategoryExtraction].F1, r.PerClass[llm.CategorySummarization].F1, r.N)
	return 0
}

// readPredictions reads a prediction dump.
func readPredictions(path string) ([]train.Prediction, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return train.ReadPredictions(f)
}

// reportUnseen prints train.UnseenRates over the default training data and
// the committed cluster table.
func reportUnseen(w io.Writer, preds []train.Prediction) error {
	ex, err := train.ReadFiles(train.DefaultData)
	if err != nil {
		return err
	}
	ex, _ = train.Curate(ex)
	clusters, err := train.ReadWordClusters(train.DefaultWordClusters, train.WordClustersSHA256)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| source held out | predictions | prompts | words unseen in other sources | of those, in the cluster table |\n|---|---|---|---|---|")
	for _, r := range train.UnseenRates(preds, ex, clusters) {
		outcome := "wrong"
		if r.Right {
			outcome = "right"
		}
		fmt.Fprintf(w, "| %s | %s | %d | %.3f | %.2f |\n", r.Group, outcome, r.Prompts,
			float64(r.Unseen)/float64(max(1, r.Words)), float64(r.InTable)/float64(max(1, r.Unseen)))
	}
	return nil
}
