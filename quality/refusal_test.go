package quality

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// labeled is one labeled answer opening.
type labeled struct {
	lang    string
	refusal bool
	text    string
}

// loadLabeled reads dir/refusals_<lang>.tsv: lines "label\ttext", '#'
// comments, "\n" escapes.
func loadLabeled(t *testing.T, dir string) []labeled {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "refusals_*.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no labeled refusal files: %v", err)
	}
	var out []labeled
	for _, f := range files {
		lang := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "refusals_"), ".tsv")
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			label, text, ok := strings.Cut(line, "\t")
			if !ok || (label != "refusal" && label != "answer") {
				t.Fatalf("%s:%d: want \"refusal|answer<TAB>text\", got %q", f, n, line)
			}
			out = append(out, labeled{lang, label == "refusal", strings.ReplaceAll(text, `\n`, "\n")})
		}
		fh.Close()
	}
	return out
}

// confusion counts a detector's outcomes.
type confusion struct{ tp, fp, fn, tn int }

func (c *confusion) add(want, got bool) {
	switch {
	case want && got:
		c.tp++
	case want:
		c.fn++
	case got:
		c.fp++
	default:
		c.tn++
	}
}

func (c confusion) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c confusion) recall() float64    { return ratio(c.tp, c.tp+c.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// measureRefusals runs IsRefusal on the labeled sets in dir, logs each
// miss and the table docs/quality.md publishes, and returns the confusion
// per language and over all.
func measureRefusals(t *testing.T, dir string) (map[string]*confusion, confusion) {
	t.Helper()
	byLang := map[string]*confusion{}
	var all confusion
	for _, ex := range loadLabeled(t, dir) {
		got := IsRefusal(ex.text)
		if byLang[ex.lang] == nil {
			byLang[ex.lang] = &confusion{}
		}
		byLang[ex.lang].add(ex.refusal, got)
		all.add(ex.refusal, got)
		if got != ex.refusal {
			t.Logf("%s: want refusal=%v: %q", ex.lang, ex.refusal, ex.text)
		}
	}
	langs := make([]string, 0, len(byLang))
	for l := range byLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	if len(langs) != len(languages) {
		t.Errorf("%s: labeled data for %d languages, patterns for %d", dir, len(langs), len(languages))
	}
	t.Logf("| language | refusals | answers | precision | recall |")
	for _, l := range langs {
		c := byLang[l]
		t.Logf("| %s | %d | %d | %.2f | %.2f |", l, c.tp+c.fn, c.fp+c.tn, c.precision(), c.recall())
	}
	t.Logf("| all | %d | %d | %.3f | %.3f |", all.tp+all.fn, all.fp+all.tn, all.precision(), all.recall())
	return byLang, all
}

// The refusal patterns are measured on two labeled sets of ours: the one
// they were tuned on (testdata), and one written after all tuning and never
// used to change them (testdata/holdout), which says what to expect of
// unseen answers. The thresholds hold the measured quality (docs/quality.md):
// `go test -run TestRefusalPrecisionRecall -v ./quality` prints the tables.
func TestRefusalPrecisionRecall(t *testing.T) {
	tests := []struct {
		dir                     string
		minPrecision, minRecall float64 // per language
		allPrecision, allRecall float64
	}{
		{"testdata", 0.95, 0.95, 0.99, 0.99},
		{"testdata/holdout", 0.9, 0.7, 0.98, 0.8},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.dir), func(t *testing.T) {
			byLang, all := measureRefusals(t, tt.dir)
			for l, c := range byLang {
				if c.precision() < tt.minPrecision || c.recall() < tt.minRecall {
					t.Errorf("%s: precision %.2f, recall %.2f; want >= %.2f and %.2f", l, c.precision(), c.recall(), tt.minPrecision, tt.minRecall)
				}
			}
			if all.precision() < tt.allPrecision || all.recall() < tt.allRecall {
				t.Errorf("all: precision %.3f, recall %.3f; want >= %.3f and %.3f", all.precision(), all.recall(), tt.allPrecision, tt.allRecall)
			}
		})
	}
}

func TestIsRefusalEdges(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"", false},
		{"   \n\n  ", false},
		{"I", false},
		{"I can't", false},
		{"> I'm sorry, but I can't help with that.", true},
		{"### I can’t help with that", true}, // typographic apostrophe
		{"I CANNOT ASSIST WITH THAT REQUEST.", true},
		{"Here is the code.\n\nI can't help with the rest.", true}, // second sentence
		{"Here is the code. It works. I can't help with the rest.", false},
		{"e.g. I can't help with that", true},                 // "e.g" is the first sentence; the refusal opens the second
		{"Version 3.5 is out. I can't help with that.", true}, // "3.5" ends no sentence
		{"Hi.\n\n\n\nI can't help with that.", true},          // blank lines are no sentences
		{strings.Repeat("word ", 70) + "end. I can't help with that.", true},
		{strings.Repeat("word ", 90) + "end. I can't help with that.", false}, // beyond the first 400 characters
		{"عذرًا، لا يمكنني المساعدة", true},                                   // diacritics folded
	}
	for _, tt := range tests {
		if got := IsRefusal(tt.text); got != tt.want {
			t.Errorf("IsRefusal(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
