package train

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the repository root seen from this package's directory;
// DefaultData's paths are relative to it.
const repoRoot = "../.."

// defaultData returns DefaultData's paths as seen from this directory.
func defaultData() []string {
	paths := make([]string, len(DefaultData))
	for i, p := range DefaultData {
		paths[i] = filepath.Join(repoRoot, p)
	}
	return paths
}

// TestTrainingDataMatchesChecksums checks that the public prompt sets the
// shipped model was trained on, and RouterDC's file its measured option
// reads (--data …/routerdc7_train.csv.gz), are present and unchanged. It
// fails, never skips, when they are absent: without them the model cannot
// be rebuilt or measured (they live in ../shared/datasets beside the
// repository; the checksum file names them relative to that folder).
func TestTrainingDataMatchesChecksums(t *testing.T) {
	f, err := os.Open("testdata/datasets.sha256")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir := filepath.Join(repoRoot, "../shared/datasets")
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		want, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("bad checksum line %q", sc.Text())
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("training data %s is missing (the shared datasets folder must sit beside the repository): %v", name, err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: sha256 %s, want %s: the data changed; retrain, re-measure and update testdata/datasets.sha256", name, got, want)
		}
		n++
	}
	if n != 3 {
		t.Errorf("%d checksums, want 3", n)
	}
}

// TestRetrainReproducesEmbeddedWeights retrains with the documented
// command's data and options and compares the bytes with the committed
// model.
func TestRetrainReproducesEmbeddedWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the retraining (about 10 s, a minute under -race)")
	}
	ex, err := ReadFiles(defaultData())
	if err != nil {
		t.Fatal(err)
	}
	ex, _ = Curate(ex)
	c, err := Train(ex, DefaultTrainOptions())
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(repoRoot, "classify/model/weights.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if got := save(t, c); !bytes.Equal(got, want) {
		g, w := sha256.Sum256(got), sha256.Sum256(want)
		t.Errorf("retrained model sha256 %x…, committed %x…: run `go run ./cmd/switchyard classify train` and commit classify/model/weights.bin",
			g[:8], w[:8])
	}
}
