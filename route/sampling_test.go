package route

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// samplingFixture has OpenAI reasoning models that take stop (o3-mini)
// and that do not (o3, on Azure too), GPT-5.1 (which takes both at
// effort none) and models that take everything.
const samplingFixture = `
providers:
  oai: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  az:  {kind: azure, base_url: "http://127.0.0.1:4/openai/v1"}
  ant: {kind: anthropic, base_url: "http://127.0.0.1:2"}
  gem: {kind: gemini, base_url: "http://127.0.0.1:3"}
deployments:
  mini:   {provider: oai, model: o3-mini, price: {input: 1, output: 4}}
  o3:     {provider: oai, price: {input: 2, output: 8}}
  az-o3:  {provider: az, model: o3, price: {input: 2, output: 8}}
  gpt51:  {provider: oai, model: gpt-5.1, price: {input: 1.25, output: 10}}
  gpt:    {provider: oai, model: gpt-4o, price: {input: 2.5, output: 10}}
  claude: {provider: ant, price: {input: 3, output: 15}}
  flash:  {provider: gem, price: {input: 0.3, output: 2.5}}
routes:
  all: {deployments: [mini, o3, az-o3, gpt51, gpt, claude, flash], strategy: ordered}
`

// TestRefusedParams checks that stop and logprobs skip the OpenAI
// deployments whose model refuses them (saying which model and why), by
// model id whatever the deployment declares (an undeclared o3 too), that
// GPT-5.1 takes them at effort none but not at another effort, and that a
// pin on such a deployment is the router's 400 on the parameter.
func TestRefusedParams(t *testing.T) {
	cfg, err := config.Parse([]byte(samplingFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	stop := func(in *Input) { in.Features.StopSequences = 1 }
	logprobs := func(in *Input) { in.Features.Needs = NeedLogprobs }
	effort := func(e llm.Effort) func(*Input) { return func(in *Input) { in.Features.Effort = e } }
	for _, tt := range []struct {
		name string
		edit []func(*Input)
		want string
	}{
		{"plain", nil, "mini,o3,az-o3,gpt51,gpt,claude,flash"},
		{"stop", []func(*Input){stop}, "mini,gpt51,gpt,claude,flash"},
		{"stop high", []func(*Input){stop, effort(llm.EffortHigh)}, "mini,gpt,claude,flash"},
		{"stop none", []func(*Input){stop, effort(llm.EffortNone)}, "mini,gpt51,gpt,claude,flash"},
		{"logprobs", []func(*Input){logprobs}, "gpt51,gpt,flash"},
		{"logprobs low", []func(*Input){logprobs, effort(llm.EffortLow)}, "gpt,flash"},
	} {
		if got := order(mustPlan(t, p, req("all", llm.CategoryChat, tt.edit...))); got != tt.want {
			t.Errorf("%s: plan %s, want %s", tt.name, got, tt.want)
		}
	}
	plan := mustPlan(t, p, req("all", llm.CategoryChat, stop))
	r := findRejection(plan, "az-o3")
	if r == nil || r.Reason != ReasonParam || r.Param != "stop" || r.By != "request" || r.Detail() != "serves model o3, which does not take 'stop' (OpenAI refuses it)" {
		t.Errorf("az-o3 rejection %+v", r)
	}
	if r := findRejection(mustPlan(t, p, req("all", llm.CategoryChat, logprobs)), "o3"); r == nil || r.Reason != ReasonParam || r.Param != "logprobs" {
		t.Errorf("undeclared o3 with logprobs: rejection %+v", r)
	}
	for _, tt := range []struct {
		model, param string
		edit         func(*Input)
	}{{"o3", "stop", stop}, {"az-o3", "stop", stop}, {"mini", "logprobs", logprobs}, {"o3", "logprobs", logprobs}} {
		_, err := p.Plan(req(tt.model, llm.CategoryChat, tt.edit))
		e := wantErr(t, err, llm.KindInvalidRequest, "which does not take '"+tt.param+"'")
		if e.Param != tt.param || e.Code != "unsupported_parameter" || e.HTTPStatus() != 400 {
			t.Errorf("%s pinned with %s: param %q code %q status %d", tt.model, tt.param, e.Param, e.Code, e.HTTPStatus())
		}
	}
	if _, err := p.Plan(req("mini", llm.CategoryChat, stop)); err != nil {
		t.Errorf("o3-mini takes stop: %v", err)
	}
}
