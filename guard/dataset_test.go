package guard

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// datasets is the team's shared data folder, next to the repository.
const datasets = "../../shared/datasets"

// presidioKinds maps the PII set's entity types to the kinds Redact masks.
var presidioKinds = map[string]Kind{
	"EMAIL_ADDRESS": KindEmail, "CREDIT_CARD": KindCard, "PHONE_NUMBER": KindPhone,
	"US_SSN": KindSSN, "IBAN_CODE": KindIBAN,
}

// TestRedactPIIDataset measures recall and precision on presidio-research's
// generated PII texts (docs/redaction.md reports the figures). A labeled
// span is found when one redacted span covers it whole; a redacted span is
// right when it overlaps a labeled span of its kind.
func TestRedactPIIDataset(t *testing.T) {
	texts := loadPII(t)
	type count struct{ labeled, found, masked, right int }
	counts := map[Kind]*count{}
	for _, k := range presidioKinds {
		counts[k] = &count{}
	}
	var r Redactor
	for _, x := range texts {
		got := r.find(x.Text, nil)
		for _, l := range x.Spans {
			k, ok := presidioKinds[l.Type]
			if !ok {
				continue
			}
			counts[k].labeled++
			for _, g := range got {
				if g.start <= l.Start && g.end >= l.End {
					counts[k].found++
					break
				}
			}
		}
		for _, g := range got {
			c := counts[g.kind]
			if c == nil {
				continue // keys and tokens: not in this set
			}
			c.masked++
			for _, l := range x.Spans {
				if presidioKinds[l.Type] == g.kind && g.start < l.End && l.Start < g.end {
					c.right++
					break
				}
			}
		}
	}
	floors := map[Kind][2]float64{ // minimum recall, precision
		KindEmail: {0.98, 0.98}, KindCard: {0.98, 0.98}, KindSSN: {0.98, 0.95},
		KindIBAN: {0.95, 0.98}, KindPhone: {0.9, 0.95},
	}
	for _, k := range sortedKinds(counts) {
		c := counts[k]
		rec, prec := ratio(c.found, c.labeled), ratio(c.right, c.masked)
		t.Logf("%-6s labeled %4d found %4d recall %.3f | masked %4d right %4d precision %.3f",
			k, c.labeled, c.found, rec, c.masked, c.right, prec)
		if f := floors[k]; rec < f[0] || prec < f[1] {
			t.Errorf("%s: recall %.3f precision %.3f, want at least %.2f and %.2f", k, rec, prec, f[0], f[1])
		}
	}
}

// TestRedactRealPrompts counts what Redact masks in real prompts that hold
// (almost) no personal data: every mask there is a false positive unless
// the prompt really quotes an email or a number of that kind.
func TestRedactRealPrompts(t *testing.T) {
	f, err := os.Open(filepath.Join(datasets, "prompts/task_prompts_real.jsonl"))
	if err != nil {
		t.Skipf("prompt dataset not available (%v)", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	n, masked, by := 0, 0, map[Kind][]string{}
	var r Redactor
	for sc.Scan() {
		var p struct{ Text string }
		if json.Unmarshal(sc.Bytes(), &p) != nil {
			continue
		}
		n++
		for _, g := range r.find(p.Text, nil) {
			masked++
			by[g.kind] = append(by[g.kind], p.Text[g.start:g.end])
		}
	}
	for _, k := range sortedKinds(by) {
		t.Logf("%-10s %4d masks, e.g. %q", k, len(by[k]), by[k][:min(len(by[k]), 40)])
	}
	t.Logf("%d prompts, %d masks (%.2f per 1000 prompts)", n, masked, 1000*float64(masked)/float64(max(n, 1)))
	if float64(masked) > 0.01*float64(n) {
		t.Errorf("%d masks in %d real prompts: too many false positives", masked, n)
	}
}

// labeled is one PII span of the dataset.
type labeled struct {
	Type  string `json:"entity_type"`
	Start int    `json:"start_position"`
	End   int    `json:"end_position"`
}

// piiText is one text of the dataset with its spans.
type piiText struct {
	Text  string    `json:"full_text"`
	Spans []labeled `json:"spans"`
}

// loadPII reads the dataset and turns its character offsets into byte
// offsets.
func loadPII(t *testing.T) []piiText {
	b, err := os.ReadFile(filepath.Join(datasets, "security/pii/generated_large.json"))
	if err != nil {
		t.Skipf("PII dataset not available (%v)", err)
	}
	var texts []piiText
	if err := json.Unmarshal(b, &texts); err != nil {
		t.Fatal(err)
	}
	for _, x := range texts {
		at := make([]int, 0, len(x.Text)+1) // byte offset of each character
		for i := range x.Text {
			at = append(at, i)
		}
		at = append(at, len(x.Text))
		for k := range x.Spans {
			sp := &x.Spans[k]
			sp.Start, sp.End = at[min(sp.Start, len(at)-1)], at[min(sp.End, len(at)-1)]
		}
	}
	return texts
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func sortedKinds[V any](m map[Kind]V) []Kind {
	ks := make([]Kind, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}
