package main

import (
	"fmt"
	"io"
	"os"

	"switchyard/learn/offline"
)

const learnUsage = `usage:
  switchyard learn fit --data FILE.csv.gz --out model.bin [--split train] [--no-tune]

Fits a prompt-level quality model from outcome data (one row per prompt ×
model) for a route's learned scorer (see docs/learning.md).
`

// learnCmd runs `switchyard learn …` and returns the exit code.
func learnCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "fit" {
		fmt.Fprint(stderr, learnUsage)
		return 2
	}
	fs := newFlagSet("learn fit")
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, learnUsage); fs.PrintDefaults() }
	data := fs.String("data", "", "outcome data: CSV (gzip or not), one row per prompt × model")
	out := fs.String("out", "", "where to write the model")
	split := fs.String("split", "", "fit only on the prompts of this split (default: all)")
	noTune := fs.Bool("no-tune", false, "skip the cross-validated search; use the default options")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *data == "" || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if err := fitModel(stdout, *data, *out, *split, !*noTune); err != nil {
		fmt.Fprintf(stderr, "switchyard learn fit: %v\n", err)
		return 1
	}
	return 0
}

func fitModel(w io.Writer, data, out, split string, tune bool) error {
	ds, err := offline.ReadFile(data)
	if err != nil {
		return err
	}
	if split != "" {
		var idx []int
		for i := range ds.Prompts {
			if ds.Prompts[i].Split == split {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			return fmt.Errorf("%s: no prompt in split %q (splits present: %v)", data, split, ds.Splits())
		}
		ds = ds.Subset(idx)
	}
	opts, score := offline.DefaultTrainOptions(), 0.0
	if tune {
		res, err := offline.Tune(ds, opts, offline.DefaultGrid(), offline.DefaultReplayOptions().TuneFolds)
		if err != nil {
			return err
		}
		opts, score = res.Best, res.BestScore
	}
	m, err := offline.Fit(ds, opts)
	if err != nil {
		return err
	}
	m.Trained.CVScore = score
	if err := m.SaveFile(out); err != nil {
		return err
	}
	fi, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "fitted on %d prompts × %d models (%d dropped for a missing score)\n", len(ds.Prompts), len(ds.Models), ds.Dropped)
	fmt.Fprintf(w, "options: kinds %d, epochs %d, shape only %t; cross-validated routing score %.4f\n",
		max(1, opts.Clusters), opts.Epochs, opts.ShapeOnly, score)
	fmt.Fprintf(w, "λ unit (cost scale): $%.6f per request\nwrote %s (%d bytes)\n", m.CostScale, out, fi.Size())
	return nil
}
