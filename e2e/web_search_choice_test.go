package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
)

// forcedWebSearch is a Responses request forcing the web search
// (tool_choice {"type":"web_search_preview"}).
func forcedWebSearch(model string) responses.ResponseNewParams {
	params := webSearchParams(model, "What is new in Paris today?")
	params.ToolChoice = responses.ResponseNewParamsToolChoiceUnion{OfHostedTool: &responses.ToolChoiceTypesParam{Type: responses.ToolChoiceTypesTypeWebSearchPreview}}
	return params
}

// A Responses tool_choice forcing the web search reaches Claude as the
// choice of its web_search tool ({"type":"tool","name":"web_search"}),
// and the search runs. On Claude Opus 5.5, which refuses forced tool
// use, the call is asked for instead (auto) and tool_choice named
// dropped; a route prefers a deployment that can force it.
func TestClaudeWebSearchForced(t *testing.T) {
	t.Parallel()
	e, tp := newClaude5Env(t)
	resp, err := e.Client.Responses.New(ctxT(t), forcedWebSearch("claude-sonnet-4-5"))
	if err != nil {
		t.Fatal(err)
	}
	checkClaudeSearch(t, "forced", resp.Output)
	if got := string(tp.lastBody(t, "/v1/messages")["tool_choice"]); got != `{"type":"tool","name":"web_search"}` {
		t.Errorf("sent tool_choice %s", got)
	}
	var hr *http.Response
	if _, err := e.Client.Responses.New(ctxT(t), forcedWebSearch("claude-opus-5-5"), option.WithResponseInto(&hr)); err != nil {
		t.Fatal(err)
	}
	body := tp.lastBody(t, "/v1/messages")
	if string(body["tool_choice"]) != `{"type":"auto"}` || !strings.Contains(string(body["system"]), "`web_search` tool") {
		t.Errorf("Opus 5.5: sent tool_choice %s, system %s", body["tool_choice"], body["system"])
	}
	if r := hr.Header.Get("x-switchyard-route"); !strings.Contains(r, "tool_choice") {
		t.Errorf("Opus 5.5: x-switchyard-route %q does not name tool_choice dropped", r)
	}
	if _, err := e.Client.Responses.New(ctxT(t), forcedWebSearch("agents"), option.WithResponseInto(&hr)); err != nil {
		t.Fatal(err)
	}
	if got := hr.Header.Get("x-switchyard-deployment"); got != "claude-sonnet-4-5" {
		t.Errorf("route: served by %q, want claude-sonnet-4-5, which can force the search", got)
	}
}

// An allowed_tools choice naming the web search keeps Claude's web search
// tool among the tools sent (the allowed ones alone), beside the allowed
// function; a function it does not name is left out.
func TestClaudeWebSearchAllowedTools(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	params := webSearchParams("claude-haiku-4-5", "What is new in Paris today?")
	params.Tools = append(params.Tools, responses.ToolParamOfFunction("lookup", map[string]any{"type": "object"}, false),
		responses.ToolParamOfFunction("other", map[string]any{"type": "object"}, false))
	params.ToolChoice = responses.ResponseNewParamsToolChoiceUnion{OfAllowedTools: &responses.ToolChoiceAllowedParam{Mode: responses.ToolChoiceAllowedModeAuto,
		Tools: []map[string]any{{"type": "function", "name": "lookup"}, {"type": "web_search"}}}}
	if _, err := e.Client.Responses.New(ctxT(t), params); err != nil {
		t.Fatal(err)
	}
	var tools []struct{ Name string }
	if err := json.Unmarshal(tp.lastBody(t, "/v1/messages")["tools"], &tools); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tools {
		names = append(names, tool.Name)
	}
	if got := strings.Join(names, ","); got != "lookup,web_search" {
		t.Errorf("sent tools %s, want lookup and web_search", got)
	}
}

// Gemini has no forcing of googleSearch: a Responses tool_choice forcing
// the web search reaches a Gemini deployment as googleSearch alone, the
// forcing named dropped (dropped=tool_choice); Gemini decides whether to
// search.
func TestGeminiWebSearchForced(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	var hr *http.Response
	resp, err := e.Client.Responses.New(ctxT(t), forcedWebSearch("gemini-2.5-flash"), option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	checkGeminiSearch(t, "forced", resp.Output)
	body := tp.lastBody(t, ":")
	if string(body["tools"]) != `[{"googleSearch":{}}]` || body["toolConfig"] != nil {
		t.Errorf("sent tools %s, toolConfig %s", body["tools"], body["toolConfig"])
	}
	if r := hr.Header.Get("x-switchyard-route"); !strings.Contains(r, "dropped=tool_choice") {
		t.Errorf("x-switchyard-route %q does not name tool_choice dropped", r)
	}
}

// OpenAI's search_context_size reaches Claude's web search tool as
// max_uses (low 1, medium 5, high 10, LiteLLM's mapping), from a Chat
// client's web_search_options and a Responses client's web_search tool.
func TestClaudeWebSearchContextSize(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	chat := openai.ChatCompletionNewParams{Model: "claude-haiku-4-5", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is new in Paris today?")},
		WebSearchOptions: openai.ChatCompletionNewParamsWebSearchOptions{SearchContextSize: "high"}}
	if _, err := e.Client.Chat.Completions.New(ctxT(t), chat); err != nil {
		t.Fatal(err)
	}
	if got := string(tp.lastBody(t, "/v1/messages")["tools"]); got != `[{"type":"web_search_20250305","name":"web_search","max_uses":10}]` {
		t.Errorf("chat: sent tools %s", got)
	}
	params := webSearchParams("claude-haiku-4-5", "What is new in Paris today?")
	params.Tools = []responses.ToolUnionParam{{OfWebSearch: &responses.WebSearchToolParam{Type: responses.WebSearchToolTypeWebSearch, SearchContextSize: responses.WebSearchToolSearchContextSizeLow}}}
	if _, err := e.Client.Responses.New(ctxT(t), params); err != nil {
		t.Fatal(err)
	}
	if got := string(tp.lastBody(t, "/v1/messages")["tools"]); got != `[{"type":"web_search_20250305","name":"web_search","max_uses":1}]` {
		t.Errorf("responses: sent tools %s", got)
	}
}
