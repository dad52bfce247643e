package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// GoalRecordingCPU is the most the request log (SQLite, bodies none) may
// multiply the router's CPU time per request by: at most 10% higher.
const GoalRecordingCPU = 1.10

// Comparison is the result of RunCompare.
type Comparison struct {
	Machine Machine `json:"machine"`
	// LoadBefore and LoadAfter are the machine's 1, 5 and 15 minute load
	// averages when the run started and when its load ended.
	LoadBefore string `json:"load_before"`
	LoadAfter  string `json:"load_after"`
	// Rate, Duration, Warmup, Phase, PromptTokens, Workers and Quiet echo
	// the options the run used.
	Rate         float64       `json:"rate"`
	Duration     time.Duration `json:"duration_ns"`
	Warmup       time.Duration `json:"warmup_ns"`
	Phase        time.Duration `json:"phase_ns"`
	PromptTokens int           `json:"prompt_tokens"`
	Workers      int           `json:"workers"`
	Quiet        bool          `json:"quiet"`
	Modes        []CompareMode `json:"modes"`
	// PeakRSS is each router's VmHWM at the end; absent when unknown.
	PeakRSS map[Target]int64 `json:"peak_rss_bytes"`
	// Sent is the requests sent to the recording router, warm-up
	// included, and Failed how many of them failed (a request that failed
	// in transport may never have reached it); Recorded is the rows its
	// request log held once it stopped, -1 when they could not be counted
	// (RecordedError says why).
	Sent          int    `json:"sent"`
	Failed        int    `json:"failed"`
	Recorded      int64  `json:"recorded"`
	RecordedError string `json:"recorded_error,omitempty"`
	// RouterExit describes an unclean exit of either router.
	RouterExit string `json:"router_exit,omitempty"`
}

// CompareMode holds one mode's results of a Comparison.
type CompareMode struct {
	Mode Mode `json:"mode"`
	// Off is the router without a request log, On the one with it.
	Off TargetStats `json:"record_off"`
	On  TargetStats `json:"record_on"`
	// OffCPU and OnCPU are each router's CPU time (user + system) per
	// request it was sent, warm-up included; zero when unknown.
	OffCPU time.Duration `json:"record_off_cpu_per_request_ns"`
	OnCPU  time.Duration `json:"record_on_cpu_per_request_ns"`
	// CPURatio is OnCPU / OffCPU (1.06: recording costs 6% more CPU per
	// request); zero when either is unknown.
	CPURatio float64 `json:"cpu_ratio"`
	// Added is On's latency minus Off's at each quantile; AddedTTFT the
	// same for time to first token (Stream only, else nil).
	Added     Quantiles  `json:"added"`
	AddedTTFT *Quantiles `json:"added_ttft,omitempty"`
	// HarnessCPU is the harness's CPU time per request sent.
	HarnessCPU time.Duration `json:"harness_cpu_per_request_ns"`
	// OffMaxRSS and OnMaxRSS are the largest resident sets sampled.
	OffMaxRSS int64 `json:"record_off_max_sampled_rss_bytes"`
	OnMaxRSS  int64 `json:"record_on_max_sampled_rss_bytes"`
}

func newComparison(o Options) *Comparison {
	return &Comparison{Machine: machine(), LoadBefore: loadAverage(), Rate: o.Rate, Duration: o.Duration,
		Warmup: o.Warmup, Phase: o.Phase, PromptTokens: o.PromptTokens, Workers: o.Workers, Quiet: o.Quiet,
		PeakRSS: map[Target]int64{}}
}

// WriteJSON writes the comparison as indented JSON.
func (c *Comparison) WriteJSON(w io.Writer) error {
	return writeIndentedJSON(w, c)
}

// WriteTable writes the comparison as a readable table.
func (c *Comparison) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Switchyard bench, request log on versus off: %s; load average %s before, %s after\n",
		c.Machine.describe(), c.LoadBefore, c.LoadAfter)
	fmt.Fprintf(&b, "open loop at %g req/s; per router and mode %v measured after %v warm-up, in alternating %v phases; prompt ~%d tokens; %d workers; log line per request: %s\n",
		c.Rate, c.Duration, c.Warmup, c.Phase, c.PromptTokens, c.Workers, map[bool]string{false: "on", true: "off (--quiet)"}[c.Quiet])
	fmt.Fprintf(&b, "%s: store driver none; %s: store driver sqlite, bodies none; added = %s − %s at each quantile\n",
		RecordOff, RecordOn, RecordOn, RecordOff)
	names := [3]string{string(RecordOff), string(RecordOn), "added"}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, cm := range c.Modes {
		writeModeRows(tw, cm.Mode, names, cm.Off, cm.On, cm.Added, cm.AddedTTFT)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\n")
	pair := [2]Target{RecordOff, RecordOn}
	for _, cm := range c.Modes {
		writeCPURatio(&b, cm.Mode, pair, cm.OffCPU, cm.OnCPU, cm.CPURatio, true, cm.HarnessCPU)
	}
	writePeakRSS(&b, "router peak RSS", pair, c.PeakRSS)
	for _, cm := range c.Modes {
		writeFirstErrors(&b, cm.Mode, cm.Off, cm.On)
	}
	if c.RecordedError != "" {
		fmt.Fprintf(&b, "warning: %s\n", c.RecordedError)
	}
	if c.RouterExit != "" {
		fmt.Fprintf(&b, "warning: %s\n", c.RouterExit)
	}
	b.WriteString(c.verdict())
	_, err := io.WriteString(w, b.String())
	return err
}

// verdict checks each mode's CPU ratio against GoalRecordingCPU and that
// the request log holds a row for every request sent, but for those that
// failed (which may or may not have reached the router).
func (c *Comparison) verdict() string {
	var b strings.Builder
	b.WriteString("\ngoals:\n")
	for _, cm := range c.Modes {
		writeCheck(&b, string(cm.Mode)+" recording CPU", cm.CPURatio > 0 && cm.CPURatio <= GoalRecordingCPU,
			formatPercent(cm.CPURatio), "≤ "+formatPercent(GoalRecordingCPU))
	}
	got := fmt.Sprintf("%d of %d", c.Recorded, c.Sent)
	if c.Failed > 0 {
		got += fmt.Sprintf(" (%d failed)", c.Failed)
	}
	writeCheck(&b, "rows recorded", c.Recorded >= int64(c.Sent-c.Failed) && c.Recorded <= int64(c.Sent),
		got, "every request sent")
	return b.String()
}

// writeCheck writes one line of a verdict.
func writeCheck(b *strings.Builder, name string, ok bool, got, goal string) {
	mark := "ok  "
	if !ok {
		mark = "MISS"
	}
	fmt.Fprintf(b, "  %s %-28s %10s (goal %s)\n", mark, name, got, goal)
}

// formatPercent prints a ratio as the signed change it means: 1.062 is
// "+6.2%"; an unknown (zero) ratio is "?".
func formatPercent(ratio float64) string {
	if ratio <= 0 {
		return "?"
	}
	return fmt.Sprintf("%+.1f%%", 100*(ratio-1))
}
