package gateway

import (
	"slices"
	"testing"
	"time"

	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/route"
)

// clampedMaxTokens is nil when no candidate's max_tokens was lowered, and
// probeFirst moves a probed target's lowered max_tokens with it.
func TestClampedMaxTokens(t *testing.T) {
	if got := clampedMaxTokens([]route.Candidate{{}, {}}); got != nil {
		t.Errorf("none lowered: %v", got)
	}
	if got := clampedMaxTokens([]route.Candidate{{}, {MaxTokens: 8192}}); !slices.Equal(got, []int{0, 8192}) {
		t.Errorf("one lowered: %v", got)
	}
	tgt := func(name string) *dispatch.Target { return &dispatch.Target{Deployment: llm.Deployment{Name: name}} }
	for _, tc := range []struct {
		name       string
		tiers      []dispatch.Tier
		wantFirst  []int
		wantSecond []int
	}{
		{"from tier 2", []dispatch.Tier{{Targets: []*dispatch.Target{tgt("a")}}, {Targets: []*dispatch.Target{tgt("x"), tgt("p")}, MaxTokens: []int{0, 8192}}}, []int{8192, 0}, []int{0}},
		{"into a lowered tier", []dispatch.Tier{{Targets: []*dispatch.Target{tgt("a")}, MaxTokens: []int{4096}}, {Targets: []*dispatch.Target{tgt("p")}}}, []int{0, 4096}, nil},
		{"within tier 1", []dispatch.Tier{{Targets: []*dispatch.Target{tgt("a"), tgt("p")}, MaxTokens: []int{4096, 8192}}}, []int{8192, 4096}, nil},
		{"none lowered", []dispatch.Tier{{Targets: []*dispatch.Target{tgt("a")}}, {Targets: []*dispatch.Target{tgt("p")}}}, nil, nil},
	} {
		dp := &dispatch.Plan{Tiers: tc.tiers, LatencyProbe: "p"}
		probeFirst(dp)
		if dp.Tiers[0].Targets[0].Deployment.Name != "p" || !slices.Equal(dp.Tiers[0].MaxTokens, tc.wantFirst) {
			t.Errorf("%s: first tier %v", tc.name, dp.Tiers[0].MaxTokens)
		}
		if len(dp.Tiers) > 1 && !slices.Equal(dp.Tiers[1].MaxTokens, tc.wantSecond) {
			t.Errorf("%s: second tier %v", tc.name, dp.Tiers[1].MaxTokens)
		}
	}
}

// A hard budget holds a candidate's lowered max_tokens, a learned limit
// below its declared one, not the request's.
func TestPlanEstimateLoweredMaxTokens(t *testing.T) {
	plan := &route.Plan{
		Tiers:       []route.Tier{{Candidates: []route.Candidate{{Deployment: &route.Deployment{Deployment: llm.Deployment{Name: "d", MaxOutputTokens: 64000}}, MaxTokens: 8192}}}},
		Explanation: route.Explanation{Features: route.Features{PromptTokens: 100}, Limits: route.Limits{ExpectedOutputTokens: 32000}},
	}
	if got := planEstimate(plan, nil).Tokens; got != 8292 {
		t.Errorf("tokens %d, want 8292", got)
	}
}

// probeFirst moves a probed target's first-token timeout with it: its
// own, else its tier's where that differs from the first tier's.
func TestProbeFirstKeepsTTFT(t *testing.T) {
	tgt := func(name string) *dispatch.Target { return &dispatch.Target{Deployment: llm.Deployment{Name: name}} }
	s := time.Second
	for _, tc := range []struct {
		name      string
		tiers     []dispatch.Tier
		wantFirst []time.Duration
	}{
		{"its own", []dispatch.Tier{{Targets: []*dispatch.Target{tgt("a")}, TTFTTimeout: s}, {Targets: []*dispatch.Target{tgt("x"), tgt("p")}, TTFTTimeout: 3 * s, TTFTTimeouts: []time.Duration{0, 5 * s}}}, []time.Duration{5 * s, 0}},
		{"its tier's", []dispatch.Tier{{Targets: []*dispatch.Target{tgt("a")}, TTFTTimeout: s}, {Targets: []*dispatch.Target{tgt("p")}, TTFTTimeout: 3 * s}}, []time.Duration{3 * s, 0}},
		{"its tier's none", []dispatch.Tier{{Targets: []*dispatch.Target{tgt("a")}, TTFTTimeout: s}, {Targets: []*dispatch.Target{tgt("p")}}}, []time.Duration{-1, 0}},
		{"the same as the first tier's", []dispatch.Tier{{Targets: []*dispatch.Target{tgt("a")}, TTFTTimeout: s}, {Targets: []*dispatch.Target{tgt("p")}, TTFTTimeout: s}}, nil},
		{"within tier 1", []dispatch.Tier{{Targets: []*dispatch.Target{tgt("a"), tgt("p")}, TTFTTimeouts: []time.Duration{2 * s, 4 * s}}}, []time.Duration{4 * s, 2 * s}},
	} {
		dp := &dispatch.Plan{Tiers: tc.tiers, LatencyProbe: "p"}
		probeFirst(dp)
		if dp.Tiers[0].Targets[0].Deployment.Name != "p" || !slices.Equal(dp.Tiers[0].TTFTTimeouts, tc.wantFirst) {
			t.Errorf("%s: first tier %v, want %v", tc.name, dp.Tiers[0].TTFTTimeouts, tc.wantFirst)
		}
	}
}
