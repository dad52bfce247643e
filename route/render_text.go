package route

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"switchyard/llm"
)

// This file renders a Plan for people (WriteText).

// writeHead writes the route, the pinned deployment and the alias asked
// for, with line.
func (p *Plan) writeHead(line func(label, format string, args ...any)) {
	e := &p.Explanation
	route := orDash(p.Route)
	if e.Description != "" {
		route += " — " + e.Description
	}
	line("route", "%s", route)
	if p.Pinned != "" {
		line("pinned", "%s", p.Pinned)
	}
	if e.Alias != "" {
		line("alias", "%s (the name asked for)", e.Alias)
	}
}

// WriteText writes the plan and its explanation for people.
func (p *Plan) WriteText(w io.Writer) error {
	e := &p.Explanation
	f := &e.Features
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-10s %s\n", label+":", fmt.Sprintf(format, args...))
	}
	p.writeHead(line)
	if e.Semantic != nil {
		line("semantic", "%s", semanticLine(e.Semantic))
	}
	line("category", "%s", categoryLine(e))
	line("features", "prompt_tokens=%d turn=%d language=%s code=%t tools=%t json=%t images=%t needs=%s",
		f.PromptTokens, f.Turn, orDash(f.Language), f.HasCode, f.HasTools, f.WantsJSON, f.HasImages, orDash(f.Needs.String()))
	line("policy", "%s, strategy %s, scorer %s", e.Policy, e.Strategy, e.Scorer)
	line("rules", "%s", orDash(strings.Join(e.Rules, ", ")))
	if e.Split != "" {
		line("split", "%s picked first", e.Split)
	}
	line("limits", "%s", limitsLine(&e.Limits, p))
	if a := &e.Adaptive; a.Arms > 0 {
		line("adaptive", "%s", adaptiveLine(a, p.Propensity))
	}
	if m := &e.PromptModel; m.Model != "" {
		line("learned", "model %s, weight %s: its p(good) for this prompt is the quality of the deployments it maps", m.Model, ftoa(m.Weight))
	}
	line("header", "x-switchyard-route: %s", p.Summary(0, p.First(), 1))
	width := 0
	for _, t := range p.Tiers {
		for _, c := range t.Candidates {
			width = max(width, len(c.Deployment.Name))
		}
	}
	for _, r := range e.Rejected {
		width = max(width, len(r.Deployment))
	}
	b.WriteString("\nplan:\n")
	for i, t := range p.Tiers {
		fmt.Fprintf(&b, "  tier %d, first-token timeout %s\n", i+1, t.TTFTTimeout)
		for _, c := range t.Candidates {
			row := fmt.Sprintf("    %-*s  score %.3f  est %-10s  %-15s %s", width, c.Deployment.Name, c.Score, estCost(c, p.ServiceTierOf(&c)), latency(c), flags(c))
			if c.Predicted.Set {
				row = strings.TrimRight(row, " ") + fmt.Sprintf("\n    %-*s  %s", width, "", c.Predicted.Text())
			}
			if c.Learned.Set {
				row = strings.TrimRight(row, " ") + fmt.Sprintf("\n    %-*s  %s, value %.3f", width, "", c.Learned.Text(e.Adaptive.MinOutcomes), c.Learned.Value)
			}
			if c.QualityDemoted != "" {
				row = strings.TrimRight(row, " ") + fmt.Sprintf("\n    %-*s  demoted: %s", width, "", c.QualityDemoted)
			}
			b.WriteString(strings.TrimRight(row, " ") + "\n")
		}
	}
	if len(e.Rejected) > 0 {
		b.WriteString("\nrejected:\n")
		for i := range e.Rejected {
			r := &e.Rejected[i]
			fmt.Fprintf(&b, "    %-*s  %s\n", width, r.Deployment, r.Detail())
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func adaptiveLine(a *Adaptive, propensity float64) string {
	pick := "exploited: the best posterior mean minus cost first"
	if a.Explored {
		pick = "explored: a Thompson draw put its winner first"
	}
	return fmt.Sprintf("context %s, λ=%s, explore %s, min_outcomes %d; %s (greedy %s); propensity %.4f",
		a.Context, ftoa(a.Lambda), ftoa(a.Explore), a.MinOutcomes, pick, a.Greedy, propensity)
}

func categoryLine(e *Explanation) string {
	c := string(e.Category)
	if c == "" {
		c = "none"
	}
	switch e.CategorySource {
	case "hint":
		return fmt.Sprintf("%s (from the %s header; classifier said %s at %.2f)", c, HeaderCategory, orDash(string(e.Features.Category)), e.Features.Confidence)
	case "low_confidence":
		return fmt.Sprintf("%s (confidence %.2f, below the route's min_confidence: route-wide policy)", c, e.Features.Confidence)
	case "semantic":
		return fmt.Sprintf("%s (from semantic category %s; classifier said %s at %.2f)", c, e.Semantic.Category, orDash(string(e.Features.Category)), e.Features.Confidence)
	}
	return fmt.Sprintf("%s (confidence %.2f)", c, e.Features.Confidence)
}

func limitsLine(l *Limits, p *Plan) string {
	var parts []string
	add := func(format string, args ...any) { parts = append(parts, fmt.Sprintf(format, args...)) }
	if l.MaxInputPricePerM > 0 || l.MaxOutputPricePerM > 0 {
		add("max_price in $%s/out $%s per 1M", ftoa(l.MaxInputPricePerM), ftoa(l.MaxOutputPricePerM))
	}
	if l.MaxCostPerRequest > 0 {
		add("max_cost_per_request $%s", ftoa(l.MaxCostPerRequest))
	}
	if l.CallerMaxCostUSD > 0 {
		add("%s $%s", HeaderMaxCost, ftoa(l.CallerMaxCostUSD))
	}
	if l.TTFTBudgetMS > 0 {
		add("ttft budget %dms", l.TTFTBudgetMS)
	}
	if p.Deadline > 0 {
		add("deadline %s", p.Deadline)
	}
	add("expected output %d tokens", l.ExpectedOutputTokens)
	return strings.Join(parts, "; ")
}

// estCost is the candidate's estimated cost, or "cost?" when its price
// is unknown (never "$0").
func estCost(c Candidate, tier llm.ServiceTier) string {
	if c.CostUnknown {
		return "cost?"
	}
	if tier != "" {
		return "$" + usd(c.TierCostUSD) + " " + string(tier)
	}
	return "$" + usd(c.EstCostUSD)
}

func latency(c Candidate) string {
	if c.EstLatency == 0 {
		return "latency unknown"
	}
	return "~" + c.EstLatency.Round(100*time.Millisecond).String()
}

func flags(c Candidate) string {
	var fs []string
	for _, x := range []struct {
		on   bool
		name string
	}{{c.Pinned, "pinned"}, {c.Preferred, "preferred"}, {c.Split, "split pick"}, {c.Demoted, "demoted"}, {c.QualityDemoted != "", "demoted for quality"}, {c.QualityProbe, "quality probe"}, {c.CostUnknown, "price unknown"}} {
		if x.on {
			fs = append(fs, x.name)
		}
	}
	if !c.RateLimitedUntil.IsZero() {
		fs = append(fs, "rate limited until "+c.RateLimitedUntil.UTC().Format("15:04:05.000"))
	}
	if !c.FlexUnavailableUntil.IsZero() {
		fs = append(fs, "no flex capacity until "+c.FlexUnavailableUntil.UTC().Format("15:04:05.000"))
	}
	if !c.FastUnavailableUntil.IsZero() {
		fs = append(fs, "fast mode limited until "+c.FastUnavailableUntil.UTC().Format("15:04:05.000")+", standard speed")
	}
	if c.TTFTTimeout > 0 {
		fs = append(fs, "first-token timeout "+c.TTFTTimeout.String())
	}
	if c.ResponsesAPI {
		fs = append(fs, "Responses API")
	}
	if c.NoResponsesRoute {
		fs = append(fs, "Chat Completions: no /responses route")
	}
	if c.MaxTokens > 0 {
		fs = append(fs, "max_tokens lowered to "+strconv.Itoa(c.MaxTokens))
	}
	if c.DroppedHosted != 0 {
		fs = append(fs, "without "+c.DroppedHosted.String())
	}
	if len(c.Dropped) > 0 {
		fs = append(fs, "dropped="+strings.Join(c.Dropped, ","))
	}
	if len(fs) == 0 {
		return ""
	}
	return "[" + strings.Join(fs, ", ") + "]"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
