package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"switchyard/learn/offline"
)

const replayUsage = `usage:
  switchyard replay --data FILE.csv.gz [--train-split train] [--test-split test] [--json] [--plot FILE.png|FILE.svg]
  switchyard replay --data FILE.csv.gz --holdout 0.3 [--seed 1] [--repeats 5] [--json]
  switchyard replay --data FILE.csv.gz --leave-one-out task [--json]
  switchyard replay --log [--store PATH] [--since 7d] [--route NAME] [--json]   (see replay --log -h)

Fits a prompt-level router on one part of the outcome data and routes the
other part's prompts with it at every λ, without calling any model; prints
the quality/cost curve, the single models, random, oracle and the baseline
routers (see docs/learning.md). With --log, replays the router's own request
log with inverse-propensity estimates instead.
`

// replayCmd runs `switchyard replay …` and returns the exit code.
func replayCmd(args []string, stdout, stderr io.Writer) int {
	if i := slices.IndexFunc(args, func(a string) bool { return a == "--log" || a == "-log" }); i >= 0 {
		return replayLogCmd(slices.Delete(slices.Clone(args), i, i+1), stdout, stderr)
	}
	fs := newFlagSet("replay")
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, replayUsage); fs.PrintDefaults() }
	data := fs.String("data", "", "outcome data: CSV (gzip or not), one row per prompt × model")
	trainSplit := fs.String("train-split", "train", "the split column's value of the training prompts")
	testSplit := fs.String("test-split", "test", "the split column's value of the test prompts")
	holdout := fs.Float64("holdout", 0, "hold out this share of the prompts by a hash of their id, instead of the splits")
	seed := fs.Uint64("seed", 1, "the holdout's hash seed (and the first one with --repeats)")
	repeats := fs.Int("repeats", 1, "with --holdout: run this many holdouts (seeds seed, seed+1, …) and report the spread")
	loo := fs.String("leave-one-out", "", "hold out one value of this column (task or source) at a time")
	noTune := fs.Bool("no-tune", false, "skip the cross-validated search; use the default options")
	asJSON := fs.Bool("json", false, "print JSON")
	plot := fs.String("plot", "", "draw the curve to this .png or .svg file (single runs)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if !(*holdout >= 0 && *holdout < 1) {
		fmt.Fprintf(stderr, "switchyard replay: --holdout %s: not a share in [0, 1)\n", strconv.FormatFloat(*holdout, 'g', -1, 64))
		return 2
	}
	if *data == "" || fs.NArg() > 0 || *repeats < 1 {
		fs.Usage()
		return 2
	}
	o := offline.DefaultReplayOptions()
	o.Tune = !*noTune
	out, err := runReplay(*data, replaySpec{*trainSplit, *testSplit, *holdout, *seed, *repeats, *loo, *plot}, o)
	if err == nil {
		err = printReplay(stdout, out, *asJSON)
	}
	if err != nil {
		fmt.Fprintf(stderr, "switchyard replay: %v\n", err)
		return 1
	}
	return 0
}

// replaySpec says how to split the data.
type replaySpec struct {
	trainSplit, testSplit string
	holdout               float64
	seed                  uint64
	repeats               int
	leaveOneOut, plot     string
}

// runReplay returns a *offline.Report for a single run, else an
// *offline.Evaluation.
func runReplay(path string, spec replaySpec, o offline.ReplayOptions) (any, error) {
	if spec.plot != "" && (spec.repeats > 1 || spec.leaveOneOut != "") {
		return nil, errors.New("--plot draws a single run: drop --repeats and --leave-one-out")
	}
	if ext := strings.ToLower(filepath.Ext(spec.plot)); spec.plot != "" && ext != ".svg" && ext != ".png" {
		return nil, fmt.Errorf("--plot %s: the file must end in .png or .svg", spec.plot)
	}
	ds, err := offline.ReadFile(path)
	if err != nil {
		return nil, err
	}
	switch {
	case spec.leaveOneOut != "":
		return offline.LeaveOneOut(ds, spec.leaveOneOut, o)
	case spec.repeats > 1:
		if spec.holdout == 0 {
			return nil, errors.New("--repeats needs --holdout")
		}
		return offline.RepeatHoldout(ds, spec.holdout, spec.seed, spec.repeats, o)
	}
	var tr, te []int
	split := fmt.Sprintf("split %s/%s", spec.trainSplit, spec.testSplit)
	if spec.holdout > 0 {
		tr, te = offline.HoldoutIndexes(ds, spec.holdout, spec.seed)
		split = fmt.Sprintf("holdout %.2f seed %d", spec.holdout, spec.seed)
	} else if tr, te, err = offline.SplitIndexes(ds, spec.trainSplit, spec.testSplit); err != nil {
		return nil, fmt.Errorf("%w; use --holdout 0.3 to hold out prompts by hash", err)
	}
	rep, err := offline.Replay(ds.Subset(tr), ds.Subset(te), split, o)
	if err != nil {
		return nil, err
	}
	if spec.plot != "" {
		if err := writePlot(spec.plot, rep); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func writePlot(path string, rep *offline.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	write := offline.WriteSVG
	if strings.EqualFold(filepath.Ext(path), ".png") {
		write = offline.WritePNG
	}
	if err := write(f, rep); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func printReplay(w io.Writer, out any, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	switch v := out.(type) {
	case *offline.Report:
		return offline.WriteTable(w, v)
	case *offline.Evaluation:
		return offline.WriteEvaluationTable(w, v)
	}
	return fmt.Errorf("unexpected result %T", out)
}
