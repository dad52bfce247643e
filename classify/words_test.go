package classify

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"switchyard/classify/internal/feature"
	"switchyard/llm"
)

// key returns a word's key, failing the test for a word that is not one.
func key(t *testing.T, w string) uint32 {
	t.Helper()
	k, ok := feature.WordKey(w)
	if !ok {
		t.Fatalf("WordKey(%q) not ok", w)
	}
	return k
}

// flatModel is a model whose hashed weights are all zero: only biases and
// the word table speak.
func flatModel(t *testing.T) *Classifier {
	t.Helper()
	c, err := New(make([][numClasses]int8, 1<<10), [numClasses]float32{}, [numClasses]float32{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWordTableScoresKnownWords(t *testing.T) {
	creative := slices.Index(llm.Categories, llm.CategoryCreative)
	code := slices.Index(llm.Categories, llm.CategoryCode)
	var poem, script WordWeights
	poem.Key, poem.Weight = key(t, "sonnet"), 127
	poem.Weights[creative] = 100
	script.Key, script.Weight = key(t, "regex"), 127
	script.Weights[code] = 100
	scale := [numClasses]float32{}
	for k := range scale {
		scale[k] = 0.05
	}
	c, err := flatModel(t).WithWords([]WordWeights{poem, script}, scale, 1)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want llm.Category
	}{
		{"a SONNET please", llm.CategoryCreative}, // casing folds
		{"write me a Regex", llm.CategoryCode},
	}
	for _, tt := range tests {
		if got := c.ClassifyText(tt.text); got.Category != tt.want {
			t.Errorf("%q: %s (%v), want %s", tt.text, got.Category, got.Scores, tt.want)
		}
	}
	// Unknown words dilute the mean: more of them, a less confident answer.
	short, long := c.ClassifyText("sonnet"), c.ClassifyText("sonnet uno dos tres cuatro cinco seis")
	if !(short.Confidence > long.Confidence && long.Category == llm.CategoryCreative) {
		t.Errorf("sonnet alone %.3f, among unknown words %s %.3f: want creative, less confident", short.Confidence, long.Category, long.Confidence)
	}
	if got := flatModel(t).ClassifyText("a sonnet"); got.Confidence > 0.2 {
		t.Errorf("without the table: %v, want uniform", got.Scores)
	}
}

func TestWordTableSaveLoadAndErrors(t *testing.T) {
	words := []WordWeights{{Key: key(t, "poem"), Weights: [numClasses]int8{1, 2, 3, 4, 5, 6, -7}, Weight: 64}, {Key: key(t, "bug"), Weight: 1}}
	scale := [numClasses]float32{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}
	c, err := flatModel(t).WithWords(words, scale, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	d, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := d.Save(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("a loaded model with a word table saves to other bytes")
	}
	for _, text := range []string{"a poem about a bug", "nothing known", ""} {
		if a, b := c.ClassifyText(text), d.ClassifyText(text); a != b {
			t.Errorf("%q: built %+v, loaded %+v", text, a, b)
		}
	}
	for name, bad := range map[string][]WordWeights{
		"empty":           nil,
		"zero key":        {{Key: 0, Weight: 1}},
		"key twice":       {words[0], words[0]},
		"negative weight": {{Key: 7, Weight: -1}},
	} {
		if _, err := flatModel(t).WithWords(bad, scale, 1); !errors.Is(err, ErrBadModel) {
			t.Errorf("%s: WithWords error = %v, want ErrBadModel", name, err)
		}
	}
	if _, err := flatModel(t).WithWords(words, scale, -1); !errors.Is(err, ErrBadModel) {
		t.Errorf("negative unknown weight: error = %v, want ErrBadModel", err)
	}
}
