package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const driftBase = `providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  a: {provider: p}
  b: {provider: p}
  emb: {provider: p, capabilities: [embeddings]}
  mod: {provider: p, model: omni-moderation-latest, capabilities: [moderation, vision]}
`

func TestDrift(t *testing.T) {
	c := mustParse(t, []byte(driftBase+`drift:
  action: demote
  daily_cap_usd: 2.5
  webhook: {url: "https://hooks.example.com/x?token=${HOOK_TOKEN}", headers: {Authorization: Bearer tok}}
  baseline_runs: 4
  alpha: 0.01
  looks: 20
  window: 2
  concurrency: 8
  sets:
    - {name: starter, interval: 6h, prompts: 40}
    - {name: mine, file: golden/mine.yaml, deployments: [b], interval: 1h, jitter: 5m}
  live: {interval: 15m, min_requests: 80}
`), env(map[string]string{"HOOK_TOKEN": "t0k"}))
	d := c.Drift
	if d.Action != DriftDemote || d.DailyCapUSD != 2.5 || d.BaselineRuns != 4 || d.Alpha != 0.01 || d.Looks != 20 || d.Window != 2 || d.Concurrency != 8 {
		t.Errorf("drift %+v", d)
	}
	if d.Webhook.URL != "https://hooks.example.com/x?token=t0k" || d.Webhook.Headers["Authorization"] != "Bearer tok" {
		t.Errorf("webhook %+v", d.Webhook)
	}
	want := []DriftSet{
		{Name: "starter", Interval: 6 * time.Hour, Jitter: 36 * time.Minute, Prompts: 40},
		{Name: "mine", File: "golden/mine.yaml", Deployments: []string{"b"}, Interval: time.Hour, Jitter: 5 * time.Minute},
	}
	if !reflect.DeepEqual(d.Sets, want) {
		t.Errorf("sets %+v, want %+v", d.Sets, want)
	}
	if got := c.DriftDeployments(&d.Sets[0], nil); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("every chat deployment: %v", got)
	}
	if d.Live != (DriftLive{Interval: 15 * time.Minute, Window: time.Hour, Trailing: 24 * time.Hour, MinRequests: 80, Action: DriftAlert, LiftAfter: 6 * time.Hour}) ||
		!d.Enabled() || d.Live.ProbeShare() != DefaultDriftLiveProbe || d.Live.Demotes() {
		t.Errorf("live %+v", d.Live)
	}
	l := mustParse(t, []byte(driftBase+"store: {driver: sqlite}\ndrift: {live: {interval: 5m, window: 30m, trailing: 2h, action: demote, probe: 0}}\n"), nil).Drift.Live
	if l.Action != DriftDemote || !l.Demotes() || l.LiftAfter != 150*time.Minute || l.Probe == nil || l.ProbeShare() != 0 {
		t.Errorf("live demotion %+v", l)
	}
	if off := mustParse(t, []byte(driftBase), nil).Drift; off.Enabled() || off.Action != DriftAlert {
		t.Errorf("no drift section: %+v", off)
	}
}

func TestDriftSetFileIsRelativeToTheConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "switchyard.yaml")
	yaml := driftBase + "drift: {daily_cap_usd: 1, sets: [{name: mine, file: golden.yaml, interval: 1h}, {name: abs, file: /etc/g.yaml, interval: 1h}]}\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Drift.Sets[0].Path != filepath.Join(dir, "golden.yaml") || c.Drift.Sets[1].Path != "/etc/g.yaml" {
		t.Errorf("paths %q %q", c.Drift.Sets[0].Path, c.Drift.Sets[1].Path)
	}
}

