package openai

import "testing"

// TestDecoderComplete: a stream is complete when a choice began and every
// choice begun carried its finish_reason, whatever the indices and their
// order (choice 0 is kept apart from the others).
func TestDecoderComplete(t *testing.T) {
	type seen struct {
		index  int
		finish bool
	}
	tests := []struct {
		name   string
		chunks []seen
		want   bool
	}{
		{"nothing", nil, false},
		{"choice 0 open", []seen{{0, false}}, false},
		{"choice 0 finished at once", []seen{{0, true}}, true},
		{"choice 0 open then finished", []seen{{0, false}, {0, true}}, true},
		{"a chunk after the finish", []seen{{0, true}, {0, false}}, true},
		{"choice 1 still open", []seen{{0, true}, {1, false}}, false},
		{"both finished", []seen{{0, false}, {1, false}, {1, true}, {0, true}}, true},
		{"choice 0 open, 1 finished", []seen{{1, true}, {0, false}}, false},
		{"only choice 1", []seen{{1, false}, {1, true}}, true},
		{"only choice 1, open", []seen{{1, false}}, false},
	}
	for _, tt := range tests {
		var d decoder
		for _, c := range tt.chunks {
			d.track(c.index, c.finish)
		}
		if got := d.complete(); got != tt.want {
			t.Errorf("%s: complete = %v, want %v", tt.name, got, tt.want)
		}
	}
}
