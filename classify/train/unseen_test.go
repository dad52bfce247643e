package train

import "testing"

func TestUnseenRates(t *testing.T) {
	ex := []Example{
		{Text: "write a poem", Label: "creative", Source: "nq-open a"},
		{Text: "write a limerick", Label: "creative", Source: "gsm8k b"},
		{Text: "a poem", Label: "creative", Source: "gsm8k b"},
	}
	score := func(right bool) [numClasses]float32 {
		var s [numClasses]float32
		if right {
			s[1] = 1 // creative
		} else {
			s[0] = 1
		}
		return s
	}
	preds := []Prediction{
		{Example: &ex[1], Label: 1, Scores: score(false), Fold: "without gsm8k"}, // limerick: only gsm8k uses it
		{Example: &ex[0], Label: 1, Scores: score(true), Fold: "without nq"},
		{Example: &ex[2], Label: 1, Scores: score(true), Fold: "within fold 0"}, // not a held-out group: skipped
	}
	clusters := &WordClusters{Depth: 2, Words: []string{"limerick"}, Paths: []uint16{1}}
	got := UnseenRates(preds, ex, clusters)
	want := []UnseenRate{
		{Group: "gsm8k", Right: false, Prompts: 1, Words: 3, Unseen: 1, InTable: 1},
		{Group: "nq", Right: true, Prompts: 1, Words: 3, Unseen: 0},
	}
	if len(got) != len(want) {
		t.Fatalf("UnseenRates = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("rate %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
