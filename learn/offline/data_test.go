package offline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestReadLongFormat(t *testing.T) {
	const data = `prompt_id,prompt,model,score,cost_usd,split,task,raw_score
a,"first
prompt",m2,1.0,0.002,train,t1,x
a,"first
prompt",m1,0.0,0.001,train,t1,x
b,second,m1,1.0,0.001,test,t2,x
b,second,m2,,0.002,test,t2,x
c,third,m2,0.5,,train,t1,x
c,third,m1,1,0.001,train,t1,x
a,other text under the same id,m1,1,0.001,train,t1,x
a,other text under the same id,m2,0,0.001,train,t1,x
`
	for name, b := range map[string][]byte{"plain": []byte(data), "gzip": gzipBytes(t, []byte(data))} {
		t.Run(name, func(t *testing.T) {
			ds, err := Read(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(ds.Models, ",") != "m1,m2" {
				t.Fatalf("models %v, want sorted m1,m2", ds.Models)
			}
			if ds.Dropped != 1 || len(ds.Prompts) != 3 {
				t.Fatalf("%d prompts, %d dropped; want 3 and 1 (b has no score from m2)", len(ds.Prompts), ds.Dropped)
			}
			p := ds.Prompts[0]
			if p.ID != "a" || p.Text != "first\nprompt" || p.Task != "t1" || p.Split != "train" {
				t.Errorf("first prompt %+v", p)
			}
			if p.Score[0] != 0 || p.Score[1] != 1 || p.Cost[0] != 0.001 || p.Cost[1] != 0.002 {
				t.Errorf("first prompt's outcomes %v %v, want by sorted model", p.Score, p.Cost)
			}
			if c := ds.Prompts[1]; c.ID != "c" || c.Score[1] != 0.5 || c.Cost[1] != 0 {
				t.Errorf("third prompt %+v: a fractional score and an empty cost (zero)", c)
			}
			if ds.Prompts[2].Text != "other text under the same id" {
				t.Errorf("a second text under one id is a prompt of its own: %+v", ds.Prompts[2])
			}
			if !ds.HasCost {
				t.Error("HasCost false")
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	for name, data := range map[string]string{
		"no score column":  "prompt,model\nx,m\n",
		"score above 1":    "prompt,model,score\nx,m,1.5\n",
		"score not number": "prompt,model,score\nx,m,yes\n",
		"negative cost":    "prompt,model,score,cost_usd\nx,m,1,-1\n",
		"empty model":      "prompt,model,score\nx,,1\n",
		"rated twice":      "prompt,model,score\nx,m,1\nx,m,0\n",
		"no rows":          "prompt,model,score\n",
		"no complete":      "prompt,model,score\nx,m,\n",
	} {
		if _, err := Read(strings.NewReader(data)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	_, err := Read(strings.NewReader("prompt,model,score\nx,m,1\nx,m,0\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("error %v does not name line 3", err)
	}
}

// Outside data that Read took before and a later step tripped over (a
// NaN cost reached the model as "bad model file: cost scale NaN", a huge
// one overflowed the cost scale to +Inf, a UTF-8 byte order mark hid the
// first column, a truncated gzip stream said only "unexpected EOF", a
// duplicate without prompt_id named prompt ""): each is refused at its
// line, naming what is wrong.
func TestReadRefusesOddValues(t *testing.T) {
	for name, tc := range map[string]struct{ data, want string }{
		"NaN cost":     {"prompt,model,score,cost_usd\nx,m,1,0\ny,m,1,NaN\n", `line 3: cost_usd "NaN" is not a number`},
		"huge cost":    {"prompt,model,score,cost_usd\nx,m,1,1e308\n", `line 2: cost_usd "1e308" is not a number`},
		"NaN score":    {"prompt,model,score\nx,m,NaN\n", `line 2: score "NaN" not in [0, 1]`},
		"rated twice":  {"prompt,model,score\nx,m,1\nx,m,0\n", `line 3: prompt "x" rated twice by "m"`},
		"truncated gz": {string(truncatedGzip(t)), "gzip: unexpected EOF (truncated?)"},
	} {
		_, err := Read(strings.NewReader(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
	}
	ds, err := Read(strings.NewReader("\ufeffprompt,model,score\nx,m,1\n"))
	if err != nil || ds.Prompts[0].Text != "x" {
		t.Errorf("a byte order mark before the header: %v", err)
	}
}

// A row longer than maxRowBytes is refused once read that far, not held
// in memory whole: a file of one 2 GB line took 10 GB to be refused.
func TestReadBoundsARow(t *testing.T) {
	long := io.MultiReader(strings.NewReader("prompt,model,score\nx,m,1\n\""), zeros{})
	_, err := Read(long)
	if err == nil || !strings.Contains(err.Error(), "line 3: a row longer than 16 MiB") {
		t.Errorf("error %v", err)
	}
}

// truncatedGzip is the first half of a gzip stream of outcome data.
func truncatedGzip(t *testing.T) []byte {
	var b strings.Builder
	b.WriteString("prompt,model,score\n")
	for i := range 200 {
		fmt.Fprintf(&b, "prompt %d,m,1\n", i)
	}
	gz := gzipBytes(t, []byte(b.String()))
	return gz[:len(gz)/2]
}

// zeros is an endless stream of 'a's.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestSplits(t *testing.T) {
	ds := synthDataset(t, 200)
	tr, te, err := SplitIndexes(ds, "train", "test")
	if err != nil || len(te) != 40 || len(tr) != 160 {
		t.Fatalf("splits: %d/%d, %v", len(tr), len(te), err)
	}
	if _, _, err := SplitIndexes(ds, "train", "validation"); err == nil || !strings.Contains(err.Error(), "[test train]") {
		t.Errorf("a missing split: %v", err)
	}
	tr, te = HoldoutIndexes(ds, 0.3, 7)
	if len(tr)+len(te) != 200 || len(te) < 40 || len(te) > 80 {
		t.Errorf("holdout 0.3 of 200: %d test", len(te))
	}
	// The choice depends on the prompt, not on its position.
	rev := &Dataset{Models: ds.Models}
	for i := len(ds.Prompts) - 1; i >= 0; i-- {
		rev.Prompts = append(rev.Prompts, ds.Prompts[i])
	}
	_, te2 := HoldoutIndexes(rev, 0.3, 7)
	held := map[string]bool{}
	for _, i := range te {
		held[ds.Prompts[i].ID] = true
	}
	for _, i := range te2 {
		if !held[rev.Prompts[i].ID] {
			t.Fatalf("prompt %s held out only in reversed order", rev.Prompts[i].ID)
		}
	}
	if _, te3 := HoldoutIndexes(ds, 0.3, 8); equalInts(te, te3) {
		t.Error("another seed holds out the same prompts")
	}
	groups, err := ds.Groups("task")
	if err != nil || strings.Join(groups, ",") != "code,quiz" {
		t.Errorf("groups %v %v", groups, err)
	}
	if _, err := ds.Groups("model"); err == nil {
		t.Error("grouping by model accepted")
	}
	tr, te, _ = GroupIndexes(ds, "task", "quiz")
	for _, i := range te {
		if ds.Prompts[i].Task != "quiz" {
			t.Fatal("a code prompt in the quiz group")
		}
	}
	if len(tr)+len(te) != 200 {
		t.Error("group split lost prompts")
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFitTooFew(t *testing.T) {
	ds := synthDataset(t, 4)
	if _, err := Fit(ds, fastOptions()); !errors.Is(err, ErrTooFewPrompts) {
		t.Errorf("4 prompts, 3 folds: %v", err)
	}
	o := fastOptions()
	o.Features.Bits = 40
	if _, err := Fit(synthDataset(t, 40), o); err == nil {
		t.Error("40 bits accepted")
	}
}
