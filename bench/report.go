package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// The goals the router is held to on a 2-core machine at 1,000 req/s.
const (
	GoalAddedP50 = 150 * time.Microsecond
	GoalAddedP99 = time.Millisecond
	GoalRSS      = 100_000_000 // bytes
)

// Report is the result of a Run.
type Report struct {
	Machine Machine `json:"machine"`
	// Rate, Duration, Warmup, Phase, PromptTokens and Workers echo the
	// options the run used.
	Rate         float64       `json:"rate"`
	Duration     time.Duration `json:"duration_ns"`
	Warmup       time.Duration `json:"warmup_ns"`
	Phase        time.Duration `json:"phase_ns"`
	PromptTokens int           `json:"prompt_tokens"`
	Workers      int           `json:"workers"`
	Modes        []ModeReport  `json:"modes"`
	// RouterRSS is the router's resident set at the end of the run and
	// RouterPeakRSS its high-water mark (the larger of VmHWM and the
	// largest sample), in bytes; zero when unknown (not Linux).
	RouterRSS     int64 `json:"router_rss_bytes"`
	RouterPeakRSS int64 `json:"router_peak_rss_bytes"`
	// RouterExit describes an unclean router exit; empty when it stopped
	// cleanly on SIGTERM.
	RouterExit string `json:"router_exit,omitempty"`
}

// Machine describes the host.
type Machine struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	CPUModel   string `json:"cpu_model,omitempty"`
	GoVersion  string `json:"go_version"`
	OS         string `json:"os"`
}

// ModeReport holds one mode's results.
type ModeReport struct {
	Mode           Mode        `json:"mode"`
	Router, Direct TargetStats `json:"-"`
	// Added is Router.Total minus Direct.Total per quantile; AddedTTFT the
	// same for time to first token (Stream only, else nil).
	Added     Quantiles  `json:"added"`
	AddedTTFT *Quantiles `json:"added_ttft,omitempty"`
	// RouterCPU is the router's CPU time (user + system) per request it
	// served, and HarnessCPU the harness's (load generator and simulator)
	// per request sent, warm-up included; zero when unknown (not Linux).
	// They are far less noisy than latencies on a shared machine.
	RouterCPU  time.Duration `json:"router_cpu_per_request_ns"`
	HarnessCPU time.Duration `json:"harness_cpu_per_request_ns"`
	// MaxSampledRSS is the largest router RSS seen while the mode ran
	// (sampled every 100ms), in bytes.
	MaxSampledRSS int64 `json:"max_sampled_rss_bytes"`
}

// MarshalJSON names the two targets.
func (m ModeReport) MarshalJSON() ([]byte, error) {
	type plain ModeReport
	return json.Marshal(struct {
		plain
		Router TargetStats `json:"router"`
		Direct TargetStats `json:"direct"`
	}{plain(m), m.Router, m.Direct})
}

// TargetStats summarizes one target's measured requests.
type TargetStats struct {
	// Requests were scheduled; Errors of them failed (transport error,
	// status other than 200, or a stream with no content).
	Requests int `json:"requests"`
	Errors   int `json:"errors"`
	// FirstError is the first failure's message, if any (warm-up included).
	FirstError string `json:"first_error,omitempty"`
	// Rate is the successful requests per second achieved.
	Rate float64 `json:"rate"`
	// Total is the latency to the end of the response; TTFT to the first
	// content chunk (Stream only, else nil); both from the scheduled start.
	Total Quantiles  `json:"total"`
	TTFT  *Quantiles `json:"ttft,omitempty"`
	// Lag is how late requests were sent after their scheduled start: the
	// generator's own delay, included in Total and TTFT for both targets.
	Lag Quantiles `json:"send_lag"`
}

func newReport(o Options) *Report {
	return &Report{Machine: machine(), Rate: o.Rate, Duration: o.Duration, Warmup: o.Warmup,
		Phase: o.Phase, PromptTokens: o.PromptTokens, Workers: o.Workers}
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	return writeIndentedJSON(w, r)
}

