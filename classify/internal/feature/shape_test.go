package feature

import (
	"strings"
	"testing"
)

func TestTextShape(t *testing.T) {
	passage := strings.Repeat("The council voted on Tuesday to widen the bridge. ", 40) // 2,000 bytes
	tests := []struct {
		name string
		text string
		want shape
	}{
		{"greeting", "hi there", shape{size: 0, first: 1, rest: 0}},
		{"question", "What is the capital of Peru?", shape{size: 1, first: 2, rest: 0}},
		{"instruction over a document", "Summarize this:\n\n" + passage, shape{size: 7, first: 1, rest: 5}},
		{"leading blank lines are not the first line", "\n\n  Summarize this:\n\n" + passage, shape{size: 7, first: 1, rest: 5}},
		{"long first line", strings.Repeat("word ", 4000) + "\nthanks", shape{size: shapeSizeMax, first: shapeFirstMax, rest: 0}},
		{"short first line", "x\n" + strings.Repeat("word ", 4000), shape{size: shapeSizeMax, first: 0, rest: shapeRestMax}},
	}
	for _, tt := range tests {
		if got := textShape(tt.text); got != tt.want {
			t.Errorf("%s: textShape = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestShapeFeaturesTellDocumentsFromQuestions(t *testing.T) {
	feats := func(text string) map[uint32]bool {
		var x Extractor
		x.Reset(16, nil)
		x.Run(&Input{Main: text})
		m := map[uint32]bool{}
		for _, f := range x.Features() {
			if f>>NSShift == nsShape {
				m[f] = true
			}
		}
		return m
	}
	doc := feats("Summarize this:\n\n" + strings.Repeat("The council met. ", 60))
	q := feats("Summarize this: the council met.")
	differ := 0
	for f := range doc {
		if !q[f] {
			differ++
		}
	}
	// the lengths of the text, its first line and the rest, and their conjunctions
	if differ < 4 {
		t.Errorf("a document task and a one-line request share all but %d shape features", differ)
	}
}
