package route

import (
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

const forcedFixture = `
providers:
  oai: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  ant: {kind: anthropic, base_url: "http://127.0.0.1:2"}
deployments:
  opus55:   {provider: ant, model: claude-opus-5-5, price: {input: 4, output: 20}}
  fable52:  {provider: ant, model: claude-fable-5-2, price: {input: 8, output: 40}}
  sonnet45: {provider: ant, model: claude-sonnet-4-5, price: {input: 3, output: 15}}
  gpt:      {provider: oai, model: gpt-4o, price: {input: 2.5, output: 10}}
routes:
  mixed: {deployments: [opus55, sonnet45, gpt], strategy: ordered}
  refusers: {deployments: [opus55, fable52], strategy: ordered}
`

func TestNeedsOfForcedTool(t *testing.T) {
	tools := []llm.Tool{{Type: "function", Name: "f"}}
	for _, c := range []struct {
		req  llm.Request
		want string
	}{
		{llm.Request{Tools: tools, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}}, "tools,forced_tool"},
		{llm.Request{Tools: tools, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "f"}}, "tools,forced_tool"},
		{llm.Request{Tools: tools, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceAuto}}, "tools"},
		{llm.Request{ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}}, ""},
	} {
		if got := NeedsOf(&c.req).String(); got != c.want {
			t.Errorf("%+v: needs %q, want %q", c.req.ToolChoice, got, c.want)
		}
	}
}

// TestForcedToolRoutes: a forced tool choice skips the Claude models that
// refuse it, saying why, when another candidate can force the call; when
// none can, they serve it (their adapter asks for the call instead); a
// pin is kept.
func TestForcedToolRoutes(t *testing.T) {
	cfg, err := config.Parse([]byte(forcedFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	forced := func(in *Input) { in.Features.Needs = NeedTools | NeedForcedTool }
	plan := mustPlan(t, p, req("mixed", llm.CategoryChat, forced))
	if got := order(plan); got != "sonnet45,gpt" {
		t.Errorf("forced: plan %s, want sonnet45,gpt", got)
	}
	r := findRejection(plan, "opus55")
	if r == nil || r.Reason != ReasonForcedTool || r.Note != "claude-opus-5-5" || !strings.Contains(r.Detail(), "refuses a forced tool choice") {
		t.Errorf("opus55 rejection %+v", r)
	}
	if got := order(mustPlan(t, p, req("mixed", llm.CategoryChat, func(in *Input) { in.Features.Needs = NeedTools }))); got != "opus55,sonnet45,gpt" {
		t.Errorf("not forced: plan %s", got)
	}
	if got := order(mustPlan(t, p, req("refusers", llm.CategoryChat, forced))); got != "opus55,fable52" {
		t.Errorf("none can force: plan %s, want both", got)
	}
	if got := order(mustPlan(t, p, req("opus55", llm.CategoryChat, forced))); !strings.HasPrefix(got, "opus55") {
		t.Errorf("named: plan %s, want opus55 first", got)
	}
}
