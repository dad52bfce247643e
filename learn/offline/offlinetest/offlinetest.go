// Package offlinetest fits small learned prompt-level models for the tests
// of the packages that load them (config, gateway, server, cmd).
package offlinetest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"switchyard/learn/offline"
)

// The two models of the synthetic world: Coder answers code prompts well
// and quiz prompts badly, Quizzer the reverse.
const (
	Coder   = "coder"
	Quizzer = "quizzer"
)

var topics = []string{"sort a list", "reverse a string", "parse a date", "merge two maps", "count words",
	"find primes", "sum digits", "flatten a tree", "dedupe items", "rotate an array"}

var questions = []string{"the capital of France", "the boiling point of water", "the largest planet",
	"the author of Hamlet", "the speed of light", "the tallest mountain", "the smallest prime", "the year of the moon landing"}

// CodePrompt and QuizPrompt return the i-th prompt of each kind; prompts
// past the ones FitFile trains on are new to the model.
func CodePrompt(i int) string {
	return fmt.Sprintf("Write a python function to %s.\n\ndef solve(x):\n    pass  # variant %d", topics[i%len(topics)], i)
}

// QuizPrompt: see CodePrompt.
func QuizPrompt(i int) string {
	return fmt.Sprintf("Answer the question: what is %s?\nA) one\nB) two\nC) three\nD) four\nAnswer: (%d)", questions[i%len(questions)], i)
}

// TrainPrompts is how many prompts of each kind FitFile trains on.
const TrainPrompts = 40

// CSV returns the synthetic outcome data in the long format of `learn
// fit`: TrainPrompts prompts of each kind, Coder scoring 1 on code and 0
// on quiz prompts but one in ten, Quizzer the reverse.
func CSV() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"prompt_id", "prompt", "model", "score", "cost_usd"})
	for i := range 2 * TrainPrompts {
		text, code := QuizPrompt(i/2), false
		if i%2 == 0 {
			text, code = CodePrompt(i/2), true
		}
		noise := i%20 == 3 // one prompt in ten goes the other way
		for _, m := range []string{Coder, Quizzer} {
			good := (m == Coder) == code
			if noise {
				good = !good
			}
			score := "0"
			if good {
				score = "1"
			}
			w.Write([]string{strconv.Itoa(i), text, m, score, "0.001"})
		}
	}
	w.Flush()
	return buf.Bytes()
}

// FitFile fits a model on CSV with the default options (the kinds'
// priors alone, as `learn fit --no-tune`) and writes it to dir/router.bin,
// returning the path.
func FitFile(t testing.TB, dir string) string {
	t.Helper()
	return FitFileWith(t, dir, offline.DefaultTrainOptions())
}

// FitFileWith is FitFile with options o (e.g. Epochs > 0 for a per-prompt
// text correction).
func FitFileWith(t testing.TB, dir string, o offline.TrainOptions) string {
	t.Helper()
	ds, err := offline.Read(bytes.NewReader(CSV()))
	if err != nil {
		t.Fatal(err)
	}
	m, err := offline.Fit(ds, o)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "router.bin")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	return path
}
