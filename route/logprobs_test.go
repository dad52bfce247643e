package route

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// logprobsFixture has one deployment per provider kind that declares no
// capabilities, so the kind alone decides whether it returns logprobs, and
// reasoning models with and without logprobs declared, and an Anthropic
// one declaring it (which changes nothing).
const logprobsFixture = `
providers:
  oai: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  ant: {kind: anthropic, base_url: "http://127.0.0.1:2"}
  gem: {kind: gemini, base_url: "http://127.0.0.1:3"}
deployments:
  gpt:    {provider: oai, price: {input: 1, output: 2}}
  claude: {provider: ant, price: {input: 0.1, output: 0.2}}
  flash:  {provider: gem, price: {input: 0.5, output: 1}}
  o3:     {provider: oai, price: {input: 1, output: 4}, capabilities: [reasoning, streaming]}
  r1:     {provider: oai, price: {input: 1, output: 4}, capabilities: [reasoning, logprobs]}
  sonnet: {provider: ant, price: {input: 3, output: 15}, capabilities: [logprobs]}
  pro:    {provider: gem, price: {input: 1, output: 4}, capabilities: [reasoning]}
routes:
  mixed: {deployments: [claude, gpt, flash], strategy: ordered}
  claude-only: {deployments: [claude]}
  reasoners: {deployments: [o3, r1, sonnet, pro], strategy: ordered}
`

func TestNeedsOfLogprobs(t *testing.T) {
	req := &llm.Request{Logprobs: true, Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{llm.ImagePart("https://x/y.png", "")}}}}
	if n := NeedsOf(req); n != NeedLogprobs|NeedVision || n.String() != "vision,logprobs" {
		t.Errorf("needs %v (%s), want vision,logprobs", n, n)
	}
	if n := NeedsOf(&llm.Request{TopLogprobs: 3}); n != 0 {
		t.Errorf("needs %s without logprobs: true", n)
	}
}

// TestLogprobsCapability checks that a request for logprobs skips the
// deployments whose provider cannot return them (Anthropic), saying why,
// that a pin on one is a 400 on param logprobs, and that the same request
// without logprobs may go anywhere.
func TestLogprobsCapability(t *testing.T) {
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	logprobs := func(in *Input) { in.Features.Needs = NeedLogprobs }

	plan := mustPlan(t, p, req("mixed", llm.CategoryChat, logprobs))
	if got := order(plan); got != "gpt,flash" {
		t.Errorf("plan %s, want gpt,flash", got)
	}
	r := findRejection(plan, "claude")
	if r == nil || r.Reason != ReasonCapability || r.Capability != llm.CapLogprobs || r.By != "request" || r.Detail() != "does not return logprobs" {
		t.Errorf("claude rejection %+v", r)
	}
	if got := order(mustPlan(t, p, req("mixed", llm.CategoryChat))); got != "claude,gpt,flash" {
		t.Errorf("plan without logprobs %s, want claude,gpt,flash", got)
	}

	for _, model := range []string{"claude", "claude-only"} {
		_, err := p.Plan(req(model, llm.CategoryChat, logprobs))
		e := wantErr(t, err, llm.KindInvalidRequest, "claude does not return logprobs")
		if e.Param != "logprobs" || e.HTTPStatus() != 400 {
			t.Errorf("%s: param %q status %d", model, e.Param, e.HTTPStatus())
		}
	}
	// A pin by header within a route is a 400 too: the request, not the
	// route, rules the pinned deployment out.
	_, err = p.Plan(req("mixed", llm.CategoryChat, logprobs, func(in *Input) { in.Overrides.Model = "claude" }))
	if e := wantErr(t, err, llm.KindInvalidRequest); e.Param != "logprobs" {
		t.Errorf("pinned by header: param %q", e.Param)
	}
}

// TestLogprobsReasoning checks the reasoning rule: an OpenAI-format or
// Gemini deployment declaring reasoning is assumed not to return logprobs
// unless it declares logprobs too, and an Anthropic deployment never does,
// whatever it declares.
func TestLogprobsReasoning(t *testing.T) {
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	plan := mustPlan(t, New(cfg, Options{}), req("reasoners", llm.CategoryChat, func(in *Input) { in.Features.Needs = NeedLogprobs }))
	if got := order(plan); got != "r1" {
		t.Errorf("plan %s, want r1", got)
	}
	for _, name := range []string{"o3", "sonnet", "pro"} {
		if r := findRejection(plan, name); r == nil || r.Capability != llm.CapLogprobs {
			t.Errorf("%s rejection %+v", name, r)
		}
	}
}
