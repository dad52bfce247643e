package guard

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// This file measures Redact on the written test sets of testdata/: phone
// numbers in the formats of 30-odd countries and IP addresses, each with
// near misses (docs/security.md publishes the figures).

// loadWritten reads a written test set, each text written for group: one
// text per line in markup (see markup), "\n" for a line break, '#'
// starting a comment line.
func loadWritten(t *testing.T, name, group string) []labeledText {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labeledText
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, markup(t, strings.ReplaceAll(line, `\n`, "\n"), group))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// oneKind scores a set labeled with one kind: a mask finds a piece of its
// own kind, and a wrong mask counts against its kind.
var oneKind = scoring{
	finds:   func(g string, k Kind) bool { return g == string(k) },
	against: func(_ *labeledText, k Kind) string { return string(k) },
}

// TestRedactPhoneSet: recall and precision on testdata/phones.txt, held
// to the bar for phones (recall 0.95).
func TestRedactPhoneSet(t *testing.T) {
	counts := measure(&Redactor{}, loadWritten(t, "phones.txt", "phone"), oneKind)
	report(t, counts, map[string][2]float64{"phone": {0.95, 0.95}})
}

// TestRedactIPSet: recall and precision on testdata/ips.txt.
func TestRedactIPSet(t *testing.T) {
	counts := measure(&Redactor{}, loadWritten(t, "ips.txt", "ip"), oneKind)
	report(t, counts, map[string][2]float64{"ip": {0.99, 0.99}})
}

// TestRedactPhoneHoldout: recall and precision on
// testdata/phones_holdout.txt, written after the phone rules were last
// changed (see the file). Its figures are reported, and held to the bar.
func TestRedactPhoneHoldout(t *testing.T) {
	counts := measure(&Redactor{}, loadWritten(t, "phones_holdout.txt", "phone"), oneKind)
	report(t, counts, map[string][2]float64{"phone": {0.95, 0.9}})
}
