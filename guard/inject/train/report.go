package train

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Rate is how many of N examples scored at or above the threshold.
type Rate struct {
	Name       string
	N, Flagged int
}

// Value is Flagged/N (0 for no examples).
func (r Rate) Value() float64 {
	if r.N == 0 {
		return 0
	}
	return float64(r.Flagged) / float64(r.N)
}

// Rates groups scored examples by key and counts those at or above t, in
// key order.
func Rates(scored []Scored, key func(*Scored) string, t float64) []Rate {
	by := map[string]*Rate{}
	for i := range scored {
		s := &scored[i]
		k := key(s)
		r := by[k]
		if r == nil {
			r = &Rate{Name: k}
			by[k] = r
		}
		r.N++
		if s.Score >= t {
			r.Flagged++
		}
	}
	out := make([]Rate, 0, len(by))
	for _, k := range sortedKeys(by) {
		out = append(out, *by[k])
	}
	return out
}

// Pooled adds rates up.
func Pooled(name string, rs []Rate) Rate {
	p := Rate{Name: name}
	for _, r := range rs {
		p.N += r.N
		p.Flagged += r.Flagged
	}
	return p
}

// Macro is the mean of the rates' values.
func Macro(rs []Rate) float64 {
	if len(rs) == 0 {
		return 0
	}
	s := 0.0
	for _, r := range rs {
		s += r.Value()
	}
	return s / float64(len(rs))
}

func byFamily(s *Scored) string { return s.Family }
func bySource(s *Scored) string { return s.Source }

// Summary is the headline of a measurement at a threshold.
type Summary struct {
	Threshold float64
	// FamilyMacro is the mean detection over held-out attack families;
	// FamilyMin the lowest; Attacks the pooled detection.
	FamilyMacro, FamilyMin float64
	Attacks                Rate
	// Sources is the pooled detection of attacks whose whole source was
	// held out (BIPIA's pasted payloads aside); SourceMacro the mean over
	// sources.
	Sources     Rate
	SourceMacro float64
	// Benign is the pooled false-positive rate over held-out benign
	// sources; Hard over their hard negatives.
	Benign, Hard Rate
}

// pastedBIPIA reports BIPIA's payloads pasted in a user message, which
// are measured apart (see builder.bipia).
func pastedBIPIA(s *Scored) bool {
	return s.Channel == "pasted" && strings.HasPrefix(s.Source, "bipia")
}

// families returns the held-out family scores, without (or only, with
// pasted) BIPIA's pasted payloads.
func (m *Measurement) families(pasted bool) []Scored {
	var out []Scored
	for _, s := range m.Families {
		if pastedBIPIA(&s) == pasted {
			out = append(out, s)
		}
	}
	return out
}

// sources returns the held-out source scores, without BIPIA's pasted
// payloads.
func (m *Measurement) sources() []Scored {
	var out []Scored
	for _, s := range m.Sources {
		if !pastedBIPIA(&s) {
			out = append(out, s)
		}
	}
	return out
}

// Summarize returns the headline figures at threshold t.
func (m *Measurement) Summarize(t float64) Summary {
	fam := Rates(m.families(false), byFamily, t)
	s := Summary{Threshold: t, FamilyMacro: Macro(fam), FamilyMin: 1, Attacks: Pooled("attacks", fam)}
	for _, r := range fam {
		s.FamilyMin = min(s.FamilyMin, r.Value())
	}
	src := Rates(m.sources(), bySource, t)
	s.Sources, s.SourceMacro = Pooled("sources", src), Macro(src)
	s.Benign = Pooled("benign", Rates(m.Benign, bySource, t))
	var hard []Scored
	for _, b := range m.Benign {
		if b.Hard {
			hard = append(hard, b)
		}
	}
	s.Hard = Pooled("hard", Rates(hard, bySource, t))
	return s
}

