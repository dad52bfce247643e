package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// currentFile writes a current-prices file of lines under the header.
func currentFile(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "current.tsv")
	text := strings.Join(currentColumns, "\t") + "\n# a comment\n" + strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// line is a current-prices line for openai's model m with the columns
// set (by index) replaced.
func line(set map[int]string) string {
	f := strings.Split("openai\tm\tchat\t1\t0.1\t-\t4\t400000\t-\t-\t-\t-\t-\t-\t-\thttps://example.com/pricing", "\t")
	for i, v := range set {
		f[i] = v
	}
	return strings.Join(f, "\t")
}

// A current line replaces the fields it lists of the price file's row and
// keeps the rest; it adds a model the price file lacks; a dated line from
// a later day is a row of its own.
func TestOverlay(t *testing.T) {
	in, out, batch := 2e-6, 8e-6, 1e-6
	rows := map[rowKey]row{{"openai", "old", ""}: {vendor: "openai", model: "old", mode: "chat",
		prices: [5]*float64{&in, nil, nil, &out, nil}, context: 128_000, batch: [2]*float64{&batch, &batch}}}
	cs, err := readCurrent(currentFile(t,
		line(map[int]string{1: "old", 3: "1.5", 7: "-", 14: "2026-12-31"}),
		line(map[int]string{1: "old", 3: "3", 13: "2027-01-01"}),
		line(map[int]string{1: "new", 8: "272000", 9: "2", 10: "0.2", 12: "8"})))
	if err != nil {
		t.Fatal(err)
	}
	overlay(rows, cs)
	promo, list, added := rows[rowKey{"openai", "old", ""}], rows[rowKey{"openai", "old", "2027-01-01"}], rows[rowKey{"openai", "new", ""}]
	if perM(promo.prices[0]) != "1.5" || perM(promo.prices[1]) != "0.1" || perM(promo.prices[3]) != "4" || promo.context != 128_000 || promo.batch[0] != &batch || promo.until != "2026-12-31" {
		t.Errorf("promotional row %+v", promo)
	}
	if perM(list.prices[0]) != "3" || list.from != "2027-01-01" || list.until != "" || list.batch[0] != &batch {
		t.Errorf("later row %+v: it should lay over the price file's row, not the promotion's", list)
	}
	if added.long.above != 272_000 || perM(added.long.prices[0]) != "2" || added.long.prices[2] != nil || added.context != 400_000 {
		t.Errorf("added row %+v", added)
	}
	var b strings.Builder
	writeBand(&b, added.long)
	if b.String() != "\t272000\t2\t0.2\t-\t8" {
		t.Errorf("band columns %q", b.String())
	}
}

// The project's own file is read strictly: every malformed line is an
// error naming its line.
func TestReadCurrentRefuses(t *testing.T) {
	for name, l := range map[string]string{
		"unknown vendor":      line(map[int]string{0: "acme"}),
		"no output price":     line(map[int]string{6: "-"}),
		"negative price":      line(map[int]string{4: "-0.1"}),
		"bad context":         line(map[int]string{7: "lots"}),
		"band without input":  line(map[int]string{8: "1000", 12: "8"}),
		"band prices alone":   line(map[int]string{9: "2", 12: "8"}),
		"bad date":            line(map[int]string{13: "2027-13-01"}),
		"until before from":   line(map[int]string{13: "2027-01-01", 14: "2026-01-01"}),
		"no source":           line(map[int]string{15: " "}),
		"too few columns":     "openai\tm\tchat\t1",
		"two prices, one day": line(nil) + "\n" + line(map[int]string{14: "2026-12-31"}),
	} {
		if _, err := readCurrent(currentFile(t, l)); err == nil || !strings.Contains(err.Error(), "current.tsv:") || !strings.Contains(err.Error(), "line") && !strings.Contains(err.Error(), "tsv:3") {
			t.Errorf("%s: err %v, want one naming the file and line", name, err)
		}
	}
	path := filepath.Join(t.TempDir(), "x.tsv")
	if err := os.WriteFile(path, []byte("vendor\tmodel\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readCurrent(path); err == nil {
		t.Error("a file with another header was read")
	}
	if _, err := readCurrent(currentFile(t, line(map[int]string{14: "2026-12-31"}), line(map[int]string{13: "2027-01-01"}))); err != nil {
		t.Errorf("two periods that do not overlap: %v", err)
	}
}

// The project's current-prices file reads, and names a source on every
// line.
func TestProjectCurrentFile(t *testing.T) {
	cs, err := readCurrent(filepath.Join("..", "..", "catalog_current.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < 60 {
		t.Errorf("%d lines: the project's file lists today's models", len(cs))
	}
}
