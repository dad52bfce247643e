package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"switchyard/admin"
	"switchyard/llm"
	"switchyard/store"
)

// This file prints the request log for people: a table of requests, and
// one request with its plan, attempts and signals.

// writeRequestTable prints one row per request.
func writeRequestTable(w io.Writer, rows []admin.RequestSummary) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "no requests match")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME (UTC)\tID\tTENANT\tROUTE\tCATEGORY\tDEPLOYMENT\tSTATUS\tLATENCY\tCOST")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			r.Time.UTC().Format("2006-01-02 15:04:05"), r.ID, dash(r.Tenant), dash(r.Route), dash(r.Category),
			dash(r.Deployment), statusText(r), millis(r.LatencyMs), usd(r.CostUSD, r.CostEstimated))
	}
	return tw.Flush()
}

// statusText is the status with what went wrong: "502 upstream",
// "200 cut" for a stream that failed after its first byte.
func statusText(r admin.RequestSummary) string {
	s := strconv.Itoa(r.Status)
	if r.StreamFailed {
		s += " cut"
	}
	if r.ErrorKind != "" {
		s += " " + r.ErrorKind
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// millis prints a duration in ms the way people read it: 850ms, 1.50s.
func millis(ms float64) string {
	d := time.Duration(ms * float64(time.Millisecond))
	switch {
	case d == 0:
		return "-"
	case d < time.Second:
		return strconv.FormatFloat(ms, 'f', -1, 64) + "ms"
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

func usd(v float64, estimated bool) string {
	s := "$" + strconv.FormatFloat(llm.RoundUSD(v), 'f', -1, 64)
	if estimated {
		s += " (est.)"
	}
	return s
}

// writeRequestDetail prints one request readably.
func writeRequestDetail(w io.Writer, d *admin.RequestDetail) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	line("request", d.ID)
	line("time", d.Time.UTC().Format("2006-01-02 15:04:05.000 UTC"))
	line("tenant", dash(d.Tenant)+", key "+dash(d.KeyName))
	line("endpoint", d.Endpoint+streamed(d.Stream))
	line("route", dash(d.Route)+" -> "+dash(d.Deployment)+pinnedText(d.Pinned)+fallbackText(d.Fallback))
	line("category", fmt.Sprintf("%s (confidence %.2f, from %s)", dash(d.Category), d.Confidence, dash(d.Explanation.CategorySource)))
	line("status", statusText(d.RequestSummary))
	line("latency", millis(d.LatencyMs)+", first byte "+millis(d.TTFTMs))
	line("tokens", tokensText(d.Tokens))
	line("cost", usd(d.CostUSD, d.CostEstimated))
	if d.ResumedFrom != "" {
		line("resumes", d.ResumedFrom)
	}
	line("signals", signalsText(d.Signals))
	if err := tw.Flush(); err != nil {
		return err
	}
	writePlan(w, d)
	if err := writeAttempts(w, d.Attempts); err != nil {
		return err
	}
	writeBodies(w, d.Bodies)
	return nil
}

// writeBodies prints the stored (redacted) prompt and answer, if any.
func writeBodies(w io.Writer, b *store.Bodies) {
	if b == nil {
		return
	}
	fmt.Fprintln(w, "\nprompt (redacted):")
	if b.OmittedMessages > 0 {
		fmt.Fprintf(w, "  (%d older messages not kept)\n", b.OmittedMessages)
	}
	for _, m := range b.Messages {
		fmt.Fprintf(w, "  %s: %s\n", m.Role, indentText(bodyText(m.Text, m.Refusal, m.ToolCalls)))
	}
	if a := b.Answer; a != nil {
		fmt.Fprintf(w, "answer (redacted, finish %s):\n  %s\n", dash(a.FinishReason), indentText(bodyText(a.Text, a.Refusal, a.ToolCalls)))
	}
}

func bodyText(text, refusal string, calls []store.BodyToolCall) string {
	parts := []string{}
	if text != "" {
		parts = append(parts, text)
	}
	if refusal != "" {
		parts = append(parts, "[refusal] "+refusal)
	}
	for _, c := range calls {
		parts = append(parts, "[tool call] "+c.Name+"("+c.Arguments+")")
	}
	return strings.Join(parts, "\n")
}

func indentText(s string) string { return strings.ReplaceAll(s, "\n", "\n    ") }

func streamed(s bool) string {
	if s {
		return ", streamed"
	}
	return ""
}

func pinnedText(p string) string {
	if p == "" {
		return ""
	}
	return " (pinned " + p + ")"
}

func fallbackText(f bool) string {
	if f {
		return " (fallback)"
	}
	return ""
}

func tokensText(t admin.Tokens) string {
	s := fmt.Sprintf("prompt %d", t.Prompt)
	if t.CachedRead > 0 || t.CacheWrite > 0 {
		s += fmt.Sprintf(" (cache read %d, write %d)", t.CachedRead, t.CacheWrite)
	}
	s += fmt.Sprintf(", completion %d", t.Completion)
	if t.Reasoning > 0 {
		s += fmt.Sprintf(" (reasoning %d)", t.Reasoning)
	}
	return s
}

func signalsText(s admin.Signals) string {
	var parts []string
	switch {
	case s.FormatChecked && s.FormatOK:
		parts = append(parts, "format ok")
	case s.FormatChecked:
		parts = append(parts, "format FAILED")
	}
	if s.InvalidToolCalls > 0 {
		parts = append(parts, fmt.Sprintf("%d invalid tool call(s)", s.InvalidToolCalls))
	}
	for _, f := range []struct {
		on   bool
		name string
	}{{s.Refusal, "refusal"}, {s.ContentFilter, "content filter"}, {s.Truncated, "truncated"}, {s.Empty, "empty"}} {
		if f.on {
			parts = append(parts, f.name)
		}
	}
	if s.AnswerChars > 0 {
		parts = append(parts, fmt.Sprintf("%d chars", s.AnswerChars))
	}
	if s.LengthRatio > 0 {
		parts = append(parts, fmt.Sprintf("%.2fx the usual length", s.LengthRatio))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// writePlan prints the explanation: how the plan was made and every
// candidate, kept by tier or dropped with its reason.
func writePlan(w io.Writer, d *admin.RequestDetail) {
	e := d.Explanation
	fmt.Fprintf(w, "\nplan: policy %s, strategy %s, scorer %s", dash(e.Policy), dash(e.Strategy), dash(e.Scorer))
	if len(e.Rules) > 0 {
		fmt.Fprintf(w, ", rules %s", strings.Join(e.Rules, ", "))
	}
	fmt.Fprintln(w)
	cands := slices.Clone(e.Candidates)
	slices.SortStableFunc(cands, func(a, b store.Candidate) int { return rank(a) - rank(b) })
	for _, c := range cands {
		if c.Kept {
			fmt.Fprintf(w, "  tier %d   %s\n", c.Tier, c.Deployment)
			continue
		}
		why := c.Reason
		if c.By != "" {
			why += " (" + c.By + ")"
		}
		if c.Detail != "" {
			why += ": " + c.Detail
		}
		fmt.Fprintf(w, "  dropped  %s: %s\n", c.Deployment, why)
	}
}

// rank orders kept candidates by tier, then dropped ones.
func rank(c store.Candidate) int {
	if c.Kept {
		return c.Tier
	}
	return 1 << 20
}

// writeAttempts prints the upstream calls in order.
func writeAttempts(w io.Writer, atts []admin.Attempt) error {
	if len(atts) == 0 {
		_, err := fmt.Fprintln(w, "\nattempts: none (no upstream was called)")
		return err
	}
	fmt.Fprintln(w, "\nattempts:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tDEPLOYMENT\tTIER\tOUTCOME\tFIRST TOKEN\tLATENCY\tTOKENS IN/OUT\tCOST")
	for i, a := range atts {
		outcome := a.Outcome
		if a.ErrorKind != "" {
			outcome += " (" + a.ErrorKind + ")"
		}
		if a.ResumedFrom != "" {
			outcome += ", resumes " + a.ResumedFrom
		}
		fmt.Fprintf(tw, "  %d\t%s\t%d\t%s\t%s\t%s\t%d/%d\t%s\n", i+1, a.Deployment, a.Tier, outcome,
			millis(a.TTFTMs), millis(a.LatencyMs), a.Tokens.Prompt, a.Tokens.Completion, usd(a.CostUSD, false))
	}
	return tw.Flush()
}
