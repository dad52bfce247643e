package openai

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/sim"
)

// The simulator writes service_tier where OpenAI does: in a completion
// after the usage, in every chunk after the model (the usage chunk too).
// It names the tier asked for, "default" for auto or none, as a project
// without Scale Tier or a priority setting is served, and "priority" for
// fast (fast mode is priority processing); Azure's answers carry none.
func TestServiceTierWritten(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	for asked, want := range map[string]string{"": "default", `"auto"`: "default", `"default"`: "default", `"flex"`: "flex", `"priority"`: "priority", `"fast"`: "priority"} {
		body := `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}]`
		if asked != "" {
			body += `,"service_tier":` + asked
		}
		status, _, got := do(t, hc, "POST", url+"/v1/chat/completions", body+`}`, bearer)
		if status != 200 || !strings.Contains(got, `},"service_tier":"`+want+`","system_fingerprint":"fp_`) {
			t.Errorf("%s: %d %s", asked, status, got)
		}
		for i, ev := range streamEvents(t, hc, url, body+`,"stream":true,"stream_options":{"include_usage":true}}`) {
			if !strings.Contains(ev, `"model":"gpt-sim","service_tier":"`+want+`","system_fingerprint":"fp_`) {
				t.Errorf("%s: chunk %d: %s", asked, i, ev)
			}
		}
	}
	status, _, got := do(t, hc, "POST", url+"/v1/chat/completions", `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}],"service_tier":"turbo"}`, bearer)
	if status != 400 || errorOf(t, got)["param"] != "service_tier" {
		t.Errorf("turbo: %d %s", status, got)
	}
}

// streamEvents posts a streamed request and returns its chunks' data,
// without [DONE].
func streamEvents(t *testing.T, hc *http.Client, url, body string) []string {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/v1/chat/completions", strings.NewReader(body))
	for k, v := range bearer {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok && data != "[DONE]" {
			out = append(out, data)
		}
	}
	if len(out) < 3 {
		t.Fatalf("%d chunks", len(out))
	}
	return out
}

// A flex_unavailable rule refuses the model's flex requests as OpenAI
// does when flex has no capacity (429, code resource_unavailable, in
// OpenAI's error shape, Retry-After when the rule sets one) and leaves
// its other requests alone, unspent; its count runs out with flex
// requests only. A directive does the same to a flex request and
// nothing to another.
func TestFlexUnavailable(t *testing.T) {
	faults := &sim.Faults{}
	url, hc := start(t, New(testCatalog(), faults))
	faults.Add(sim.Fault{Kind: sim.FaultFlexUnavailable, Model: "gpt-sim", Count: 1, RetryAfter: 7 * time.Second})
	body := func(tier, prompt string) string {
		return `{"model":"gpt-sim","messages":[{"role":"user","content":"` + prompt + `"}],"service_tier":"` + tier + `"}`
	}
	for _, tier := range []string{"default", "auto", "priority"} {
		if status, _, got := do(t, hc, "POST", url+"/v1/chat/completions", body(tier, "hi"), bearer); status != 200 {
			t.Errorf("%s: %d %s", tier, status, got)
		}
	}
	status, h, got := do(t, hc, "POST", url+"/v1/chat/completions", body("flex", "hi"), bearer)
	e := errorOf(t, got)
	if status != 429 || e["code"] != "resource_unavailable" || e["type"] != "server_error" || e["param"] != nil ||
		!strings.HasPrefix(e["message"].(string), "Resource Unavailable") || h.Get("Retry-After") != "7" {
		t.Errorf("flex: %d %v %s", status, h, got)
	}
	if status, _, got := do(t, hc, "POST", url+"/v1/chat/completions", body("flex", "hi"), bearer); status != 200 || !strings.Contains(got, `"service_tier":"flex"`) {
		t.Errorf("flex once the rule is spent: %d %s", status, got)
	}
	if status, h, got := do(t, hc, "POST", url+"/v1/chat/completions", body("flex", "[[sim:flex_unavailable]]"), bearer); status != 429 || errorOf(t, got)["code"] != "resource_unavailable" || h.Get("Retry-After") != "" {
		t.Errorf("flex directive: %d %s", status, got)
	}
	if status, _, got := do(t, hc, "POST", url+"/v1/chat/completions", body("default", "[[sim:flex_unavailable]]"), bearer); status != 200 {
		t.Errorf("default with the directive: %d %s", status, got)
	}
}

// A priority_downgrade rule serves the model's priority (and fast)
// requests on the default tier, as OpenAI does past its ramp rate limit,
// complete and streamed; other tiers neither change nor spend it.
func TestPriorityDowngrade(t *testing.T) {
	faults := &sim.Faults{}
	url, hc := start(t, New(testCatalog(), faults))
	faults.Add(sim.Fault{Kind: sim.FaultPriorityDowngrade, Model: "gpt-sim", Count: 2})
	for _, tc := range []struct{ asked, want string }{
		{"flex", "flex"}, {"default", "default"}, {"priority", "default"}, {"fast", "default"}, {"priority", "priority"},
	} {
		body := `{"model":"gpt-sim","messages":[{"role":"user","content":"hi"}],"service_tier":"` + tc.asked + `"`
		if tc.asked == "fast" {
			for i, ev := range streamEvents(t, hc, url, body+`,"stream":true}`) {
				if !strings.Contains(ev, `"service_tier":"`+tc.want+`"`) {
					t.Errorf("%s: chunk %d: %s", tc.asked, i, ev)
				}
			}
			continue
		}
		if status, _, got := do(t, hc, "POST", url+"/v1/chat/completions", body+`}`, bearer); status != 200 || !strings.Contains(got, `"service_tier":"`+tc.want+`"`) {
			t.Errorf("%s: %d %s, want tier %s", tc.asked, status, got, tc.want)
		}
	}
	if n := len(faults.List()); n != 0 {
		t.Errorf("%d rules left, want the rule spent", n)
	}
}