// Write prints the measurement at threshold t as Markdown tables; with
// errors > 0 it also lists that many of the lowest-scoring attacks of
// each family below t and the highest-scoring benign texts.
func (m *Measurement) Write(w io.Writer, t float64, errors int) {
	s := m.Summarize(t)
	fmt.Fprintf(w, "threshold %.2f: attack families held out: macro detection %.3f (lowest %.3f), pooled %d/%d = %.3f; whole sources held out: pooled %d/%d = %.3f (macro %.3f); benign held out: FPR %d/%d = %.4f, hard negatives %d/%d = %.4f\n\n",
		t, s.FamilyMacro, s.FamilyMin, s.Attacks.Flagged, s.Attacks.N, s.Attacks.Value(),
		s.Sources.Flagged, s.Sources.N, s.Sources.Value(), s.SourceMacro,
		s.Benign.Flagged, s.Benign.N, s.Benign.Value(), s.Hard.Flagged, s.Hard.N, s.Hard.Value())
	table(w, "attack family (held out)", "detected", Rates(m.families(false), byFamily, t))
	table(w, "BIPIA payload pasted in the user's message (held out, never trained on)", "detected", Rates(m.families(true), byFamily, t))
	table(w, "attack source (held out whole)", "detected", Rates(m.sources(), bySource, t))
	table(w, "benign source (held out)", "flagged", Rates(m.Benign, bySource, t))
	var hard []Scored
	for _, b := range m.Benign {
		if b.Hard {
			hard = append(hard, b)
		}
	}
	table(w, "hard negatives of each source (held out)", "flagged", Rates(hard, bySource, t))
	table(w, "never trained on", "flagged", Rates(m.Unseen, byFamily, t))
	curve(w, m)
	if errors > 0 {
		listErrors(w, m, t, errors)
	}
}

func table(w io.Writer, title, verb string, rs []Rate) {
	fmt.Fprintf(w, "| %s | n | %s | rate |\n|---|---:|---:|---:|\n", title, verb)
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %d | %d | %.3f |\n", r.Name, r.N, r.Flagged, r.Value())
	}
	p := Pooled("all", rs)
	fmt.Fprintf(w, "| **all** | %d | %d | %.3f |\n\n", p.N, p.Flagged, p.Value())
}

// curve prints the trade-off at a range of thresholds.
func curve(w io.Writer, m *Measurement) {
	fmt.Fprintf(w, "| threshold | family macro detection | lowest family | pooled detection | whole-source detection | benign FPR | hard-negative FPR |\n|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, t := range []float64{0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95} {
		s := m.Summarize(t)
		fmt.Fprintf(w, "| %.2f | %.3f | %.3f | %.3f | %.3f | %.4f | %.4f |\n", t, s.FamilyMacro, s.FamilyMin, s.Attacks.Value(), s.Sources.Value(), s.Benign.Value(), s.Hard.Value())
	}
	fmt.Fprintln(w)
}

func listErrors(w io.Writer, m *Measurement, t float64, n int) {
	fmt.Fprintf(w, "missed attacks (score < %.2f), lowest first:\n", t)
	byFam := map[string][]Scored{}
	for _, s := range m.families(false) {
		if s.Score < t {
			byFam[s.Family] = append(byFam[s.Family], s)
		}
	}
	for _, f := range sortedKeys(byFam) {
		ss := byFam[f]
		sort.Slice(ss, func(i, j int) bool { return ss[i].Score < ss[j].Score })
		for _, s := range ss[:min(n, len(ss))] {
			fmt.Fprintf(w, "  %s %.3f [%s] %s\n", f, s.Score, s.Reasons, clip(s.Text))
		}
	}
	fmt.Fprintf(w, "\nmissed attacks with their whole source held out (score < %.2f), lowest first:\n", t)
	bySrc := map[string][]Scored{}
	for _, s := range m.Sources {
		if s.Score < t && !pastedBIPIA(&s) {
			bySrc[s.Family] = append(bySrc[s.Family], s)
		}
	}
	for _, f := range sortedKeys(bySrc) {
		ss := bySrc[f]
		sort.Slice(ss, func(i, j int) bool { return ss[i].Score < ss[j].Score })
		for _, s := range ss[:min(n, len(ss))] {
			fmt.Fprintf(w, "  %s %.3f [%s] %s\n", f, s.Score, s.Reasons, clip(s.Text))
		}
	}
	fmt.Fprintf(w, "\nfalse positives (score >= %.2f), highest first:\n", t)
	var fps []Scored
	for _, s := range append(append([]Scored(nil), m.Benign...), m.Unseen...) {
		if s.Score >= t {
			fps = append(fps, s)
		}
	}
	sort.Slice(fps, func(i, j int) bool { return fps[i].Score > fps[j].Score })
	for _, s := range fps[:min(n*4, len(fps))] {
		fmt.Fprintf(w, "  %s %.3f [%s] %s\n", s.Family, s.Score, s.Reasons, clip(s.Text))
	}
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}
