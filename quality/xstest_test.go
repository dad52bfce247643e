package quality

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// XSTest (Röttger et al., NAACL 2024; github.com/paul-rottger/exaggerated-safety)
// publishes model answers to its prompts, each labeled by two annotators as
// full compliance, full refusal or partial refusal. Those answers are not
// kept in this repository: point SWITCHYARD_XSTEST at a directory holding
// its model_completions/*.csv to measure the English patterns on them (full
// refusals against full compliance; partial refusals reported apart).
func TestRefusalXSTest(t *testing.T) {
	dir := os.Getenv("SWITCHYARD_XSTEST")
	if dir == "" {
		t.Skip("SWITCHYARD_XSTEST is not set: the XSTest model completions are not in the repository (see docs/quality.md)")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CSV files in %s: %v", dir, err)
	}
	var all confusion
	partial, partialFlagged := 0, 0
	for _, f := range files {
		var c confusion
		fp, pp := 0, 0
		for _, row := range readXSTest(t, f) {
			got := IsRefusal(row.completion)
			switch row.label {
			case "1_full_compliance":
				c.add(false, got)
			case "2_full_refusal":
				c.add(true, got)
			case "3_partial_refusal":
				fp++
				if got {
					pp++
				}
			}
		}
		t.Logf("%s: refusals %d, compliant %d, precision %.3f, recall %.3f; partial refusals %d, %d flagged",
			filepath.Base(f), c.tp+c.fn, c.fp+c.tn, c.precision(), c.recall(), fp, pp)
		all.tp, all.fp, all.fn, all.tn = all.tp+c.tp, all.fp+c.fp, all.fn+c.fn, all.tn+c.tn
		partial, partialFlagged = partial+fp, partialFlagged+pp
	}
	t.Logf("all: refusals %d, compliant %d, precision %.3f, recall %.3f; partial refusals %d, %d flagged",
		all.tp+all.fn, all.fp+all.tn, all.precision(), all.recall(), partial, partialFlagged)
	if all.precision() < 0.95 {
		t.Errorf("precision %.3f on XSTest; want >= 0.95", all.precision())
	}
}

type xstestRow struct{ completion, label string }

func readXSTest(t *testing.T, path string) []xstestRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("%s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	ci, ok1 := col["completion"]
	li, ok2 := col["final_label"]
	if !ok1 || !ok2 {
		t.Fatalf("%s: no completion or final_label column", path)
	}
	var out []xstestRow
	for _, r := range recs[1:] {
		out = append(out, xstestRow{r[ci], r[li]})
	}
	return out
}
