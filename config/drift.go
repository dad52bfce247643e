package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"switchyard/llm"
)

// This file holds the drift section: golden prompt sets run against
// deployments on a schedule, within a daily spending cap, compared with
// each deployment's baseline, and the live traffic monitor (package
// drift; docs/drift.md).

// The actions on a significant change.
const (
	// DriftAlert logs, counts and posts the change (the default).
	DriftAlert = "alert"
	// DriftDemote alerts and demotes the deployment for the affected
	// categories until a later run is clean.
	DriftDemote = "demote"
)

// DriftStarter is the name of the set embedded in the binary, which a set
// may use without a file.
const DriftStarter = "starter"

// Limits and defaults of the drift section.
const (
	MinDriftInterval          = time.Minute
	DefaultDriftLiveWindow    = time.Hour
	DefaultDriftLiveTrailer   = 24 * time.Hour
	DefaultDriftLiveLiftAfter = 6 * time.Hour
	DefaultDriftLiveProbe     = 0.05
)

// Drift configures quality monitoring. The zero value (no sets, no live
// interval) monitors nothing.
type Drift struct {
	// Sets are the golden sets run on a schedule.
	Sets []DriftSet
	// Action is DriftAlert or DriftDemote; empty means DriftAlert.
	Action string
	// DailyCapUSD bounds what the runs spend per UTC day; required (> 0)
	// when Sets is not empty.
	DailyCapUSD float64
	// Webhook, when its URL is set, receives each alert as a POST.
	Webhook DriftWebhook
	// BaselineRuns, Alpha, Looks and Window tune the comparisons (see
	// drift.Options); zero means the defaults (5, 0.05, 10, 3).
	BaselineRuns int
	Alpha        float64
	Looks        int
	Window       int
	// Concurrency bounds the prompts in flight; zero means 4.
	Concurrency int
	// Live configures the live traffic monitor; off unless its Interval
	// is set.
	Live DriftLive
}

// DriftSet is one golden set and its schedule.
type DriftSet struct {
	// Name identifies the set (the file's name: field must match);
	// DriftStarter without a File is the embedded starter set.
	Name string
	// File is the set's YAML, relative to the config file; Path is it
	// resolved (Load fills it in).
	File, Path string
	// Deployments are run against; empty means every chat deployment.
	Deployments []string
	// Interval between runs (required, at least a minute); Jitter the
	// most a run comes earlier or later (default a tenth of Interval,
	// less than Interval).
	Interval, Jitter time.Duration
	// Prompts per deployment and run; zero means all the set's.
	Prompts int
}

// DriftWebhook is where alerts are posted.
type DriftWebhook struct {
	// URL is an http(s) URL; empty means no webhook. It never appears in
	// errors or logs.
	URL string
	// Headers are sent with each post; their values never appear in
	// errors or logs.
	Headers map[string]string
}

// DriftLive configures the live traffic monitor.
type DriftLive struct {
	// Interval between checks; zero turns the monitor off.
	Interval time.Duration
	// Window is the recent traffic tested (1h); Trailing the traffic
	// before it compared with (24h).
	Window, Trailing time.Duration
	// MinRequests is the fewest requests each side of a path needs (50).
	MinRequests int
	// Action is what a flagged path does: DriftAlert, or DriftDemote to
	// also demote its deployment on its route for its category; empty
	// means DriftAlert.
	Action string
	// LiftAfter is how long a demoted path's traffic, all of it after the
	// demotion, must test clean against the traffic it was demoted on for
	// the demotion to be lifted: from Window to Window+Trailing; zero
	// means DefaultDriftLiveLiftAfter, or Window+Trailing when shorter.
	LiftAfter time.Duration
	// Probe is the share of a route's requests of the category that still
	// go to a deployment demoted there as if it were not, so that its
	// traffic can show it is back: 0 to 1; nil means
	// DefaultDriftLiveProbe.
	Probe *float64
}

// ProbeShare returns the probe share: Probe, or DefaultDriftLiveProbe.
func (l *DriftLive) ProbeShare() float64 {
	if l.Probe == nil {
		return DefaultDriftLiveProbe
	}
	return *l.Probe
}

