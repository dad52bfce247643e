package feature

import "testing"

func TestCueListsAllMatchable(t *testing.T) {
	if cueSkipped != 0 {
		t.Errorf("%d cue list entries are neither one token nor two ideographs", cueSkipped)
	}
}

func TestCueCounts(t *testing.T) {
	tests := []struct {
		text      string
		cue       int
		all       uint16
		firstLine bool
	}{
		{"Write a POEM about the sea, then a short story", cueCreative, 2, true},
		{"请写一首关于春天的诗", cueCreative, 1, true},
		{"写一个故事", cueCreative, 1, true},
		{"Fix this:\n\nmy python script throws a KeyError in the dict lookup", cueCode, 3, false},
		{"Combien coûte 3 kg si 1 kg coûte 2 euros ?", cueMath, 1, true},
		{"Резюмируй этот текст", cueSummary, 1, true},
		{"What is the capital of Peru?", cueAsk, 2, true},
		{"hello there", cueCode, 0, false},
		{"Summraize the following paragraph", cueSummary, 1, true},
		{"Wirte a short POEM; rhymnig please", cueCreative, 2, true},
		{"Sumarize this", cueSummary, 0, false}, // a dropped letter is not a swap
	}
	for _, tt := range tests {
		var x Extractor
		x.Reset(12, nil)
		x.Run(&Input{Main: tt.text})
		if x.cues.all[tt.cue] != tt.all || x.cues.first[tt.cue] != tt.firstLine {
			t.Errorf("%q: %s cues %d (first line %t), want %d (%t)", tt.text, cueNames[tt.cue],
				x.cues.all[tt.cue], x.cues.first[tt.cue], tt.all, tt.firstLine)
		}
	}
}
