package classify

import "testing"

// TestLabelingWithOptions reads testdata/probe/labeling.jsonl: twelve
// requests to label a given text (sentiment, topic, intent, emotion, spam,
// language) with the labels offered as lettered options, in eight languages,
// and eight knowledge questions with options in six; written for this test
// and never trained on. Labeling is extraction, a knowledge question factual.
// The shipped model reads 2 of the 12 labeling requests as extraction — a
// known limit (docs/classifier.md: written labeling examples with options
// took it to 7 of 12 but cost real exam questions more, and were not kept).
// The test holds the knowledge side (all but one factual) and the labeling
// side at no fewer than today's two, so neither gets worse unnoticed.
func TestLabelingWithOptions(t *testing.T) {
	perClass := scoreProbes(t, "testdata/probe/labeling.jsonl")
	if perClass["extraction"][1] != 12 || perClass["factual"][1] != 8 {
		t.Fatalf("probe set holds %v, want 12 extraction and 8 factual", perClass)
	}
	t.Logf("per class (right, of): %v", perClass)
	if pc := perClass["extraction"]; pc[0] < minLabelingWithOptions {
		t.Errorf("labeling with options: %d of %d read as extraction, want at least %d", pc[0], pc[1], minLabelingWithOptions)
	}
	if pc := perClass["factual"]; pc[0] < pc[1]-1 {
		t.Errorf("knowledge questions with options: %d of %d read as factual, want all but one", pc[0], pc[1])
	}
}

// minLabelingWithOptions is the shipped model's count: a floor against
// regression, not a goal (the goal would be half, as for the other probes).
const minLabelingWithOptions = 2