// Demotes reports whether the live monitor demotes flagged paths.
func (l *DriftLive) Demotes() bool { return l.Interval > 0 && l.Action == DriftDemote }

// Enabled reports whether anything is monitored.
func (d *Drift) Enabled() bool { return len(d.Sets) > 0 || d.Live.Interval > 0 }

// DriftDeployments returns the deployments set runs against: its own, or
// every deployment servesChat reports serving chat (cost.ServesChat,
// which knows the catalog's embeddings and moderation models; nil means
// by declared capabilities alone).
func (c *Config) DriftDeployments(set *DriftSet, servesChat func(name string) bool) []string {
	if len(set.Deployments) > 0 {
		return set.Deployments
	}
	if servesChat == nil {
		servesChat = func(name string) bool { return llm.ServesChat(c.Deployments[name].Capabilities) }
	}
	var out []string
	for _, name := range c.DeploymentNames() {
		if servesChat(name) {
			out = append(out, name)
		}
	}
	return out
}

func (d *decoder) drift(e entry, dr *Drift) {
	d.object(e.node, e.path, []field{
		{"sets", func(e entry) { dr.Sets = d.driftSets(e) }},
		{"action", func(e entry) { d.str(e, &dr.Action) }},
		{"daily_cap_usd", func(e entry) { d.number(e, &dr.DailyCapUSD, "USD per UTC day, e.g. 5") }},
		{"webhook", func(e entry) {
			d.object(e.node, e.path, []field{
				// The URL may hold a token (Slack's and most hooks' do):
				// a secret, masked in GET /admin/config like the headers.
				{"url", func(e entry) { d.secretStr(e, "", &dr.Webhook.URL) }},
				{"headers", func(e entry) { dr.Webhook.Headers = d.secretMap(e) }},
			})
		}},
		{"baseline_runs", func(e entry) { d.intField(e, &dr.BaselineRuns, "complete runs forming a baseline, e.g. 5") }},
		{"alpha", func(e entry) { d.number(e, &dr.Alpha, "the false-alarm budget, e.g. 0.05") }},
		{"looks", func(e entry) { d.intField(e, &dr.Looks, "runs the false-alarm budget covers, e.g. 10") }},
		{"window", func(e entry) { d.intField(e, &dr.Window, "recent runs pooled by the window tests, e.g. 3") }},
		{"concurrency", func(e entry) { d.intField(e, &dr.Concurrency, "prompts in flight, e.g. 4") }},
		{"live", func(e entry) {
			d.object(e.node, e.path, []field{
				{"interval", func(e entry) { d.duration(e, &dr.Live.Interval, true) }},
				{"window", func(e entry) { d.duration(e, &dr.Live.Window, true) }},
				{"trailing", func(e entry) { d.duration(e, &dr.Live.Trailing, true) }},
				{"min_requests", func(e entry) { d.intField(e, &dr.Live.MinRequests, "requests per side of a path, e.g. 50") }},
				{"action", func(e entry) { d.str(e, &dr.Live.Action) }},
				{"lift_after", func(e entry) { d.duration(e, &dr.Live.LiftAfter, true) }},
				{"probe", func(e entry) {
					var v float64
					d.number(e, &v, "the share of requests a demoted deployment still gets, from 0 to 1, e.g. 0.05")
					if !isNull(e.node) && !d.covered(e.path) {
						dr.Live.Probe = &v
					}
				}},
			})
		}},
	})
}

func (d *decoder) driftSets(e entry) []DriftSet {
	els := d.list(e, `[{name: starter, interval: 6h, prompts: 50}]`)
	out := make([]DriftSet, len(els))
	for i, el := range els {
		s := &out[i]
		d.object(el.node, el.path, []field{
			{"name", func(e entry) { d.str(e, &s.Name) }},
			{"file", func(e entry) { d.str(e, &s.File) }},
			{"deployments", func(e entry) { s.Deployments = d.strOrList(e, "[gpt-4o, claude-sonnet-4-5]") }},
			{"interval", func(e entry) { d.duration(e, &s.Interval, true) }},
			{"jitter", func(e entry) { d.duration(e, &s.Jitter, false) }},
			{"prompts", func(e entry) { d.intField(e, &s.Prompts, "prompts per deployment and run, e.g. 50; omit it for all") }},
		})
	}
	return out
}

var driftSetNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)

// drift fills in the drift section's defaults and checks it.
func (v *validator) drift() {
	const path = "drift"
	dr := &v.c.Drift
	if dr.Action == "" {
		dr.Action = DriftAlert
	}
	actions := []string{DriftAlert, DriftDemote}
	if !slices.Contains(actions, dr.Action) {
		v.add(path+".action", fmt.Sprintf("unknown action %q", dr.Action), choices(dr.Action, "valid actions", actions))
	}
	if len(dr.Sets) > 0 && !(dr.DailyCapUSD > 0) {
		v.add(path+".daily_cap_usd", "must be > 0 when sets are configured, got "+ftoa(dr.DailyCapUSD),
			"what the golden runs may spend per UTC day, e.g. 5")
	}
	if dr.DailyCapUSD < 0 || dr.DailyCapUSD > MaxLimitUSD {
		v.add(path+".daily_cap_usd", "must be between 0 and "+ftoa(MaxLimitUSD)+", got "+ftoa(dr.DailyCapUSD), "e.g. 5")
	}
	if dr.Webhook.URL != "" {
		v.webhookURL(path+".webhook.url", dr.Webhook.URL)
		v.headers(path+".webhook.headers", dr.Webhook.Headers)
	} else if len(dr.Webhook.Headers) > 0 {
		v.add(path+".webhook.url", "is required when webhook headers are set", "the URL alerts are posted to")
	}
	if a := dr.Alpha; a != 0 && !(a > 0 && a < 0.5) {
		v.add(path+".alpha", "must be > 0 and < 0.5, got "+ftoa(a), "the false-alarm budget, e.g. 0.05")
	}
	for _, f := range []struct {
		name     string
		val, max int
	}{{"baseline_runs", dr.BaselineRuns, 100}, {"looks", dr.Looks, 10000}, {"window", dr.Window, 100}, {"concurrency", dr.Concurrency, 256}} {
		if f.val < 0 || f.val > f.max {
			v.add(path+"."+f.name, fmt.Sprintf("must be from 0 to %d, got %d", f.max, f.val), "omit it for the default")
		}
	}
	for i := range dr.Sets {
		v.driftSet(fmt.Sprintf("%s.sets[%d]", path, i), i)
	}
	v.driftLive(path+".live", &dr.Live)
}

// webhookURL checks the webhook's URL without ever quoting it: webhook
// URLs often hold a token (in the path or the query, which is allowed).
func (v *validator) webhookURL(path, raw string) {
	const hint = "an absolute http(s) URL, e.g. https://hooks.example.com/switchyard"
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		v.add(path, "is not a valid URL", hint)
	case u.Scheme != "http" && u.Scheme != "https":
		v.add(path, "is not an absolute http(s) URL", hint)
	case u.User != nil:
		v.add(path, "must not contain credentials (user:password@)", "send them in webhook.headers")
	case u.Hostname() == "":
		v.add(path, "has no host", hint)
	}
}

