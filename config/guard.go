package config

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// This file holds the guard sections: the top-level `guard` (for every
// request) and a route's `guard` (for requests that ask for the route),
// which scan prompts for injection and jailbreak attempts and sanitize
// answers. See docs/security.md.

// Injection actions: what the router does with a request whose injection
// score reaches the threshold.
const (
	// InjectionOff does not scan.
	InjectionOff = "off"
	// InjectionFlag records the score and reasons (request log, headers,
	// explanation) and serves the request as usual.
	InjectionFlag = "flag"
	// InjectionBlock answers 400 prompt_rejected with the reasons.
	InjectionBlock = "block"
	// InjectionReroute sends the request to Injection.Deployment alone.
	InjectionReroute = "reroute"
)

// Output link and leak actions.
const (
	LinksKeep       = "keep"
	LinksNeutralize = "neutralize"
	LeakOff         = "off"
	LeakFlag        = "flag"
	LeakCut         = "cut"
)

// The injection thresholds of a section that sets none:
// DefaultGuardThreshold with action flag, DefaultGuardStrictThreshold
// with block and reroute, which cost a false positive more. They are
// switchyard/guard/inject's DefaultThreshold and StrictThreshold (a test
// checks they agree); docs/security.md gives what each detects.
const (
	DefaultGuardThreshold       = 0.3
	DefaultGuardStrictThreshold = 0.5
)

var (
	injectionActions = []string{InjectionFlag, InjectionBlock, InjectionReroute, InjectionOff}
	linkActions      = []string{LinksNeutralize, LinksKeep}
	leakActions      = []string{LeakFlag, LeakCut, LeakOff}
)

// Guard is a guard section. A route's section replaces the top-level
// one part by part: a route that sets injection uses its own, one that
// does not uses the top level's (the same for output).
type Guard struct {
	// Injection scans prompts; nil means not set here.
	Injection *Injection
	// Output sanitizes answers; nil means not set here.
	Output *Output
}

// Injection configures the prompt scanner.
type Injection struct {
	// Action is InjectionFlag, InjectionBlock, InjectionReroute or
	// InjectionOff; empty means InjectionFlag.
	Action string
	// Threshold is the score (0 to 1) at or above which Action applies;
	// zero means DefaultGuardThreshold for InjectionFlag and
	// DefaultGuardStrictThreshold for InjectionBlock and InjectionReroute.
	Threshold float64
	// Deployment is where InjectionReroute sends flagged requests (a
	// configured deployment); it must be empty for the other actions.
	Deployment string
}

// Output configures the answer sanitizer.
type Output struct {
	// Links is LinksNeutralize or LinksKeep (the default): whether
	// Markdown links and images to hosts off AllowedLinkHosts are
	// neutralized.
	Links string
	// AllowedLinkHosts are the hosts links may point to: names
	// ("docs.example.com") or subdomain wildcards ("*.example.com").
	AllowedLinkHosts []string
	// SystemPromptLeak is LeakFlag, LeakCut or LeakOff (the default): what
	// to do when an answer repeats the request's system prompt.
	SystemPromptLeak string
}

// GuardFor returns the guard of requests for model: the route's section
// over the top-level one, part by part (the top level alone for a model
// that is not a configured route). Parts not set anywhere are nil.
func (c *Config) GuardFor(model string) Guard {
	g := c.Guard
	if r := c.Routes[model]; r != nil && r.Guard != nil {
		if r.Guard.Injection != nil {
			g.Injection = r.Guard.Injection
		}
		if r.Guard.Output != nil {
			g.Output = r.Guard.Output
		}
	}
	return g
}

// Scans reports whether the injection part scans (set and not off).
func (i *Injection) Scans() bool { return i != nil && i.Action != InjectionOff }

// guard decodes a guard section.
func (d *decoder) guard(e entry) *Guard {
	g := &Guard{}
	d.object(e.node, e.path, []field{
		{"injection", func(e entry) {
			if !isNull(e.node) {
				g.Injection = d.injection(e)
			}
		}},
		{"output", func(e entry) {
			if !isNull(e.node) {
				g.Output = d.output(e)
			}
		}},
	})
	return g
}

func (d *decoder) injection(e entry) *Injection {
	in := &Injection{}
	d.object(e.node, e.path, []field{
		{"action", func(e entry) { d.str(e, &in.Action) }},
		{"threshold", func(e entry) { d.number(e, &in.Threshold, "a score from 0 to 1, e.g. 0.5") }},
		{"deployment", func(e entry) { d.str(e, &in.Deployment) }},
	})
	return in
}

