package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"switchyard/guard/inject"
	"switchyard/guard/inject/train"
	"switchyard/llm"
)

const guardUsage = `usage:
  switchyard guard scan [--system TEXT] [--tool] [--explain] "some prompt"
                                            the injection score and reasons of a prompt ("-" reads stdin),
                                            after a system prompt, or as a tool result
  switchyard guard eval [--datasets DIR] [--threshold T] [--errors N] [--workers N]
                                            attack families and benign sources held out: the figures of docs/security.md
  switchyard guard train [--datasets DIR] [--out guard/inject/model/weights.bin]
                                            retrain the embedded model on all the data
`

// guardCmd runs `switchyard guard …` and returns the exit code.
func guardCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, guardUsage)
		return 2
	}
	switch args[0] {
	case "train", "eval":
		return guardData(args[0], args[1:], stdout, stderr)
	case "scan":
		return guardScan(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "switchyard guard: unknown command %q\n\n%s", args[0], guardUsage)
	return 2
}

// guardScan scores a prompt.
func guardScan(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("guard scan")
	fs.SetOutput(stderr)
	explain := fs.Bool("explain", false, "say which features and words decided the score")
	modelPath := fs.String("model", "", "model file (default: the embedded model)")
	system := fs.String("system", "", "a system prompt before the text (what it guards counts)")
	tool := fs.Bool("tool", false, "send the text as a tool result (data), not as the user's message")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var s *inject.Scanner
	if *modelPath == "" {
		s = inject.Default()
	} else {
		f, err := os.Open(*modelPath)
		if err != nil {
			fmt.Fprintf(stderr, "switchyard guard scan: %v\n", err)
			return 1
		}
		m, err := inject.LoadModel(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "switchyard guard scan: %v\n", err)
			return 1
		}
		s = inject.New(m)
	}
	{
		text := strings.Join(fs.Args(), " ")
		if text == "-" {
			b, err := io.ReadAll(os.Stdin)
			if err != nil {
				fmt.Fprintf(stderr, "switchyard guard scan: %v\n", err)
				return 1
			}
			text = string(b)
		}
		req := scanRequest(*system, text, *tool)
		if *explain {
			fmt.Fprint(stdout, s.ExplainRequest(req))
			return 0
		}
		v := s.Scan(req)
		fmt.Fprintf(stdout, "score:   %.3f\nreasons: %s\n", v.Score, v.Reasons)
		return 0
	}
}

// scanRequest is the request guard scan scores: text as the user's
// message, or as the result of a tool the model called about it, after
// system if not empty.
func scanRequest(system, text string, tool bool) *llm.Request {
	req := &llm.Request{Model: "auto"}
	if system != "" {
		req.Messages = append(req.Messages, llm.TextMessage(llm.RoleSystem, system))
	}
	if !tool {
		req.Messages = append(req.Messages, llm.TextMessage(llm.RoleUser, text))
		return req
	}
	call := llm.TextMessage(llm.RoleAssistant, "")
	call.Content = nil
	call.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "fetch", Arguments: "{}"}})
	res := llm.TextMessage(llm.RoleTool, text)
	res.SetToolCallID("call_1")
	req.Messages = append(req.Messages, llm.TextMessage(llm.RoleUser, "Use the tool's result."), call, res)
	return req
}

// guardData runs train or eval.
func guardData(cmd string, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("guard " + cmd)
	fs.SetOutput(stderr)
	datasets := fs.String("datasets", train.DefaultDatasets, "the shared datasets folder")
	written := fs.String("written", "guard/inject/train/testdata", "the written sets")
	out := fs.String("out", "guard/inject/model/weights.bin", "train: where to write the model")
	threshold := fs.Float64("threshold", inject.DefaultThreshold, "eval: the score at or above which a request is flagged")
	errs := fs.Int("errors", 0, "eval: list this many misses per family and false positives")
	workers := fs.Int("workers", 1, "eval: trainings run at once")
	exclude := fs.String("exclude", "", "train: leave out these sources or families (comma-separated), to inspect a held-out model")
	opts := train.DefaultOptions()
	fs.UintVar(&opts.Bits, "bits", opts.Bits, "log2 of the model's hashed buckets")
	fs.IntVar(&opts.Epochs, "epochs", opts.Epochs, "training epochs")
	fs.Float64Var(&opts.LearningRate, "lr", opts.LearningRate, "AdaGrad learning rate")
	fs.Float64Var(&opts.WordRate, "word-rate", opts.WordRate, "the word buckets' learning rate, relative to --lr")
	fs.Float64Var(&opts.DenseRate, "dense-lr", opts.DenseRate, "AdaGrad learning rate of the feature weights")
	fs.Float64Var(&opts.L2, "l2", opts.L2, "L2 penalty of the class buckets' weights")
	fs.Float64Var(&opts.WordL2, "word-l2", opts.WordL2, "L2 penalty of the word buckets' weights")
	fs.Float64Var(&opts.PriorL2, "prior-l2", opts.PriorL2, "L2 pull of the feature weights to their prior")
	fs.Float64Var(&opts.AttackWeight, "attack-weight", opts.AttackWeight, "the attacks' weight relative to the benign examples'")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	start := time.Now()
	ex, err := train.Load(*datasets, *written)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard guard %s: %v\n", cmd, err)
		return 1
	}
	if cmd == "eval" {
		m, err := train.Measure(ex, opts, *workers)
		if err != nil {
			fmt.Fprintf(stderr, "switchyard guard eval: %v\n", err)
			return 1
		}
		m.Write(stdout, *threshold, *errs)
		fmt.Fprintf(stderr, "measured in %s\n", time.Since(start).Round(time.Second))
		return 0
	}
	if *exclude != "" {
		ex = train.Exclude(ex, strings.Split(*exclude, ","))
	}
	model, err := train.Train(ex, opts)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard guard train: %v\n", err)
		return 1
	}
	var buf bytes.Buffer
	if err := model.Save(&buf); err != nil {
		fmt.Fprintf(stderr, "switchyard guard train: %v\n", err)
		return 1
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "switchyard guard train: %v\n", err)
		return 1
	}
	sum := sha256.Sum256(buf.Bytes())
	fmt.Fprintf(stdout, "trained on %d examples; wrote %s (%d bytes, sha256 %x) in %s\n", len(ex), *out, buf.Len(), sum[:8], time.Since(start).Round(time.Second))
	return 0
}
