package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchyard/classify/train"
)

func TestParseLevels(t *testing.T) {
	for in, want := range map[string]uint32{"14": 1 << 14, "6, 10,14": 1<<6 | 1<<10 | 1<<14, "1": 2} {
		if got, err := parseLevels(in); err != nil || got != want {
			t.Errorf("parseLevels(%q) = %#x, %v; want %#x", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "17", "edge", "4,x"} {
		if _, err := parseLevels(in); err == nil {
			t.Errorf("parseLevels(%q) succeeded", in)
		}
	}
}

func TestClassifyCombine(t *testing.T) {
	dir := t.TempDir()
	var preds []train.Prediction
	for i, label := range []string{"factual", "creative", "factual", "code"} {
		e := &train.Example{Text: strings.Repeat("x", i+1), Label: label, Source: "nq-open dev"}
		var s [7]float32
		s[0] = 1 // everything predicted factual
		preds = append(preds, train.Prediction{Example: e, Label: []int{0, 1, 0, 4}[i], Scores: s, Fold: "without nq"})
	}
	path := filepath.Join(dir, "a.jsonl")
	var buf bytes.Buffer
	if err := train.WritePredictions(&buf, preds); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"combine", path}, 0, "(4 predictions)"},
		{[]string{"combine", "--weight", "0.5", path, path}, 0, "(4 predictions)"},
		{[]string{"combine", "--offsets", path}, 0, "macro-F1 over the five"},
		{[]string{"combine"}, 2, ""},
		{[]string{"combine", filepath.Join(dir, "missing.jsonl")}, 1, ""},
		{[]string{"clusters"}, 2, ""},
		{[]string{"train", "--hidden", "8"}, 2, ""}, // the hidden layer is measured by cv only
		{[]string{"eval", "--hidden", "8"}, 2, ""},
		{[]string{"clusters", "--from", path, "--out", filepath.Join(dir, "c.bin")}, 1, ""}, // not the pinned source
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		if code := classifyCmd(tt.args, &out, &errOut); code != tt.code || !strings.Contains(out.String(), tt.out) {
			t.Errorf("classify %v: exit %d (want %d), output %q, errors %q", tt.args, code, tt.code, out.String(), errOut.String())
		}
	}
}

func TestClassifyEvalReadsRouterDCAndRelabelsComputations(t *testing.T) {
	dir := t.TempDir()
	csv := "source,task,split,prompt_id,prompt,model,score\n" +
		"s,mmlu,train,mmlu/1,\"Which organ secretes insulin?\nA. Liver\nB. Pancreas\nC. Heart\nD. Lung\",m1,1\n" +
		"s,mmlu,train,mmlu/2,\"What is 17 * 23?\nA. 391\nB. 401\nC. 381\nD. 371\",m1,1\n" +
		"s,mmlu,train,mmlu/2,\"What is 17 * 23?\nA. 391\nB. 401\nC. 381\nD. 371\",m2,0\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(csv))
	zw.Close()
	path := filepath.Join(dir, "r.csv.gz")
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := classifyCmd([]string{"eval", "--data", path, "--computations", "reasoning"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"1 computations labeled reasoning", "dropped map[]"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr %q lacks %q", errb.String(), want)
		}
	}
	for _, want := range []string{"| mmlu | factual | 1 |", "| mmlu | reasoning | 1 |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	errb.Reset()
	if code := classifyCmd([]string{"eval", "--data", path}, &out, &errb); code != 0 || !strings.Contains(errb.String(), "mmlu/mmlu:1") {
		t.Errorf("exit %d, stderr %q: want the computation dropped", code, errb.String())
	}
	if code := classifyCmd([]string{"eval", "--data", path, "--computations", "keep"}, &out, &errb); code != 2 {
		t.Errorf("--computations keep: exit %d, want 2", code)
	}
}
