package route

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

const jsonToolsFixture = `
providers:
  oai: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  gem: {kind: gemini, base_url: "http://127.0.0.1:3"}
deployments:
  flash25: {provider: gem, model: gemini-2.5-flash, capabilities: [tools, json_schema], price: {input: 0.3, output: 2.5}}
  flash3:  {provider: gem, model: gemini-3-flash-preview, capabilities: [tools, json_schema], price: {input: 0.5, output: 3}}
  gpt:     {provider: oai, model: gpt-4o, capabilities: [tools, json_schema], price: {input: 2.5, output: 10}}
routes:
  all: {deployments: [flash25, flash3, gpt], strategy: ordered}
`

// TestJSONWithToolsSkipsGemini2: Gemini before 3 refuses a JSON answer
// beside tools it may call ("Function calling with a response mime type:
// 'application/json' is unsupported"), so a route skips it for such a
// request, saying why, and a pin on it is the router's 400 on
// response_format. With tool_choice none, or without tools, it serves.
func TestJSONWithToolsSkipsGemini2(t *testing.T) {
	cfg, err := config.Parse([]byte(jsonToolsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	tools := []llm.Tool{{Type: "function", Name: "f", Parameters: []byte(`{"type":"object"}`)}}
	schema := &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "s", Schema: []byte(`{"type":"object"}`)}
	needs := func(r *llm.Request) func(*Input) { return func(in *Input) { in.Features.Needs = NeedsOf(r) } }
	both := needs(&llm.Request{Tools: tools, ResponseFormat: schema})
	for _, tt := range []struct {
		name string
		edit func(*Input)
		want string
	}{
		{"tools and a schema", both, "flash3,gpt"},
		{"tools and json_object", needs(&llm.Request{Tools: tools, ResponseFormat: &llm.ResponseFormat{Type: llm.FormatJSONObject}}), "flash3,gpt"},
		{"tools forced and a schema", needs(&llm.Request{Tools: tools, ResponseFormat: schema, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}}), "flash3,gpt"},
		{"tool_choice none and a schema", needs(&llm.Request{Tools: tools, ResponseFormat: schema, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceNone}}), "flash25,flash3,gpt"},
		{"a schema alone", needs(&llm.Request{ResponseFormat: schema}), "flash25,flash3,gpt"},
		{"tools alone", needs(&llm.Request{Tools: tools}), "flash25,flash3,gpt"},
	} {
		if got := order(mustPlan(t, p, req("all", llm.CategoryChat, tt.edit))); got != tt.want {
			t.Errorf("%s: plan %s, want %s", tt.name, got, tt.want)
		}
	}
	r := findRejection(mustPlan(t, p, req("all", llm.CategoryChat, both)), "flash25")
	if r == nil || r.Reason != ReasonParam || r.Param != "response_format" ||
		r.Detail() != "serves model gemini-2.5-flash, which does not take 'response_format' beside tools it may call (Gemini before 3 refuses the pair)" {
		t.Errorf("flash25 rejection %+v", r)
	}
	_, err = p.Plan(req("flash25", llm.CategoryChat, both))
	e := wantErr(t, err, llm.KindInvalidRequest, "which does not take 'response_format'")
	if e.Param != "response_format" || e.Code != "unsupported_parameter" || e.HTTPStatus() != 400 {
		t.Errorf("pinned: param %q code %q status %d", e.Param, e.Code, e.HTTPStatus())
	}
}
