package offline

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// WriteTable writes the report as text: the split, the summary of every
// router, the single models, and the learned router's frontier.
func WriteTable(w io.Writer, r *Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	d := &r.Data
	fmt.Fprintf(tw, "split: %s: %d training prompts, %d test prompts, %d models\n", d.Split, d.TrainPrompts, d.TestPrompts, len(d.Models))
	fmt.Fprintf(tw, "learned router: %s\n", describeOptions(d.Options))
	s := &r.Summary
	fmt.Fprintf(tw, "reference (best single model): %s, quality %.3f at $%.6f/query\n\n", s.Reference, s.ReferenceQuality, s.ReferenceCostPerQuery)
	fmt.Fprintln(tw, "router\tquality at 25% cost\tquality at 50% cost\tcost at 95% quality\tcost at 100% quality")
	writeSummaryRow(tw, "learned", s)
	for _, name := range sortedKeys(r.Routers) {
		c := r.Routers[name]
		writeSummaryRow(tw, name, &c.Summary)
	}
	fmt.Fprintf(tw, "\noracle: quality %.3f at $%.6f/query; random: quality %.3f at $%.6f/query\n\n",
		r.Oracle.Quality, r.Oracle.CostPerQuery, r.Random.Quality, r.Random.CostPerQuery)
	fmt.Fprintln(tw, "model\tquality\tcost/query")
	for _, name := range sortedKeys(r.Baselines) {
		b := r.Baselines[name]
		fmt.Fprintf(tw, "%s\t%.3f\t$%.6f\n", name, b.Quality, b.CostPerQuery)
	}
	fmt.Fprintln(tw, "\nlearned router's frontier\nλ\tquality\tcost/query")
	for _, p := range Frontier(r.Points) {
		fmt.Fprintf(tw, "%.4g\t%.3f\t$%.6f\n", p.Lambda, p.Quality, p.CostPerQuery)
	}
	return tw.Flush()
}

func writeSummaryRow(w io.Writer, name string, s *Summary) {
	v := s.Values()
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", name, share(v[MetricQ25]), share(v[MetricQ50]), share(v[MetricC95]), share(v[MetricC100]))
}

// share formats a share as a percentage, "never" for nil.
func share(p *float64) string {
	if p == nil {
		return "never"
	}
	return fmt.Sprintf("%.1f%%", 100**p)
}

func describeOptions(o TrainOptions) string {
	kinds := max(1, o.Clusters)
	switch {
	case o.Epochs == 0:
		return fmt.Sprintf("%d kinds of prompts, no per-prompt correction", kinds)
	case o.ShapeOnly:
		return fmt.Sprintf("%d kinds of prompts, correction from shape features (%d epochs, shape L2 %g)", kinds, o.Epochs, o.ShapeL2)
	}
	return fmt.Sprintf("%d kinds of prompts, correction from text and shape features (%d epochs, L2 %g, shared L2 %g, shape L2 %g)",
		kinds, o.Epochs, o.L2, o.SharedL2, o.ShapeL2)
}

// WriteEvaluationTable writes every run's summary and the aggregate.
func WriteEvaluationTable(w io.Writer, ev *Evaluation) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "run\trouter\tquality at 25% cost\tquality at 50% cost\tcost at 95% quality\tcost at 100% quality\treference")
	for _, r := range ev.Runs {
		label := r.Data.Split
		writeRunRow(tw, label, "learned", &r.Summary)
		for _, name := range sortedKeys(r.Routers) {
			c := r.Routers[name]
			writeRunRow(tw, label, name, &c.Summary)
		}
	}
	fmt.Fprintln(tw, "\nrouter\tmetric\tmean\tsd\treached")
	for _, name := range sortedKeys(ev.Aggregate) {
		for _, m := range Metrics {
			s := ev.Aggregate[name][m]
			if s.Reached == 0 {
				fmt.Fprintf(tw, "%s\t%s\tnever\t\t0/%d\n", name, m, s.Runs)
				continue
			}
			fmt.Fprintf(tw, "%s\t%s\t%.1f%%\t%.1f\t%d/%d\n", name, m, 100*s.Mean, 100*s.SD, s.Reached, s.Runs)
		}
	}
	return tw.Flush()
}

func writeRunRow(w io.Writer, run, router string, s *Summary) {
	v := s.Values()
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s %.3f\n", run, router, share(v[MetricQ25]), share(v[MetricQ50]),
		share(v[MetricC95]), share(v[MetricC100]), strings.TrimSpace(s.Reference), s.ReferenceQuality)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
