package route

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// TestHostedToolsNeeds checks what makes a request need OpenAI's hosted
// tools: a hosted declaration, or a hosted item in its conversation.
func TestHostedToolsNeeds(t *testing.T) {
	var turn llm.Message
	turn.Role = llm.RoleAssistant
	turn.SetHosted([]llm.Block{{Raw: json.RawMessage(`{"type":"web_search_call"}`)}})
	for _, tt := range []struct {
		name string
		req  llm.Request
		want string
	}{
		{"none", llm.Request{}, ""},
		{"declared", llm.Request{OpenAIHosted: &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search"}`)}}}, "hosted_tools"},
		{"item", llm.Request{Messages: []llm.Message{turn}}, "hosted_tools"},
		{"forced web search", llm.Request{OpenAIHosted: &llm.OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search"}`)}, ToolChoice: json.RawMessage(`{"type":"web_search"}`)}}, "forced_tool,hosted_tools"},
	} {
		if got := NeedsOf(&tt.req).String(); got != tt.want {
			t.Errorf("%s: needs %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestHostedToolsRoutes checks that a request with hosted tools is
// planned on the OpenAI deployments that can call the Responses API (api
// responses, or chosen by the model) alone, the others (api
// chat_completions, Azure's deployment routes) skipped with the reason,
// and that a route with none of them answers 400 at the hosted tool's
// path. A request whose hosted tools are not known (Features.HostedTools
// 0) skips Azure's v1 deployment too, which serves some only.
func TestHostedToolsRoutes(t *testing.T) {
	cfg, err := config.Parse([]byte(responsesFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	hosted := func(in *Input) { in.Features.Needs, in.Features.HostedParam = NeedHostedTools, "tools[1].type" }
	plan := mustPlan(t, p, req("all", llm.CategoryChat, hosted))
	if got := order(plan); got != "pro,plain,forced,lp" {
		t.Errorf("plan %s, want pro,plain,forced,lp", got)
	}
	for _, name := range []string{"chat", "azdep"} {
		r := findRejection(plan, name)
		if r == nil || r.Reason != ReasonHostedTools || !strings.Contains(r.Detail(), "only OpenAI deployments called on the Responses API take them") {
			t.Errorf("%s rejection %+v", name, r)
		}
	}
	if r := findRejection(plan, "azv1"); r == nil || r.Reason != ReasonHostedTools || !strings.Contains(r.Detail(), "does not serve the hosted tools computer, prompt/context_management") {
		t.Errorf("azv1 rejection %+v", r)
	}
	for _, model := range []string{"chat", "azdep"} {
		_, err = p.Plan(req(model, llm.CategoryChat, hosted))
		e := wantErr(t, err, llm.KindInvalidRequest, "does not serve OpenAI's hosted tools")
		if e.Param != "tools[1].type" || e.HTTPStatus() != 400 {
			t.Errorf("%s: param %q status %d", model, e.Param, e.HTTPStatus())
		}
	}
}

// TestHostedToolsAzure checks that an Azure deployment on the v1 API
// (api chosen by its model) takes a request whose hosted tools Azure
// serves (web search, file search, code interpreter, image generation,
// MCP, tool search, computer-use-preview) and skips one asking for any
// other (the computer tool, a stored prompt), naming it; pinned alone,
// the 400 says why. Azure's deployment routes take none.
func TestHostedToolsAzure(t *testing.T) {
	cfg, err := config.Parse([]byte(responsesFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	asks := func(k llm.HostedKinds) func(*Input) {
		return func(in *Input) {
			in.Features.Needs, in.Features.HostedParam, in.Features.HostedTools = NeedHostedTools, "tools[0].type", k
		}
	}
	for _, k := range []llm.HostedKinds{llm.HostedWebSearch, llm.HostedFileSearch | llm.HostedCodeInterpreter, llm.HostedImageGeneration | llm.HostedMCP | llm.HostedToolSearch, llm.HostedComputerPreview} {
		plan := mustPlan(t, p, req("all", llm.CategoryChat, asks(k)))
		if got := order(plan); got != "pro,plain,forced,azv1,lp" {
			t.Errorf("%s: plan %s, want pro,plain,forced,azv1,lp", k, got)
		}
		if r := findRejection(plan, "azdep"); r == nil || r.Reason != ReasonHostedTools {
			t.Errorf("%s: azdep rejection %+v", k, r)
		}
	}
	for _, tt := range []struct {
		asks llm.HostedKinds
		note string
	}{
		{llm.HostedWebSearch | llm.HostedComputer, "computer"},
		{llm.HostedOpenAIOnly, "prompt/context_management"},
	} {
		plan := mustPlan(t, p, req("all", llm.CategoryChat, asks(tt.asks)))
		r := findRejection(plan, "azv1")
		if r == nil || r.Reason != ReasonHostedTools || r.Note != tt.note || !strings.Contains(r.Detail(), "Azure OpenAI deployments on the v1 Responses API serve web_search, file_search") {
			t.Errorf("%s: azv1 rejection %+v", tt.asks, r)
		}
		_, err := p.Plan(req("azv1", llm.CategoryChat, asks(tt.asks)))
		e := wantErr(t, err, llm.KindInvalidRequest, "does not serve the hosted tools "+tt.note+" the request asks for")
		if e.Param != "tools[0].type" || e.HTTPStatus() != 400 {
			t.Errorf("%s: param %q status %d", tt.asks, e.Param, e.HTTPStatus())
		}
	}
}

// TestHostedToolsClaude checks that a Claude deployment takes a request
// whose hosted tool is web search alone (it runs as Claude's web search
// tool) and is skipped for any other, naming those it does not serve.
func TestHostedToolsClaude(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oa: {kind: openai, api_key: k}
  an: {kind: anthropic, api_key: k}
deployments:
  gpt:    {provider: oa, model: gpt-5.5, capabilities: [tools, streaming]}
  claude: {provider: an, model: claude-sonnet-4-5, capabilities: [tools, streaming]}
routes:
  both: {deployments: [claude, gpt]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	asks := func(k llm.HostedKinds) func(*Input) {
		return func(in *Input) {
			in.Features.Needs, in.Features.HostedParam, in.Features.HostedTools = NeedHostedTools, "tools[0].type", k
		}
	}
	if got := order(mustPlan(t, p, req("both", llm.CategoryChat, asks(llm.HostedWebSearch)))); got != "claude,gpt" {
		t.Errorf("web search: plan %s, want claude,gpt", got)
	}
	plan := mustPlan(t, p, req("both", llm.CategoryChat, asks(llm.HostedWebSearch|llm.HostedFileSearch)))
	if r := findRejection(plan, "claude"); r == nil || r.Reason != ReasonHostedTools || r.Note != "file_search" || !strings.Contains(r.Detail(), "Claude deployments web_search") {
		t.Errorf("file search: claude rejection %+v", r)
	}
}

// TestHostedToolsGemini checks that a Gemini deployment takes a request
// whose hosted tool is web search alone (it runs as Grounding with
// Google Search) and is skipped for any other.
func TestHostedToolsGemini(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oa: {kind: openai, api_key: k}
  gm: {kind: gemini, api_key: k}
deployments:
  gpt:    {provider: oa, model: gpt-5.5, capabilities: [tools, streaming]}
  gemini: {provider: gm, model: gemini-2.5-flash, capabilities: [tools, streaming]}
routes:
  both: {deployments: [gemini, gpt]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	asks := func(k llm.HostedKinds) func(*Input) {
		return func(in *Input) {
			in.Features.Needs, in.Features.HostedParam, in.Features.HostedTools = NeedHostedTools, "tools[0].type", k
		}
	}
	if got := order(mustPlan(t, p, req("both", llm.CategoryChat, asks(llm.HostedWebSearch)))); got != "gemini,gpt" {
		t.Errorf("web search: plan %s, want gemini,gpt", got)
	}
	plan := mustPlan(t, p, req("both", llm.CategoryChat, asks(llm.HostedWebSearch|llm.HostedCodeInterpreter)))
	if r := findRejection(plan, "gemini"); r == nil || r.Reason != ReasonHostedTools || r.Note != "code_interpreter" || !strings.Contains(r.Detail(), "Gemini deployments web_search") {
		t.Errorf("code interpreter: gemini rejection %+v", r)
	}
	// The request's function tools (NeedTools), not the classifier's
	// HasTools (a custom classifier's Features may leave it false), say
	// whether Gemini 2.5 searches.
	withTools := func(in *Input) {
		in.Features.Needs, in.Features.HostedParam, in.Features.HostedTools = NeedHostedTools|NeedTools, "tools[1].type", llm.HostedWebSearch
	}
	if got := order(mustPlan(t, p, req("both", llm.CategoryChat, withTools))); got != "gpt" {
		t.Errorf("web search beside function tools, HasTools unset: plan %s, want gpt (Gemini 2.5 passed over)", got)
	}
}

// TestHostedToolsClaudeModel checks that a route passes over for
// OpenAI's web search a Claude deployment whose model has no web search
// tool (Claude 3 Haiku, the first 3.5 Sonnet; anthropic.HasWebSearch),
// naming the model, and that one named directly is a 400 at the hosted
// tool's path; a model the table does not know is taken to have it.
func TestHostedToolsClaudeModel(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oa: {kind: openai, api_key: k}
  an: {kind: anthropic, api_key: k}
deployments:
  gpt:    {provider: oa, model: gpt-5.5, capabilities: [tools, streaming]}
  haiku3: {provider: an, model: claude-3-haiku-20240307, capabilities: [tools, streaming]}
  sonnet35: {provider: an, model: claude-3-5-sonnet-20240620, capabilities: [tools, streaming]}
  haiku35: {provider: an, model: claude-3-5-haiku-20241022, capabilities: [tools, streaming]}
  next:   {provider: an, model: claude-nova-1, capabilities: [tools, streaming]}
routes:
  all: {deployments: [haiku3, sonnet35, haiku35, next, gpt]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	web := func(in *Input) {
		in.Features.Needs, in.Features.HostedParam, in.Features.HostedTools = NeedHostedTools, "tools[0].type", llm.HostedWebSearch
	}
	plan := mustPlan(t, p, req("all", llm.CategoryChat, web))
	if got := order(plan); got != "haiku35,next,gpt" {
		t.Errorf("plan %s, want haiku35,next,gpt", got)
	}
	for dep, model := range map[string]string{"haiku3": "claude-3-haiku-20240307", "sonnet35": "claude-3-5-sonnet-20240620"} {
		r := findRejection(plan, dep)
		if r == nil || r.Reason != ReasonWebSearchModel || r.Note != model || !strings.Contains(r.Detail(), "serves model "+model+", which has no web search tool") {
			t.Errorf("%s rejection %+v", dep, r)
		}
		_, err = p.Plan(req(dep, llm.CategoryChat, web))
		e := wantErr(t, err, llm.KindInvalidRequest, "deployment "+dep+" serves model "+model+", which has no web search tool")
		if e.Param != "tools[0].type" || e.HTTPStatus() != 400 {
			t.Errorf("%s: param %q status %d", dep, e.Param, e.HTTPStatus())
		}
	}
	if got := order(mustPlan(t, p, req("all", llm.CategoryChat))); got != "haiku3,sonnet35,haiku35,next,gpt" {
		t.Errorf("without web search: plan %s", got)
	}
}
