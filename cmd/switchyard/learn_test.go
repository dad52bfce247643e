package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchyard/learn/offline"
)

// outcomeCSV writes a small outcome file: code prompts that "coder" gets
// right, quiz prompts that "quizzer" gets right, and "big" right on both
// at ten times the price.
func outcomeCSV(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("prompt_id,prompt,model,score,cost_usd,task,split\n")
	for i := range 160 {
		text, task := fmt.Sprintf("Write a python function number %d to sort a list", i), "code"
		if i%2 == 1 {
			text, task = fmt.Sprintf("Question %d: what is the capital of France?\nA) Paris\nB) Rome", i), "quiz"
		}
		split := "train"
		if i%5 == 0 {
			split = "test"
		}
		good := map[string]bool{"big": i%7 != 0, "coder": task == "code", "quizzer": task == "quiz"}
		for _, m := range []string{"big", "coder", "quizzer"} {
			score, cost := 0, 0.001
			if good[m] {
				score = 1
			}
			if m == "big" {
				cost = 0.01
			}
			fmt.Fprintf(&b, "p%d,%q,%s,%d,%g,%s,%s\n", i, text, m, score, cost, task, split)
		}
	}
	path := filepath.Join(t.TempDir(), "outcomes.csv")
	if err := writeFile(path, b.String()); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReplayCommand(t *testing.T) {
	data := outcomeCSV(t)
	svg := filepath.Join(t.TempDir(), "curve.svg")
	var out, errb bytes.Buffer
	if code := run([]string{"replay", "--data", data, "--no-tune", "--json", "--plot", svg}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep offline.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Data.Split != "split train/test" || rep.Data.TestPrompts != 32 || len(rep.Points) == 0 {
		t.Errorf("report %+v", rep.Data)
	}
	s := rep.Summary
	if s.Reference != "big" || s.QualityAt25PctCost == nil || *s.QualityAt25PctCost < 1 {
		t.Errorf("summary %+v: the router should beat big at a quarter of its cost", s)
	}
	if b, err := os.ReadFile(svg); err != nil || !bytes.HasPrefix(b, []byte("<svg")) {
		t.Errorf("plot: %v", err)
	}
	pngPath := filepath.Join(t.TempDir(), "curve.PNG")
	if code := run([]string{"replay", "--data", data, "--no-tune", "--plot", pngPath}, &out, &errb); code != 0 {
		t.Fatalf("png: exit %d: %s", code, errb.String())
	}
	if f, err := os.Open(pngPath); err != nil {
		t.Error(err)
	} else {
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() != 1520 {
			t.Errorf("png plot: %v", err)
		}
	}
	out.Reset()
	if code := run([]string{"replay", "--data", data, "--no-tune", "--holdout", "0.3", "--repeats", "2"}, &out, &errb); code != 0 {
		t.Fatalf("repeats: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "holdout 0.30 seed 2") || !strings.Contains(out.String(), "cost_share_at_95pct_quality") {
		t.Errorf("repeats table:\n%s", out.String())
	}
}

func TestReplayCommandErrors(t *testing.T) {
	data := outcomeCSV(t)
	for _, args := range [][]string{
		{"replay"},
		{"replay", "--data", data, "--holdout", "1.5"},
		{"replay", "--data", data, "extra"},
		{"learn"},
		{"learn", "fit", "--data", data},
	} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	for _, args := range [][]string{
		{"replay", "--data", data, "--test-split", "validation"},
		{"replay", "--data", data, "--plot", "x.jpg"},
		{"replay", "--data", data, "--repeats", "3"},
		{"replay", "--data", filepath.Join(t.TempDir(), "missing.csv")},
	} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 1 || errb.Len() == 0 {
			t.Errorf("%v: exit %d (%s), want 1 with a message", args, code, errb.String())
		}
	}
}

// A --holdout outside [0, 1), NaN too (taken as no holdout before), is
// named in the message, not left to the usage text alone; learn fit's
// --split without prompts names the splits there are.
func TestReplayCommandNamesTheBadFlag(t *testing.T) {
	data := outcomeCSV(t)
	for _, h := range []string{"1", "-1", "1.5", "NaN"} {
		var out, errb bytes.Buffer
		if code := run([]string{"replay", "--data", data, "--holdout", h}, &out, &errb); code != 2 ||
			!strings.Contains(errb.String(), "--holdout "+h+": not a share in [0, 1)") {
			t.Errorf("--holdout %s: exit %d:\n%s", h, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	model := filepath.Join(t.TempDir(), "router.bin")
	if code := run([]string{"learn", "fit", "--data", data, "--out", model, "--split", "nope", "--no-tune"}, &out, &errb); code != 1 ||
		!strings.Contains(errb.String(), `no prompt in split "nope" (splits present: [test train])`) {
		t.Errorf("--split nope: exit %d:\n%s", code, errb.String())
	}
}

func TestLearnFitCommand(t *testing.T) {
	data := outcomeCSV(t)
	model := filepath.Join(t.TempDir(), "router.bin")
	var out, errb bytes.Buffer
	if code := run([]string{"learn", "fit", "--data", data, "--out", model, "--split", "train", "--no-tune"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "fitted on 128 prompts × 3 models") {
		t.Errorf("output:\n%s", out.String())
	}
	m, err := offline.LoadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Models, ",") != "big,coder,quizzer" || m.Trained.Prompts != 128 {
		t.Errorf("loaded %v, %d prompts", m.Models, m.Trained.Prompts)
	}
}
