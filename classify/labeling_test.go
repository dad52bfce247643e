package classify

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// TestLabelingWithOptions checks that lettered options do not decide the
// category (testdata/probe/labeling.jsonl: twelve requests to label a given
// text — sentiment, topic, intent, emotion, spam, language — with their labels
// offered as options, in eight languages, and eight knowledge questions with
// options in six; written for this test and never trained on). Labeling is
// extraction, a knowledge question factual. Before the written labeling
// examples with options (gen/mclabel*.go), 2 of the 12 labeling requests read
// as extraction; the floor is half, as for the other probe sets.
func TestLabelingWithOptions(t *testing.T) {
	f, err := os.Open("testdata/probe/labeling.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := Default()
	perClass := map[string][2]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var p probe
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		got := c.ClassifyText(p.Text)
		pc := perClass[p.Label]
		pc[1]++
		if string(got.Category) == p.Label {
			pc[0]++
		} else {
			t.Logf("%s: %q is %s (%.2f), labeled %s", p.Source, p.Text, got.Category, got.Confidence, p.Label)
		}
		perClass[p.Label] = pc
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if perClass["extraction"][1] != 12 || perClass["factual"][1] != 8 {
		t.Fatalf("probe set holds %v, want 12 extraction and 8 factual", perClass)
	}
	t.Logf("per class (right, of): %v", perClass)
	if pc := perClass["extraction"]; pc[0]*2 < pc[1] {
		t.Errorf("labeling with options: %d of %d read as extraction, want at least half", pc[0], pc[1])
	}
	if pc := perClass["factual"]; pc[0] < pc[1]-1 {
		t.Errorf("knowledge questions with options: %d of %d read as factual, want all but one", pc[0], pc[1])
	}
}