// WriteTable writes the report as a readable table.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Switchyard bench: %s\n", r.Machine.describe())
	fmt.Fprintf(&b, "open loop at %g req/s; per target and mode %v measured after %v warm-up, in alternating %v phases; prompt ~%d tokens; %d workers\n",
		r.Rate, r.Duration, r.Warmup, r.Phase, r.PromptTokens, r.Workers)
	fmt.Fprintf(&b, "latency from each request's scheduled start; added = router − direct at each quantile\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	names := [3]string{string(Router), string(Direct), "added"}
	for _, mr := range r.Modes {
		writeModeRows(tw, mr.Mode, names, mr.Router, mr.Direct, mr.Added, mr.AddedTTFT)
		fmt.Fprintf(tw, "send lag\t\t\t\t%s\t%s\t%s\t%s\t\n", formatDuration(mr.Router.Lag.P50, false),
			formatDuration(mr.Router.Lag.P90, false), formatDuration(mr.Router.Lag.P99, false), formatDuration(mr.Router.Lag.Max, false))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(&b, "\nrouter RSS: peak %s (VmHWM), %s at the end", formatBytes(r.RouterPeakRSS), formatBytes(r.RouterRSS))
	for _, mr := range r.Modes {
		fmt.Fprintf(&b, "; max sampled during %s %s", mr.Mode, formatBytes(mr.MaxSampledRSS))
	}
	b.WriteString("\n")
	for _, mr := range r.Modes {
		fmt.Fprintf(&b, "CPU per request, %s: router %s (%.0f%% of a core at %g req/s), harness %s\n", mr.Mode,
			formatDuration(mr.RouterCPU, false), 100*mr.RouterCPU.Seconds()*r.Rate, r.Rate, formatDuration(mr.HarnessCPU, false))
	}
	for _, mr := range r.Modes {
		writeFirstErrors(&b, mr.Mode, mr.Router, mr.Direct)
	}
	if r.RouterExit != "" {
		fmt.Fprintf(&b, "warning: %s\n", r.RouterExit)
	}
	b.WriteString(r.verdict())
	_, err := io.WriteString(w, b.String())
	return err
}

// writeRows writes a table of two targets' latencies (a's stats and
// quantiles aq, b's and bq) and their difference, added, with the row
// names names.
func writeRows(tw io.Writer, title string, names [3]string, a, b TargetStats, aq, bq, added Quantiles) {
	fmt.Fprintf(tw, "\n%s\n\tn\terrors\trate/s\tp50\tp90\tp99\tmax\t\n", title)
	for _, row := range []struct {
		name string
		st   TargetStats
		q    Quantiles
	}{{names[0], a, aq}, {names[1], b, bq}} {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t\n", row.name, row.st.Requests, row.st.Errors, row.st.Rate,
			formatDuration(row.q.P50, false), formatDuration(row.q.P90, false), formatDuration(row.q.P99, false), formatDuration(row.q.Max, false))
	}
	fmt.Fprintf(tw, "%s\t\t\t\t%s\t%s\t%s\t%s\t\n", names[2],
		formatDuration(added.P50, true), formatDuration(added.P90, true), formatDuration(added.P99, true), formatDuration(added.Max, true))
}

// writeModeRows writes one mode's tables of two targets (a and b) and
// their difference, added (and addedTTFT, for Stream), with the row names
// names: for Stream the time to first token and the total, else the
// total.
func writeModeRows(tw io.Writer, m Mode, names [3]string, a, b TargetStats, added Quantiles, addedTTFT *Quantiles) {
	if m == Stream {
		writeRows(tw, "stream: time to first token", names, a, b, *a.TTFT, *b.TTFT, *addedTTFT)
		writeRows(tw, "stream: total", names, a, b, a.Total, b.Total, added)
		return
	}
	writeRows(tw, "non-streaming: total", names, a, b, a.Total, b.Total, added)
}

// writeCPURatio writes one mode's CPU time per request of the two
// processes of names (a and b), the ratio of their CPU times (as the
// change it means too, when withPercent), and the harness's.
func writeCPURatio(b *strings.Builder, m Mode, names [2]Target, aCPU, bCPU time.Duration, ratio float64, withPercent bool, harness time.Duration) {
	percent := ""
	if withPercent {
		percent = " (" + formatPercent(ratio) + ")"
	}
	fmt.Fprintf(b, "CPU per request, %s: %s %s, %s %s: ratio %.3f%s; harness %s\n", m, names[0], formatDuration(aCPU, false),
		names[1], formatDuration(bCPU, false), ratio, percent, formatDuration(harness, false))
}

// writePeakRSS writes the peak resident sets of the two processes of
// names, after title.
func writePeakRSS(b *strings.Builder, title string, names [2]Target, rss map[Target]int64) {
	fmt.Fprintf(b, "%s: %s %s, %s %s\n", title, names[0], formatBytes(rss[names[0]]), names[1], formatBytes(rss[names[1]]))
}

// writeFirstErrors writes the first error of each target of mode m that
// had one.
func writeFirstErrors(b *strings.Builder, m Mode, targets ...TargetStats) {
	for _, t := range targets {
		if t.FirstError != "" {
			fmt.Fprintf(b, "%s: first error: %s\n", m, t.FirstError)
		}
	}
}

// describe is the machine as the reports' first line names it.
func (m Machine) describe() string {
	return fmt.Sprintf("%d CPUs (%s), GOMAXPROCS %d, %s %s", m.CPUs, m.CPUModel, m.GOMAXPROCS, m.GoVersion, m.OS)
}

// writeIndentedJSON writes v as indented JSON.
func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// verdict compares the run with the goals: added p50 and p99 of the
// non-streaming total and of the streamed time to first token, and RSS.
func (r *Report) verdict() string {
	var b strings.Builder
	check := func(name string, ok bool, got, goal string) { writeCheck(&b, name, ok, got, "< "+goal) }
	b.WriteString("\ngoals:\n")
	for _, mr := range r.Modes {
		added, what := mr.Added, "non-streaming"
		if mr.AddedTTFT != nil {
			added, what = *mr.AddedTTFT, "stream TTFT"
		}
		check(what+" added p50", added.P50 < GoalAddedP50, formatDuration(added.P50, true), formatDuration(GoalAddedP50, false))
		check(what+" added p99", added.P99 < GoalAddedP99, formatDuration(added.P99, true), formatDuration(GoalAddedP99, false))
	}
	if r.RouterPeakRSS > 0 {
		check("router peak RSS", r.RouterPeakRSS < GoalRSS, formatBytes(r.RouterPeakRSS), formatBytes(GoalRSS))
	}
	return b.String()
}
