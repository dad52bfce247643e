package offline

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"testing"
)

// A synthetic world with two kinds of prompts and three models: "big" is
// good at everything and costly; "coder" is good at code prompts only and
// cheap; "quizzer" at quiz prompts only, and cheap. A router that tells
// the kinds apart gets nearly big's quality at a fraction of its cost.

var synthModels = []string{"big", "coder", "quizzer"}

// synthP is each model's probability of a good answer per kind (code,
// quiz); synthCost its cost.
var (
	synthP    = map[string][2]float64{"big": {0.9, 0.9}, "coder": {0.9, 0.2}, "quizzer": {0.2, 0.9}}
	synthCost = map[string]float64{"big": 0.01, "coder": 0.001, "quizzer": 0.001}
)

var synthTopics = []string{"sort a list", "reverse a string", "parse a date", "merge two maps", "count words",
	"find primes", "sum digits", "flatten a tree", "dedupe items", "rotate an array"}

var synthQuestions = []string{"the capital of France", "the boiling point of water", "the largest planet",
	"the author of Hamlet", "the speed of light", "the tallest mountain", "the smallest prime", "the year of the moon landing"}

// synthPrompt returns prompt i's text and kind (0 code, 1 quiz).
func synthPrompt(i int) (string, int) {
	if i%2 == 0 {
		t := synthTopics[(i/2)%len(synthTopics)]
		return fmt.Sprintf("Write a python function to %s.\n\ndef solve(x):\n    pass  # variant %d", t, i), 0
	}
	q := synthQuestions[(i/2)%len(synthQuestions)]
	return fmt.Sprintf("Answer the question: what is %s?\nA) one\nB) two\nC) three\nD) four\nAnswer: (%d)", q, i), 1
}

// synthCSV returns n prompts × the models in the long format, with
// outcomes drawn from a fixed generator.
func synthCSV(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"source", "task", "split", "prompt_id", "prompt", "model", "score", "cost_usd"})
	r := rng{state: 42}
	for i := range n {
		text, kind := synthPrompt(i)
		task := []string{"code", "quiz"}[kind]
		split := "train"
		if i%5 == 0 {
			split = "test"
		}
		for _, m := range synthModels {
			score := 0.0
			if float64(r.next()>>11)/(1<<53) < synthP[m][kind] {
				score = 1
			}
			w.Write([]string{"synth", task, split, "p" + strconv.Itoa(i), text, m,
				strconv.FormatFloat(score, 'f', 1, 64), strconv.FormatFloat(synthCost[m], 'f', 4, 64)})
		}
	}
	w.Flush()
	return buf.Bytes()
}

func synthDataset(t testing.TB, n int) *Dataset {
	t.Helper()
	ds, err := Read(bytes.NewReader(synthCSV(t, n)))
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// routerBench returns the RouterBench slice of the shared datasets, or
// skips the test when it is absent.
func routerBench(t testing.TB) *Dataset {
	t.Helper()
	path := "../../../shared/datasets/routing/routerbench_train.csv.gz"
	if _, err := os.Stat(path); err != nil {
		t.Skipf("RouterBench data not found at %s (../shared/datasets/routing/ beside the repository)", path)
	}
	ds, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// fastOptions are training options small enough for tests.
func fastOptions() TrainOptions {
	o := DefaultTrainOptions()
	o.Features.Bits = 12
	o.CalibrationFolds = 3
	return o
}
