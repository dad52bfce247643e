package gateway

import (
	"fmt"
	"math"
	"strings"

	"switchyard/config"
	"switchyard/guard/inject"
	"switchyard/guard/sanitize"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
)

// This file applies the guard sections (docs/security.md): the prompt
// scan before routing — flag, block or reroute — and the answer's
// sanitizer.

// guards are the compiled guard sections.
type guards struct {
	// scanner scores prompts; nil when no section scans.
	scanner *inject.Scanner
	top     *guardPolicy
	// routes holds the configured routes whose section differs from the
	// top level's.
	routes map[string]*guardPolicy
}

// guardPolicy is the guard of the requests for one model.
type guardPolicy struct {
	// injection is the scan's settings; nil when the prompt is not
	// scanned.
	injection *config.Injection
	// output sanitizes answers; nil when it would change nothing.
	// outputJSON is output without link neutralization, for answers the
	// request asked to be JSON (the escaped notes would break them).
	output, outputJSON *sanitize.Sanitizer
	// leak reports that the sanitizer watches for the system prompt
	// (which is then read from each request).
	leak bool
}

// newGuards compiles cfg's guard sections. It fails only for a section
// that did not pass config validation.
func newGuards(cfg *config.Config) (*guards, error) {
	gs := &guards{routes: map[string]*guardPolicy{}}
	var err error
	if gs.top, err = compileGuard(cfg.Guard); err != nil {
		return nil, fmt.Errorf("guard: %w", err)
	}
	for name, r := range cfg.Routes {
		if r.Guard == nil {
			continue
		}
		if gs.routes[name], err = compileGuard(cfg.GuardFor(name)); err != nil {
			return nil, fmt.Errorf("routes.%s.guard: %w", name, err)
		}
	}
	for _, p := range append([]*guardPolicy{gs.top}, values(gs.routes)...) {
		if p.injection != nil {
			gs.scanner = inject.Default()
		}
	}
	return gs, nil
}

func values(m map[string]*guardPolicy) []*guardPolicy {
	out := make([]*guardPolicy, 0, len(m))
	for _, p := range m {
		out = append(out, p)
	}
	return out
}

func compileGuard(g config.Guard) (*guardPolicy, error) {
	p := &guardPolicy{}
	if g.Injection.Scans() {
		p.injection = g.Injection
	}
	if o := g.Output; o != nil {
		leak := sanitize.LeakOff
		switch o.SystemPromptLeak {
		case config.LeakFlag:
			leak = sanitize.LeakFlag
		case config.LeakCut:
			leak = sanitize.LeakCut
		}
		s, err := sanitize.New(sanitize.Policy{Links: o.Links == config.LinksNeutralize, AllowedHosts: o.AllowedLinkHosts, Leak: leak})
		if err != nil {
			return nil, err
		}
		if s.Active() {
			p.output, p.outputJSON, p.leak = s, s.WithoutLinks(), leak != sanitize.LeakOff
		}
	}
	return p, nil
}

// sanitizer returns the answer sanitizer for req, nil for none: links
// are left alone in answers the request asked to be JSON.
func (p *guardPolicy) sanitizer(req *llm.Request) *sanitize.Sanitizer {
	if rf := req.ResponseFormat; rf != nil && rf.Type != llm.FormatText {
		return p.outputJSON
	}
	return p.output
}

// policy returns the guard of requests for model.
func (gs *guards) policy(model string) *guardPolicy {
	if p := gs.routes[model]; p != nil {
		return p
	}
	return gs.top
}

// screen scans req when its model's guard says so, notes the verdict in
// rec and served, and returns the error that blocks it (400
// prompt_rejected, naming the reasons, never the text). A reroute is
// noted in the verdict (ReroutedTo), which plan reads.
func (g *Gateway) screen(req *llm.Request, rec *record.Record, served *llm.Served) error {
	in := g.guards.policy(req.Model).injection
	if in == nil {
		return nil
	}
	v := g.guards.scanner.Scan(req)
	gv := &llm.Guard{Scanned: true, Score: math.Round(v.Score*1e4) / 1e4, Reasons: v.Reasons.Names(), Threshold: in.Threshold, Action: in.Action}
	gv.Acted = v.Score >= in.Threshold
	rec.Guard, served.Guard = gv, gv
	if !gv.Acted {
		return nil
	}
	switch in.Action {
	case config.InjectionBlock:
		reasons := "none named"
		if len(gv.Reasons) > 0 {
			reasons = strings.Join(gv.Reasons, ", ")
		}
		e := llm.Errorf(llm.KindInvalidRequest,
			"The request was rejected by the router's prompt-injection guard (score %.2f, threshold %.2f; reasons: %s). "+
				"Rephrase the request; if it is legitimate, ask the router's operator to review this route's guard settings.",
			v.Score, in.Threshold, reasons)
		e.Code, e.Param = "prompt_rejected", "messages"
		return e
	case config.InjectionReroute:
		gv.ReroutedTo = in.Deployment
	}
	return nil
}

