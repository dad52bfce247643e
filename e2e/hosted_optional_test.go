package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/llm"
)

// optionalHostedEdit adds the routes of the optional hosted tools' test:
// "nosearch-drop", Azure (on its deployment routes: no hosted tool) and
// Gemini 2.5 (no search beside function tools), hosted_tools
// drop_optional; "nosearch", the same without it; "search-drop", the same
// with GPT-4o mini (api auto: the Responses API for hosted tools) listed
// last.
func optionalHostedEdit(c *config.Config) {
	both := []string{"azure-gpt-4o-mini", "gemini-2.5-flash"}
	c.Routes["nosearch-drop"] = &config.Route{Name: "nosearch-drop", Deployments: both, HostedTools: config.HostedToolsDropOptional, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	c.Routes["nosearch"] = &config.Route{Name: "nosearch", Deployments: both, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	c.Routes["search-drop"] = &config.Route{Name: "search-drop", Deployments: append(both, "gpt-4o-mini"), HostedTools: config.HostedToolsDropOptional, Policy: config.Policy{Strategy: config.StrategyOrdered}}
}

// searchAndFunction asks route, with openai-go's Responses API, as the
// Codex CLI does: OpenAI's web_search beside a function tool, tool_choice
// auto, the search's sources included.
func searchAndFunction(route string) responses.ResponseNewParams {
	p := webSearchParams(route, "What is the weather in Paris today?")
	p.Tools = append(p.Tools, responses.ToolParamOfFunction("get_time", map[string]any{"type": "object", "properties": map[string]any{}}, false))
	p.ToolChoice = responses.ResponseNewParamsToolChoiceUnion{OfToolChoiceMode: openai.Opt(responses.ToolChoiceOptionsAuto)}
	return p
}

// TestHostedToolsDropOptional: an optional web_search beside a function
// tool, on a route whose deployments cannot run it, is answered by the
// first of them without the search when the route sets hosted_tools
// drop_optional — x-switchyard-route naming dropped=web_search, the
// record's plan the candidate's dropped hosted tool —, is today's 400 at
// the tool without the setting, and goes to the OpenAI deployment, which
// runs it, when the route has one; forced, it is a 400 with the setting
// too.
func TestHostedToolsDropOptional(t *testing.T) {
	t.Parallel()
	e := newEnv(t, optionalHostedEdit)
	var hr *http.Response
	resp, err := e.Client.Responses.New(ctxT(t), searchAndFunction("nosearch-drop"), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatalf("nosearch-drop: %v", err)
	}
	summary := hr.Header.Get("x-switchyard-route")
	if !strings.Contains(summary, "deployment=azure-gpt-4o-mini") || !strings.Contains(summary, "dropped=web_search") {
		t.Errorf("nosearch-drop: x-switchyard-route %q, want azure-gpt-4o-mini with dropped=web_search", summary)
	}
	for _, it := range resp.Output {
		if it.Type == "web_search_call" {
			t.Errorf("nosearch-drop: a web search ran: %s", it.RawJSON())
		}
	}
	rec := recordOf(t, e, hr.Header.Get("x-switchyard-request-id"))
	if rec.Status != http.StatusOK || rec.Plan == nil || len(rec.Plan.Tiers) == 0 || rec.Plan.Tiers[0].Candidates[0].DroppedHosted != llm.HostedWebSearch {
		t.Errorf("nosearch-drop: record %d, plan %+v", rec.Status, rec.Plan)
	}

	_, err = e.Client.Responses.New(ctxT(t), searchAndFunction("nosearch"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Param != "tools[0].type" {
		t.Errorf("nosearch: %v, want a 400 at tools[0].type", err)
	}

	forced := searchAndFunction("nosearch-drop")
	forced.Tools[0] = responses.ToolParamOfWebSearchPreview(responses.WebSearchPreviewToolTypeWebSearchPreview)
	forced.ToolChoice = responses.ResponseNewParamsToolChoiceUnion{OfHostedTool: &responses.ToolChoiceTypesParam{Type: responses.ToolChoiceTypesTypeWebSearchPreview}}
	if _, err = e.Client.Responses.New(ctxT(t), forced); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.Param != "tools[0].type" {
		t.Errorf("nosearch-drop, web search forced: %v, want a 400 at tools[0].type", err)
	}

	resp, err = e.Client.Responses.New(ctxT(t), searchAndFunction("search-drop"), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatalf("search-drop: %v", err)
	}
	if summary := hr.Header.Get("x-switchyard-route"); !strings.Contains(summary, "deployment=gpt-4o-mini") || strings.Contains(summary, "dropped=") {
		t.Errorf("search-drop: x-switchyard-route %q, want gpt-4o-mini, nothing dropped", summary)
	}
	if len(resp.Output) == 0 || resp.Output[0].Type != "web_search_call" {
		t.Errorf("search-drop: output %s, want the search first", resp.RawJSON())
	}
}