func (d *decoder) output(e entry) *Output {
	o := &Output{}
	d.object(e.node, e.path, []field{
		{"links", func(e entry) { d.str(e, &o.Links) }},
		{"allowed_link_hosts", func(e entry) { o.AllowedLinkHosts = d.strList(e, `[docs.example.com, "*.example.com"]`) }},
		{"system_prompt_leak", func(e entry) { d.str(e, &o.SystemPromptLeak) }},
	})
	return o
}

func (g *Guard) applyDefaults() {
	if g == nil {
		return
	}
	if in := g.Injection; in != nil {
		if in.Action == "" {
			in.Action = InjectionFlag
		}
		if in.Threshold == 0 {
			in.Threshold = DefaultGuardThreshold
			if in.Action == InjectionBlock || in.Action == InjectionReroute {
				in.Threshold = DefaultGuardStrictThreshold
			}
		}
	}
	if o := g.Output; o != nil {
		if o.Links == "" {
			o.Links = LinksKeep
		}
		if o.SystemPromptLeak == "" {
			o.SystemPromptLeak = LeakOff
		}
	}
}

// guard checks a guard section at path.
func (v *validator) guard(path string, g *Guard) {
	if g == nil {
		return
	}
	g.applyDefaults()
	if in := g.Injection; in != nil {
		v.injection(path+".injection", in)
	}
	if o := g.Output; o != nil {
		v.output(path+".output", o)
	}
}

func (v *validator) injection(path string, in *Injection) {
	if !slices.Contains(injectionActions, in.Action) {
		v.add(path+".action", fmt.Sprintf("unknown action %q", in.Action), choices(in.Action, "actions", injectionActions))
	}
	if t := in.Threshold; t <= 0 || t > 1 || math.IsNaN(t) {
		v.add(path+".threshold", "must be above 0 and at most 1, got "+ftoa(t),
			fmt.Sprintf("the injection score at or above which the action applies; omit it for %s (flag) or %s (block, reroute)",
				ftoa(DefaultGuardThreshold), ftoa(DefaultGuardStrictThreshold)))
	}
	switch {
	case in.Action == InjectionReroute && in.Deployment == "":
		v.add(path+".deployment", "is required with action: reroute",
			"name the deployment flagged requests go to, e.g. a model with stronger safety training; "+choices("", "configured deployments", v.deploymentNames()))
	case in.Action == InjectionReroute && v.c.Deployments[in.Deployment] == nil:
		v.add(path+".deployment", fmt.Sprintf("deployment %q is not configured", in.Deployment),
			choices(in.Deployment, "configured deployments", v.deploymentNames()))
	case in.Action != InjectionReroute && in.Deployment != "":
		v.add(path+".deployment", fmt.Sprintf("is only used with action: reroute, not %s", in.Action),
			"remove it, or set action: reroute")
	}
}

func (v *validator) output(path string, o *Output) {
	if !slices.Contains(linkActions, o.Links) {
		v.add(path+".links", fmt.Sprintf("unknown value %q", o.Links), choices(o.Links, "values", linkActions))
	}
	if !slices.Contains(leakActions, o.SystemPromptLeak) {
		v.add(path+".system_prompt_leak", fmt.Sprintf("unknown value %q", o.SystemPromptLeak), choices(o.SystemPromptLeak, "values", leakActions))
	}
	if o.Links == LinksKeep && len(o.AllowedLinkHosts) > 0 {
		v.add(path+".allowed_link_hosts", "has no effect with links: keep",
			"set links: neutralize to remove links and images to other hosts")
	}
	for i, h := range o.AllowedLinkHosts {
		if problem := hostProblem(h); problem != "" {
			v.add(fmt.Sprintf("%s.allowed_link_hosts[%d]", path, i), problem,
				`a host name ("docs.example.com") or a wildcard for its subdomains ("*.example.com"), without scheme, port or path`)
		}
	}
}

// hostProblem says what is wrong with an allowed link host, or "" (the
// rule of switchyard/guard/sanitize.CheckHost).
func hostProblem(h string) string {
	name := strings.TrimPrefix(h, "*.")
	switch {
	case name == "":
		return fmt.Sprintf("%q is not a host name", h)
	case strings.Contains(h, "://"):
		return fmt.Sprintf("%q is a URL, not a host name", h)
	case strings.Contains(name, "*"):
		return fmt.Sprintf("%q: a wildcard may only start the pattern, as *.example.com", h)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c >= 0x80) {
			return fmt.Sprintf("%q is not a host name: %q may not appear in one", h, c)
		}
	}
	return ""
}
