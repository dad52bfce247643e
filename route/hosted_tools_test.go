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
	} {
		if got := NeedsOf(&tt.req).String(); got != tt.want {
			t.Errorf("%s: needs %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestHostedToolsRoutes checks that a request with hosted tools is
// planned on the OpenAI deployments that can call the Responses API (api
// responses, or chosen by the model) alone, the others (api
// chat_completions, Azure) skipped with the reason, and that a route with
// none of them answers 400 at the hosted tool's path.
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
	for _, name := range []string{"chat", "azdep", "azv1"} {
		r := findRejection(plan, name)
		if r == nil || r.Reason != ReasonHostedTools || !strings.Contains(r.Detail(), "only OpenAI deployments called on the Responses API take them") {
			t.Errorf("%s rejection %+v", name, r)
		}
	}
	for _, model := range []string{"chat", "azdep"} {
		_, err = p.Plan(req(model, llm.CategoryChat, hosted))
		e := wantErr(t, err, llm.KindInvalidRequest, "does not serve OpenAI's hosted tools")
		if e.Param != "tools[1].type" || e.HTTPStatus() != 400 {
			t.Errorf("%s: param %q status %d", model, e.Param, e.HTTPStatus())
		}
	}
}