func (v *validator) driftSet(path string, i int) {
	s := &v.c.Drift.Sets[i]
	switch {
	case s.Name == "":
		v.add(path+".name", "is required", "the set's name, e.g. starter")
	case !driftSetNameRE.MatchString(s.Name):
		v.add(path+".name", fmt.Sprintf("invalid name %q", s.Name), "1-128 letters, digits and . _ : - starting with a letter or digit")
	case slices.ContainsFunc(v.c.Drift.Sets[:i], func(o DriftSet) bool { return o.Name == s.Name }):
		v.add(path+".name", fmt.Sprintf("set %q is configured twice", s.Name), "set names are unique")
	case s.File == "" && s.Name != DriftStarter:
		v.add(path+".file", "is required for a set other than "+DriftStarter, "the set's YAML file, relative to this config file")
	}
	if s.Interval < MinDriftInterval {
		v.add(path+".interval", "must be at least "+MinDriftInterval.String()+", got "+s.Interval.String(), `e.g. "6h"`)
	}
	if s.Jitter == 0 {
		s.Jitter = s.Interval / 10
	}
	if s.Jitter < 0 || s.Jitter >= s.Interval && s.Interval > 0 {
		v.add(path+".jitter", "must be from 0 to less than the interval, got "+s.Jitter.String(), "omit it for a tenth of the interval")
	}
	if s.Prompts < 0 {
		v.add(path+".prompts", fmt.Sprintf("must be >= 0, got %d", s.Prompts), "omit it for every prompt of the set")
	}
	v.deploymentList(path+".deployments", s.Deployments, false)
	for j, dn := range s.Deployments {
		if d := v.c.Deployments[dn]; d != nil && !llm.ServesChat(d.Capabilities) {
			v.add(fmt.Sprintf("%s.deployments[%d]", path, j), fmt.Sprintf("deployment %q serves %s only", dn, nonChatWhat(d.Capabilities)), "golden sets are chat prompts")
		}
	}
}

func (v *validator) driftLive(path string, l *DriftLive) {
	if l.Interval == 0 {
		if l.Window != 0 || l.Trailing != 0 || l.MinRequests != 0 || l.Action != "" || l.LiftAfter != 0 || l.Probe != nil {
			v.add(path+".interval", "is required when other live fields are set", `how often live traffic is checked, e.g. "15m"`)
		}
		return
	}
	if l.Action == "" {
		l.Action = DriftAlert
	}
	if actions := []string{DriftAlert, DriftDemote}; !slices.Contains(actions, l.Action) {
		v.add(path+".action", fmt.Sprintf("unknown action %q", l.Action), choices(l.Action, "valid actions", actions))
	}
	if p := l.ProbeShare(); !(p >= 0 && p <= 1) {
		v.add(path+".probe", "must be from 0 to 1, got "+ftoa(p), "the share of requests a demoted deployment still gets, e.g. 0.05")
	}
	if l.Window == 0 {
		l.Window = DefaultDriftLiveWindow
	}
	if l.Trailing == 0 {
		l.Trailing = DefaultDriftLiveTrailer
	}
	if l.Interval < MinDriftInterval {
		v.add(path+".interval", "must be at least "+MinDriftInterval.String()+", got "+l.Interval.String(), `e.g. "15m"`)
	}
	if l.Trailing < l.Window {
		v.add(path+".trailing", "must be at least the window ("+l.Window.String()+"), got "+l.Trailing.String(), `e.g. "24h"`)
	}
	if l.MinRequests < 0 {
		v.add(path+".min_requests", fmt.Sprintf("must be >= 0, got %d", l.MinRequests), "omit it for 50")
	}
	span := l.Window + l.Trailing
	if l.LiftAfter == 0 {
		l.LiftAfter = min(DefaultDriftLiveLiftAfter, span)
	}
	if l.LiftAfter < l.Window || l.LiftAfter > span {
		v.add(path+".lift_after", "must be from the window ("+l.Window.String()+") to the window and trailing together ("+span.String()+"), got "+l.LiftAfter.String(),
			"the live check reads that much traffic; omit it for "+min(DefaultDriftLiveLiftAfter, span).String())
	}
}

// resolveDrift makes relative set files relative to dir, the
// configuration file's directory.
func (c *Config) resolveDrift(dir string) {
	for i := range c.Drift.Sets {
		s := &c.Drift.Sets[i]
		if s.File == "" {
			continue
		}
		s.Path = s.File
		if !filepath.IsAbs(s.File) {
			s.Path = filepath.Join(dir, s.File)
		}
	}
}

// nonChatWhat names what a deployment that serves no chat serves.
func nonChatWhat(caps []llm.Capability) string {
	if slices.Contains(caps, llm.CapModeration) {
		return "moderations"
	}
	return "embeddings"
}
