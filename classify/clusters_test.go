package classify

import (
	"bytes"
	"errors"
	"testing"

	"switchyard/classify/internal/feature"
)

// wordKey returns a word's key, failing the test for a word that is not one.
func wordKey(t *testing.T, w string) uint32 {
	t.Helper()
	k, ok := feature.WordKey(w)
	if !ok {
		t.Fatalf("WordKey(%q) not ok", w)
	}
	return k
}

// patternModel is a small model whose every bucket has its own weights, so
// any change of features changes the scores.
func patternModel(t *testing.T) *Classifier {
	t.Helper()
	rows := make([][numClasses]int8, 1<<12)
	for b := range rows {
		for k := range rows[b] {
			rows[b][k] = int8((b*31+k*17)%255 - 127)
		}
	}
	scale := [numClasses]float32{0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01}
	c, err := New(rows, scale, [numClasses]float32{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClustersSaveLoadAndScore(t *testing.T) {
	keys := []uint32{wordKey(t, "sonnet"), wordKey(t, "limerick"), wordKey(t, "regex")}
	paths := []uint16{0b0101, 0b0101, 0b1100 | feature.ClusterCommon}
	for _, edge := range []bool{false, true} {
		c, err := patternModel(t).WithClusters(keys, paths, 4, 1<<2|1<<4, edge)
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
			t.Errorf("edge %t: a loaded model saves to other bytes", edge)
		}
		plain := patternModel(t)
		for _, text := range []string{"write a sonnet", "a limerick\n\nabout cats", "fix my regex", ""} {
			if a, b := c.ClassifyText(text), d.ClassifyText(text); a != b {
				t.Errorf("edge %t, %q: built %+v, loaded %+v", edge, text, a, b)
			}
		}
		// A clustered word changes the scores; a word flagged common or
		// absent from the table does not.
		if c.ClassifyText("write a sonnet") == plain.ClassifyText("write a sonnet") {
			t.Errorf("edge %t: the cluster of sonnet changed nothing", edge)
		}
		for _, text := range []string{"fix my regex", "nothing known here"} {
			if c.ClassifyText(text) != plain.ClassifyText(text) {
				t.Errorf("edge %t: %q scored differently with the table", edge, text)
			}
		}
	}
	// With edge, a clustered word between the first and last lines is not read.
	c, _ := patternModel(t).WithClusters(keys, paths, 4, 1<<4, true)
	mid := "first line\nsonnet\nlast line"
	if c.ClassifyText(mid) != patternModel(t).ClassifyText(mid) {
		t.Error("edge: a word of a middle line added cluster features")
	}
	if _, err := patternModel(t).WithClusters(keys, paths, 4, 1<<5, false); !errors.Is(err, ErrBadModel) {
		t.Errorf("level below the tree: error %v, want ErrBadModel", err)
	}
	if _, err := patternModel(t).WithClusters(nil, nil, 4, 1<<4, false); !errors.Is(err, ErrBadModel) {
		t.Errorf("empty table: error %v, want ErrBadModel", err)
	}
}

func TestClassifyWithClustersDoesNotAllocate(t *testing.T) {
	c, err := patternModel(t).WithClusters([]uint32{wordKey(t, "council"), wordKey(t, "park")}, []uint16{1, 2}, 4, 1<<4, false)
	if err != nil {
		t.Fatal(err)
	}
	req := prompt500()
	c.Classify(req)
	if n := testing.AllocsPerRun(200, func() { c.Classify(req) }); n > 0.5 {
		t.Errorf("Classify with clusters allocates %v times per call", n)
	}
}

// FuzzLoad checks that Load never panics on any bytes and that what it
// accepts saves back to the same bytes and classifies.
func FuzzLoad(f *testing.F) {
	f.Add(embedded)
	rows := make([][numClasses]int8, 1<<10)
	c, err := New(rows, [numClasses]float32{1}, [numClasses]float32{})
	if err != nil {
		f.Fatal(err)
	}
	k, _ := feature.WordKey("sonnet")
	if c, err = c.WithClusters([]uint32{k}, []uint16{3}, 2, 1<<2, true); err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("SWCL"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Load(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, ErrBadModel) {
				t.Fatalf("error %v does not wrap ErrBadModel", err)
			}
			return
		}
		var out bytes.Buffer
		if err := m.Save(&out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), b) {
			t.Fatal("a loaded model saves to other bytes")
		}
		if f := m.ClassifyText("write a sonnet"); !f.Category.Valid() {
			t.Fatalf("invalid category %q", f.Category)
		}
	})
}
