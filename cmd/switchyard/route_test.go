package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRouteExplain(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"route", "explain", "--demo", "--json", "Write a Go function that checks whether a string is a palindrome."}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var plan struct {
		Route, Category string
		Confidence      float64
		Tiers           []struct{ Candidates []struct{ Deployment string } }
	}
	if err := json.Unmarshal(out.Bytes(), &plan); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if plan.Route != "auto" || plan.Category != "code" || plan.Confidence <= 0 || plan.Tiers[0].Candidates[0].Deployment != "claude-sonnet-4-5" {
		t.Errorf("plan: %s", out.String())
	}

	out.Reset()
	if code := run([]string{"route", "explain", "--demo", "--pin", "o3-mini", "--no-fallback", "hello"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"pinned:    o3-mini", "header:    x-switchyard-route: pinned=o3-mini; route=auto;", "tier 1, first-token timeout 800ms"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, out.String())
		}
	}

	errb.Reset()
	if code := run([]string{"route", "explain", "--demo", "--max-cost", "0.0000001", "hello"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "no plan: 422") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
	for _, args := range [][]string{{"route"}, {"route", "explain", "hello"}, {"route", "explain", "--demo", "--category", "poetry", "hi"}} {
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

// --service-tier prices the cost ceilings at the tier each candidate
// serves: GPT-4o (sent the tier, at OpenAI's listed priority price, 1.7
// times the standard) fits $0.015 at the standard price and not at
// priority; Claude Sonnet 4.5's priority is its committed capacity, at
// the standard price; the explanation says which tier it priced.
func TestRouteExplainServiceTier(t *testing.T) {
	args := []string{"route", "explain", "--demo", "--pin", "gpt-4o", "--max-tokens", "1000", "--max-cost", "0.015"}
	var out, errb bytes.Buffer
	if code := run(append(args, "hello"), &out, &errb); code != 0 {
		t.Fatalf("standard: exit %d: %s", code, errb.String())
	}
	if code := run(append(args, "--service-tier", "priority", "hello"), &out, &errb); code != 1 ||
		!strings.Contains(errb.String(), "estimated cost $0.01704 at the priority tier exceeds x-switchyard-max-cost-usd $0.015") {
		t.Errorf("priority: exit %d: %s", code, errb.String())
	}
	out.Reset()
	if code := run([]string{"route", "explain", "--demo", "--pin", "gpt-4o", "--max-tokens", "1000", "--service-tier", "fast", "hello"}, &out, &errb); code != 0 ||
		!strings.Contains(out.String(), "est $0.01704 priority") || !strings.Contains(out.String(), "deployment=gpt-4o; service_tier=priority;") {
		t.Errorf("fast: exit %d:\n%s", code, out.String())
	}
	out.Reset()
	if code := run([]string{"route", "explain", "--demo", "--pin", "claude-sonnet-4-5", "--max-tokens", "1000", "--service-tier", "priority", "hello"}, &out, &errb); code != 0 ||
		!strings.Contains(out.String(), "est $0.01503 priority") {
		t.Errorf("Claude priority: exit %d:\n%s", code, out.String())
	}
	if code := run([]string{"route", "explain", "--demo", "--service-tier", "turbo", "hello"}, &out, &errb); code != 2 {
		t.Errorf("unknown tier: exit %d, want 2", code)
	}
}
