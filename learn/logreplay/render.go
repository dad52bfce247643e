package logreplay

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is a log replay's whole answer: what was read, how, and each
// route's estimates (switchyard replay --log --json).
type Report struct {
	// Since and Until bound the requests read; nil when unbounded.
	Since *time.Time `json:"since"`
	Until *time.Time `json:"until"`
	// Route and Tenant are the filters; empty and nil when not given.
	Route  string  `json:"route,omitempty"`
	Tenant *string `json:"tenant,omitempty"`
	// Estimates says which bandit estimates the adaptive policies
	// re-decide with: always "logged" (each request's, as recorded).
	Estimates string        `json:"estimates"`
	Options   ReportOptions `json:"options"`
	Log       *Log          `json:"log"`
	Routes    []RouteResult `json:"routes"`
}

// ReportOptions are the settings a Report was made with.
type ReportOptions struct {
	Clip    float64 `json:"clip"`
	Unrated Unrated `json:"unrated"`
	// Interval is "delta" or "bootstrap" (then Bootstrap resamples drawn
	// from Seed).
	Interval  string    `json:"interval"`
	Bootstrap int       `json:"bootstrap,omitempty"`
	Seed      uint64    `json:"seed,omitempty"`
	Lambdas   []float64 `json:"lambdas"`
	// Explore is the adaptive policies' exploration share; nil means each
	// request's logged one.
	Explore *float64 `json:"explore"`
}

// EstimatesLogged is Report.Estimates: the candidates' estimates as each
// request's row recorded them.
const EstimatesLogged = "logged"

// WriteTable writes r as text: a header saying what was read and how,
// then per route a table of the policies and their warnings.
func WriteTable(w io.Writer, r *Report) error {
	var b strings.Builder
	writeHeader(&b, r)
	for i := range r.Routes {
		writeRoute(&b, &r.Routes[i], &r.Options)
	}
	if len(r.Routes) == 0 {
		b.WriteString("\nNo decision of the adaptive scorer to replay: the log holds none in this range (see docs/learning.md, \"Log replay\").\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeHeader(b *strings.Builder, r *Report) {
	decisions := 0
	for _, rt := range r.Routes {
		decisions += rt.Decisions
	}
	span := "all time"
	switch {
	case r.Since != nil && r.Until != nil:
		span = fmt.Sprintf("%s to %s", r.Since.Format(time.RFC3339), r.Until.Format(time.RFC3339))
	case r.Since != nil:
		span = "since " + r.Since.Format(time.RFC3339)
	case r.Until != nil:
		span = "until " + r.Until.Format(time.RFC3339)
	}
	fmt.Fprintf(b, "Log replay: %d chat requests (%s", r.Log.Requests, span)
	if r.Route != "" {
		fmt.Fprintf(b, ", route %s", r.Route)
	}
	if r.Tenant != nil {
		fmt.Fprintf(b, ", tenant %q", *r.Tenant)
	}
	s := r.Log.Skipped
	fmt.Fprintf(b, "), %d decisions of the adaptive scorer; not replayed: %d not decided by it, %d without its recorded estimates, %d with a bad propensity.\n",
		decisions, s.NotAdaptive, s.NotRecorded, s.BadPropensity)
	explore := "each request's logged ε"
	if r.Options.Explore != nil {
		explore = fmt.Sprintf("ε = %g", *r.Options.Explore)
	}
	interval := "delta method"
	if r.Options.Interval == "bootstrap" {
		interval = fmt.Sprintf("bootstrap, %d resamples", r.Options.Bootstrap)
	}
	fmt.Fprintf(b, "Adaptive policies re-decide each request from the estimates logged with it, at %s. Weights clipped at %g. "+
		"Requests without feedback: %s. 95%% intervals: %s.\n", explore, r.Options.Clip, unratedText(r.Options.Unrated), interval)
	if r.Log.CostUnknown > 0 {
		fmt.Fprintf(b, "note: %d decisions include a deployment with no known price: their costs are lower bounds.\n", r.Log.CostUnknown)
	}
}

func unratedText(u Unrated) string {
	switch u.Mode {
	case UnratedImplicit:
		return "reward 0.5 (no signal), 0 when the request failed"
	case UnratedValue:
		return fmt.Sprintf("reward %g", u.Value)
	}
	return "left out of the rewards (their costs count)"
}

func writeRoute(b *strings.Builder, r *RouteResult, o *ReportOptions) {
	fmt.Fprintf(b, "\nroute %s: %d decisions, %d rated; logged λ %s, ε %s; deployments %s\n", r.Route, r.Decisions, r.Rated,
		floats(r.LoggedLambda), floats(r.LoggedExplore), strings.Join(r.Deployments, ", "))
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "POLICY\tREWARD IPS [95%]\tREWARD SNIPS [95%]\tCOST/REQ IPS [95%]\tCOST/REQ SNIPS [95%]\tESS\tMEAN W\tCLIPPED\tNO SUPPORT")
	fmt.Fprintf(tw, "logged\t%s\t\t%s\t\t%d\t1\t\t\n", rewardText(r.Logged.Reward), costText(r.Logged.Cost), r.Rated)
	var notes []string
	for i := range r.Policies {
		p := &r.Policies[i]
		name := p.Policy
		if o.Explore == nil && len(r.LoggedLambda) == 1 && name == (Adaptive{Lambda: r.LoggedLambda[0], Explore: AsLogged}).Name() {
			name += " (logged)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.0f\t%.2f\t%s\t%s\n", name, rewardText(p.Reward.IPS), rewardText(p.Reward.SNIPS),
			costText(p.Cost.IPS), costText(p.Cost.SNIPS), p.Reward.ESS, p.MeanWeight, percent(p.Clipped), percent(p.Unsupported))
		if p.Available != nil && *p.Available < 1 {
			notes = append(notes, fmt.Sprintf("%s: a candidate on %s of requests; on the others it takes the static first", p.Policy, percent(*p.Available)))
		}
		for _, w := range p.Warnings {
			notes = append(notes, fmt.Sprintf("%s: %s", p.Policy, w))
		}
	}
	tw.Flush()
	for _, n := range notes {
		fmt.Fprintf(b, "  ! %s\n", n)
	}
}

func rewardText(iv *Interval) string {
	if iv == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f [%.3f, %.3f]", iv.Value, iv.Low, iv.High)
}

func costText(iv *Interval) string {
	if iv == nil {
		return "-"
	}
	d := usdDigits(iv.Value)
	return fmt.Sprintf("$%.*f [%.*f, %.*f]", d, iv.Value, d, iv.Low, d, iv.High)
}

// usdDigits returns the decimals that show v with three significant
// digits (at least two).
func usdDigits(v float64) int {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 2
	}
	return min(12, max(2, 2-int(math.Floor(math.Log10(math.Abs(v))))))
}

func percent(x float64) string {
	if x == 0 {
		return "0"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

func floats(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(slices.Compact(s), ", ")
}
