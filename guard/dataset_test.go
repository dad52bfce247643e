package guard

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// datasets is the team's shared data folder, next to the repository.
const datasets = "../../shared/datasets"

// presidioKinds maps the PII set's entity types to the kinds Redact masks.
var presidioKinds = map[string]Kind{
	"EMAIL_ADDRESS": KindEmail, "CREDIT_CARD": KindCard, "PHONE_NUMBER": KindPhone,
	"US_SSN": KindSSN, "IBAN_CODE": KindIBAN, "IP_ADDRESS": KindIP,
}

// piiFloors are the least recall and precision per kind on the PII set:
// the bars for recall (0.99, phones 0.95; IP addresses are held to
// 0.99 too), and for precision what the engine reaches less a margin.
var piiFloors = map[string][2]float64{
	"email": {0.99, 0.98}, "card": {0.99, 0.98}, "ssn": {0.99, 0.95}, "iban": {0.99, 0.98},
	"phone": {0.95, 0.93}, "ip": {0.99, 0.95},
}

// TestRedactPIIDataset measures recall and precision per kind on
// presidio-research's generated PII texts (docs/security.md publishes the
// figures), and fails when one falls below its floor. A labeled span is
// found when one mask of its kind covers it whole; a mask is right when it
// overlaps a labeled span of its kind. Masks of the other kinds (keys,
// credentials) are all wrong here and reported as "other".
func TestRedactPIIDataset(t *testing.T) {
	texts := loadPII(t)
	counts := measure(&Redactor{}, texts, scoring{
		finds: func(g string, k Kind) bool { return g == string(k) },
		against: func(_ *labeledText, k Kind) string {
			if _, ok := piiFloors[string(k)]; ok {
				return string(k)
			}
			return "other"
		},
	})
	report(t, counts, piiFloors)
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

// presidioText is one text of the dataset with its spans.
type presidioText struct {
	Text  string `json:"full_text"`
	Spans []struct {
		Type  string `json:"entity_type"`
		Start int    `json:"start_position"`
		End   int    `json:"end_position"`
	} `json:"spans"`
}

// loadPII reads the dataset, keeps the spans of the kinds Redact masks and
// turns their character offsets into byte offsets.
func loadPII(t *testing.T) []labeledText {
	b, err := os.ReadFile(filepath.Join(datasets, "security/pii/generated_large.json"))
	if err != nil {
		t.Skipf("PII dataset not available (%v)", err)
	}
	var texts []presidioText
	if err := json.Unmarshal(b, &texts); err != nil {
		t.Fatal(err)
	}
	out := make([]labeledText, len(texts))
	for i, x := range texts {
		at := make([]int, 0, len(x.Text)+1) // byte offset of each character
		for k := range x.Text {
			at = append(at, k)
		}
		at = append(at, len(x.Text))
		out[i].text = x.Text
		for _, sp := range x.Spans {
			if k, ok := presidioKinds[sp.Type]; ok {
				out[i].labels = append(out[i].labels, label{at[min(sp.Start, len(at)-1)], at[min(sp.End, len(at)-1)], string(k)})
			}
		}
	}
	return out
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
	slices.Sort(ks)
	return ks
}