func TestDriftMistakes(t *testing.T) {
	tests := []struct {
		name, yaml    string
		path, problem string
	}{
		{"no cap", "drift: {sets: [{name: starter, interval: 1h}]}\n", "drift.daily_cap_usd", "must be > 0 when sets are configured"},
		{"unknown action", "drift: {action: page}\n", "drift.action", `unknown action "page"`},
		{"no interval", "drift: {daily_cap_usd: 1, sets: [{name: starter}]}\n", "drift.sets[0].interval", "must be at least 1m0s"},
		{"zero interval", "drift: {daily_cap_usd: 1, sets: [{name: starter, interval: 0s}]}\n", "drift.sets[0].interval", "must be > 0"},
		{"jitter too big", "drift: {daily_cap_usd: 1, sets: [{name: starter, interval: 1h, jitter: 2h}]}\n", "drift.sets[0].jitter", "less than the interval"},
		{"file needed", "drift: {daily_cap_usd: 1, sets: [{name: mine, interval: 1h}]}\n", "drift.sets[0].file", "is required for a set other than starter"},
		{"twice", "drift: {daily_cap_usd: 1, sets: [{name: starter, interval: 1h}, {name: starter, interval: 2h}]}\n", "drift.sets[1].name", "configured twice"},
		{"unknown deployment", "drift: {daily_cap_usd: 1, sets: [{name: starter, interval: 1h, deployments: [zz]}]}\n", "drift.sets[0].deployments[0]", `deployment "zz" is not configured`},
		{"embeddings", "drift: {daily_cap_usd: 1, sets: [{name: starter, interval: 1h, deployments: [emb]}]}\n", "drift.sets[0].deployments[0]", "serves embeddings only"},
		{"moderation", "drift: {daily_cap_usd: 1, sets: [{name: starter, interval: 1h, deployments: [a, mod]}]}\n", "drift.sets[0].deployments[1]", "serves moderations only"},
		{"alpha", "drift: {alpha: 0.7}\n", "drift.alpha", "must be > 0 and < 0.5"},
		{"looks", "drift: {looks: -1}\n", "drift.looks", "must be from 0 to 10000"},
		{"live fields without interval", "drift: {live: {window: 2h}}\n", "drift.live.interval", "is required when other live fields are set"},
		{"live trailing short", "drift: {live: {interval: 10m, window: 2h, trailing: 1h}}\n", "drift.live.trailing", "must be at least the window"},
		{"live action", "drift: {live: {interval: 10m, action: page}}\n", "drift.live.action", `unknown action "page"`},
		{"live action without interval", "drift: {live: {action: demote}}\n", "drift.live.interval", "is required when other live fields are set"},
		{"live probe", "drift: {live: {interval: 10m, probe: 1.5}}\n", "drift.live.probe", "must be from 0 to 1"},
		{"live lift short", "drift: {live: {interval: 10m, lift_after: 10m}}\n", "drift.live.lift_after", "must be from the window (1h0m0s)"},
		{"live lift long", "drift: {live: {interval: 10m, lift_after: 26h}}\n", "drift.live.lift_after", "(25h0m0s)"},
		{"webhook scheme", "drift: {webhook: {url: \"ftp://hooks.example.com/secret-path\"}}\n", "drift.webhook.url", "is not an absolute http(s) URL"},
		{"webhook headers only", "drift: {webhook: {headers: {X: y}}}\n", "drift.webhook.url", "is required when webhook headers are set"},
		{"unknown field", "drift: {sets: [{name: starter, interval: 1h, every: 2h}], daily_cap_usd: 1}\n", "drift.sets[0]", `unknown field "every"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(driftBase+tt.yaml), nil)
			findError(t, err, tt.path, tt.problem)
			if err != nil && strings.Contains(err.Error(), "secret-path") {
				t.Errorf("the webhook URL shows in %v", err)
			}
		})
	}
}

// A running router's drift section changes in place: no restart needed.
func TestDriftChangesWithoutRestart(t *testing.T) {
	running := mustParse(t, []byte(driftBase+"drift: {daily_cap_usd: 1, sets: [{name: starter, interval: 1h}]}\n"), nil)
	next := mustParse(t, []byte(driftBase+"drift: {daily_cap_usd: 2, action: demote, sets: [{name: starter, interval: 2h}]}\n"), nil)
	if err := next.CheckReload(running); err != nil {
		t.Errorf("CheckReload = %v", err)
	}
}
