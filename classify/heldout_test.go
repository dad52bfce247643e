package classify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The data of the shipped model, as docs/classifier.md's command reads it:
// the public prompts (outside the repo) and the written-here examples.
const (
	publicData = "../../shared/datasets/prompts/task_prompts_train.jsonl"
	writtenDir = "testdata/written"
)

// loadData reads the training data, or skips the test when the public
// dataset is absent.
func loadData(t testing.TB) []Example {
	t.Helper()
	files := []string{publicData}
	if _, err := os.Stat(publicData); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("public dataset %s is absent (it lives in ../shared/datasets next to the repo); skipping", publicData)
	}
	written, err := filepath.Glob(filepath.Join(writtenDir, "*.jsonl"))
	if err != nil || len(written) == 0 {
		t.Fatalf("no written data in %s: %v", writtenDir, err)
	}
	slices.Sort(written)
	var all []Example
	for _, name := range append(files, written...) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		ex, err := ReadJSONL(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		all = append(all, ex...)
	}
	return all
}

func logReport(t *testing.T, r Report, title string) {
	t.Helper()
	var b strings.Builder
	r.Write(&b, title)
	t.Log("\n" + b.String())
}

// TestHeldOutMacroF1 checks the embedded model on sources it never trained
// on (DefaultHoldout): the generalization floor.
func TestHeldOutMacroF1(t *testing.T) {
	_, _, held := Split(loadData(t), DefaultSplit())
	r := Evaluate(Default(), held)
	logReport(t, r, "source-held-out")
	if r.MacroF1 < 0.90 {
		t.Errorf("source-held-out macro-F1 = %.3f, want >= 0.90", r.MacroF1)
	}
}

// TestRandomSplitMacroF1 checks the embedded model on the random split of
// the sources it trained on.
func TestRandomSplitMacroF1(t *testing.T) {
	_, test, _ := Split(loadData(t), DefaultSplit())
	r := Evaluate(Default(), test)
	logReport(t, r, "random split")
	if r.MacroF1 < 0.90 {
		t.Errorf("random-split macro-F1 = %.3f, want >= 0.90", r.MacroF1)
	}
}

// TestRetrainReproducesEmbeddedWeights retrains with the documented
// command's data and options and compares the bytes with the embedded
// model's.
func TestRetrainReproducesEmbeddedWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the retraining (about 5 s, 20 s under -race)")
	}
	train, _, _ := Split(loadData(t), DefaultSplit())
	c, err := Train(train, DefaultTrainOptions())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	got, want := sha256.Sum256(buf.Bytes()), sha256.Sum256(embedded)
	if got != want {
		t.Errorf("retrained model sha256 %s, embedded %s: run the command in docs/classifier.md and commit model/weights.bin",
			hex.EncodeToString(got[:8]), hex.EncodeToString(want[:8]))
	}
}