// rerouted returns the plan of a request the guard reroutes: the safer
// deployment alone, pinned, with the price ceilings the gateway set (a
// spent budget still applies) and no caller override (the caller's were
// checked by the first plan).
func (g *Gateway) rerouted(in *route.Input, to string) (*route.Plan, error) {
	ov := in.Overrides
	in.Overrides = route.Overrides{
		Model: to, NoFallback: true, Allowed: route.AllowAll,
		MaxInputPricePerM: ov.MaxInputPricePerM, MaxOutputPricePerM: ov.MaxOutputPricePerM, CeilingBy: ov.CeilingBy,
		UnknownCostBy: ov.UnknownCostBy,
	}
	return g.policy.Plan(in)
}

// systemText is the request's system and developer messages, for the
// leak check.
func systemText(req *llm.Request) string {
	var b strings.Builder
	for i := range req.Messages {
		if m := &req.Messages[i]; m.Role == llm.RoleSystem || m.Role == llm.RoleDeveloper {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(m.Text())
		}
	}
	return b.String()
}

// guardOf returns rec's guard verdict, creating it for an answer whose
// prompt was not scanned.
func guardOf(rec *record.Record) *llm.Guard {
	if rec.Guard == nil {
		rec.Guard = &llm.Guard{}
	}
	return rec.Guard
}

// sanitizeAnswer sanitizes a complete answer in place under p — its text
// with the request's sanitizer, its tool calls' arguments with the
// route's — cutting a choice that leaks the system prompt (finish_reason
// content_filter), and notes what it changed in rec.
func sanitizeAnswer(p *guardPolicy, req *llm.Request, resp *llm.Response, rec *record.Record) {
	san := p.sanitizer(req)
	system := ""
	if p.leak {
		system = systemText(req)
	}
	var f sanitize.Findings
	cut := false
	for i := range resp.Choices {
		ch := &resp.Choices[i]
		if san != nil && sanitizeText(san, system, ch, &f) {
			ch.FinishReason = llm.FinishContentFilter
			cut = true
			ch.Message.SetToolCalls(nil) // the answer ends at the leak
			continue
		}
		if calls, leaked := sanitizeToolCalls(p.output, system, ch.Message.ToolCalls(), &f); leaked {
			ch.Message.SetToolCalls(calls)
			ch.FinishReason = llm.FinishContentFilter
			cut = true
		} else if calls != nil {
			ch.Message.SetToolCalls(calls)
		}
	}
	noteOutput(rec, f, cut)
}

// sanitizeText sanitizes the text parts of ch under san, adding what it
// found to f; it reports a cut at a leak.
func sanitizeText(san *sanitize.Sanitizer, system string, ch *llm.Choice, f *sanitize.Findings) bool {
	st := san.NewStream(system)
	parts := ch.Message.Content
	last := -1
	for k := range parts {
		if parts[k].Type == llm.PartText {
			last = k
		}
	}
	for k := range parts {
		if parts[k].Type != llm.PartText {
			continue
		}
		parts[k].Text = st.Write(parts[k].Text)
		if k == last {
			parts[k].Text += st.Close()
		}
	}
	addFindings(f, st.Findings())
	return st.Cut()
}

// sanitizeToolCalls returns calls with their arguments sanitized under
// san (nil when nothing changed), adding what it found to f; leaked
// reports a call whose arguments completed a leak in cut mode: the calls
// returned end before it.
func sanitizeToolCalls(san *sanitize.Sanitizer, system string, calls []llm.ToolCall, f *sanitize.Findings) (out []llm.ToolCall, leaked bool) {
	if san == nil || len(calls) == 0 {
		return nil, false
	}
	out = make([]llm.ToolCall, 0, len(calls))
	for _, c := range calls {
		a := san.NewArgs(system)
		c.Arguments = a.Write(c.Arguments) + a.Close()
		addFindings(f, a.Findings())
		if a.Cut() {
			return out, true
		}
		out = append(out, c)
	}
	return out, false
}

// addFindings adds g to f.
func addFindings(f *sanitize.Findings, g sanitize.Findings) {
	f.Links, f.Images, f.URLs, f.Leak = f.Links+g.Links, f.Images+g.Images, f.URLs+g.URLs, f.Leak || g.Leak
}

// noteOutput notes what the sanitizer changed in rec.
func noteOutput(rec *record.Record, f sanitize.Findings, cut bool) {
	if f == (sanitize.Findings{}) && !cut {
		return
	}
	gv := guardOf(rec)
	gv.LinksRemoved += f.Links + f.URLs // bare URLs and URLs in tool calls' arguments count as links
	gv.ImagesRemoved += f.Images
	gv.Leak = gv.Leak || f.Leak
	gv.LeakCut = gv.LeakCut || cut
}
