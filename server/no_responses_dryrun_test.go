package server

import (
	"encoding/json"
	"strings"
	"testing"
)

// A request only the Responses API serves (to a model served only there
// here) on a deployment whose host has no /responses route is refused by its attempt
// (the dispatcher passes it over); POST /v1/route says so too: alone, the
// dry run answers the attempt's 400; beside another candidate, the marked
// deployment is among the rejections (no_responses_route), not the plan.
func TestNoResponsesDryRunOfResponsesOnlyRequest(t *testing.T) {
	var host pathLog
	base := host.host(t)
	text := strings.Replace(noResponsesConfig(base, ""), "deployments:\n", "deployments:\n  codex: {provider: vllm, model: gpt-5-codex}\n", 1)
	a := startRig(t, rigOptions{text: strings.Replace(text, "routes:\n", "routes:\n  both: {deployments: [codex, gpt-4o]}\n", 1)})
	hdr := map[string]string{"Authorization": "Bearer client-env-SECRET", "Content-Type": "application/json"}
	ask := func(model string) string {
		return `{"model":"` + model + `","messages":[{"role":"user","content":"Hi"}]}`
	}
	alone := map[string]string{"x-switchyard-fallback": "none"}
	for k, v := range hdr {
		alone[k] = v
	}
	for i := range 2 { // the first learns the host has no route, the second knows it
		status, real, _ := a.send("", "POST", "/v1/chat/completions", ask("codex"), alone)
		if status != 400 || !strings.Contains(real, "no /responses route") {
			t.Fatalf("request %d itself: %d %s, want the 400 naming the route", i, status, real)
		}
	}
	status, dry, _ := a.send("", "POST", "/v1/route", ask("codex"), alone)
	if status != 400 || !strings.Contains(dry, "no /responses route") {
		t.Errorf("its dry run: %d %s, want the request's own 400", status, dry)
	}

	status, body, _ := a.send("", "POST", "/v1/route", ask("both"), hdr)
	var plan struct {
		Tiers []struct {
			Candidates []struct {
				Deployment string `json:"deployment"`
			} `json:"candidates"`
		} `json:"tiers"`
		Explanation struct {
			Rejected []struct {
				Deployment string `json:"deployment"`
				Reason     string `json:"reason"`
			} `json:"rejected"`
		} `json:"explanation"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &plan) != nil {
		t.Fatalf("dry run on the route: %d %s", status, body)
	}
	for _, tier := range plan.Tiers {
		for _, c := range tier.Candidates {
			if c.Deployment == "codex" {
				t.Errorf("codex still a candidate: %s", body)
			}
		}
	}
	if !strings.Contains(body, `"deployment":"codex","reason":"no_responses_route"`) {
		t.Errorf("codex not rejected for its host's missing route: %s", body)
	}
}
