package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
)

// dropTurnsEdit adds the optional hosted tools' routes (optionalHostedEdit),
// Azure's v1 deployment (azureHostedEdit: web search, no computer tool)
// and two routes that set hosted_tools drop_optional: "v1-drop", Azure's
// v1 deployment alone; "gemini-drop", Gemini 2.5 alone.
func dropTurnsEdit(c *config.Config) {
	optionalHostedEdit(c)
	azureHostedEdit(c)
	c.Routes["v1-drop"] = &config.Route{Name: "v1-drop", Deployments: []string{"azure-v1-mini"}, HostedTools: config.HostedToolsDropOptional}
	c.Routes["gemini-drop"] = &config.Route{Name: "gemini-drop", Deployments: []string{"gemini-2.5-flash"}, HostedTools: config.HostedToolsDropOptional}
}

// allowedChoice is a tool_choice of allowed_tools, mode auto.
func allowedChoice(tools ...map[string]any) responses.ResponseNewParamsToolChoiceUnion {
	return responses.ResponseNewParamsToolChoiceUnion{OfAllowedTools: &responses.ToolChoiceAllowedParam{Mode: "auto", Tools: tools}}
}

// newDropped asks p and checks the answer came from dep with the hosted
// tool dropped named.
func newDropped(t *testing.T, e *env, p responses.ResponseNewParams, dep, dropped string) *responses.Response {
	t.Helper()
	var hr *http.Response
	resp, err := e.Client.Responses.New(ctxT(t), p, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatalf("%s: %v", p.Model, err)
	}
	if s := hr.Header.Get("x-switchyard-route"); !strings.Contains(s, "deployment="+dep) || !strings.Contains(s, "dropped="+dropped) {
		t.Errorf("%s: x-switchyard-route %q, want %s with dropped=%s", p.Model, s, dep, dropped)
	}
	return resp
}

// TestHostedToolsDropOptionalAllowed: an allowed_tools choice (mode auto)
// naming an optional hosted tool that a candidate cannot run reaches it
// without the tool: a Chat deployment gets the allowed function alone; a
// choice naming Codex's shell tool beside web_search is sent as Chat's
// plain auto, not the Responses choice; Azure's v1 Responses API (web
// search, no computer tool) gets the choice as written without the
// computer tool, the web search and the function still allowed.
func TestHostedToolsDropOptionalAllowed(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, dropTurnsEdit)
	fn := map[string]any{"type": "function", "name": "get_time"}
	ws := map[string]any{"type": "web_search"}

	p := searchAndFunction("nosearch-drop")
	p.ToolChoice = allowedChoice(ws, fn)
	newDropped(t, e, p, "azure-gpt-4o-mini", "web_search")
	sent := tp.lastBody(t, "/openai/deployments/")
	if strings.Contains(string(sent["tools"]), "web_search") || toolCount(sent["tools"]) != 1 || string(sent["tool_choice"]) != `"auto"` {
		t.Errorf("allowed web search and a function: Azure sent tools %s, tool_choice %s", sent["tools"], sent["tool_choice"])
	}

	p = searchAndFunction("nosearch-drop")
	p.Tools = append(p.Tools, responses.ToolUnionParam{OfShell: &responses.FunctionShellToolParam{Environment: responses.FunctionShellToolEnvironmentUnionParam{OfLocal: &responses.LocalEnvironmentParam{}}}})
	p.ToolChoice = allowedChoice(ws, map[string]any{"type": "shell"})
	newDropped(t, e, p, "azure-gpt-4o-mini", "web_search")
	sent = tp.lastBody(t, "/openai/deployments/")
	if strings.Contains(string(sent["tools"]), "web_search") || strings.Contains(string(sent["tool_choice"]), "allowed_tools") || strings.Contains(string(sent["tools"]), "get_time") {
		t.Errorf("allowed web search and shell: Azure sent tools %s, tool_choice %s", sent["tools"], sent["tool_choice"])
	}

	p = searchAndFunction("v1-drop")
	p.Tools = append(p.Tools, responses.ToolUnionParam{OfComputer: &responses.ComputerToolParam{}})
	p.ToolChoice = allowedChoice(ws, map[string]any{"type": "computer"}, fn)
	newDropped(t, e, p, "azure-v1-mini", "computer")
	sent = tp.lastBody(t, "/openai/v1/responses")
	if got := compact(t, string(sent["tool_choice"])); got != `{"mode":"auto","tools":[{"type":"web_search"},{"name":"get_time","type":"function"}],"type":"allowed_tools"}` ||
		strings.Contains(string(sent["tools"]), `"computer"`) {
		t.Errorf("allowed web search, computer and a function: Azure v1 sent tools %s, tool_choice %s", sent["tools"], sent["tool_choice"])
	}
}

// historyInput is a conversation whose first turn OpenAI's web search
// served: the question, the answer's output items as openai-go sends
// them back (the web_search_call, then the message), and a new question.
func historyInput(t *testing.T, first *responses.Response) responses.ResponseNewParamsInputUnion {
	t.Helper()
	items := responses.ResponseInputParam{responses.ResponseInputItemParamOfMessage("What is the weather in Paris today?", responses.EasyInputMessageRoleUser)}
	for _, it := range first.Output {
		switch it.Type {
		case "web_search_call":
			ws := it.AsWebSearchCall().ToParam()
			items = append(items, responses.ResponseInputItemUnionParam{OfWebSearchCall: &ws})
		case "message":
			m := it.AsMessage().ToParam()
			items = append(items, responses.ResponseInputItemUnionParam{OfOutputMessage: &m})
		default:
			t.Fatalf("first turn: output item %s", it.RawJSON())
		}
	}
	return responses.ResponseNewParamsInputUnion{OfInputItemList: append(items, responses.ResponseInputItemParamOfMessage("And tomorrow?", responses.EasyInputMessageRoleUser))}
}

// TestHostedToolsDropOptionalHistory: a conversation whose earlier turn
// OpenAI's web search served (the web_search_call sent back as input, as
// the Codex CLI does) continues on a drop_optional route whose
// candidates cannot search — Azure's deployment routes, Gemini 2.5 beside
// a function tool —: the search call is left out, the answer that
// followed it goes as the assistant's turn; a route that refuses answers
// 400 as before.
func TestHostedToolsDropOptionalHistory(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, dropTurnsEdit)
	first, err := e.Client.Responses.New(ctxT(t), searchAndFunction("gpt-4o-mini"))
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Output) != 2 || first.Output[0].Type != "web_search_call" {
		t.Fatalf("first turn: %s", first.RawJSON())
	}
	answer := first.Output[1].AsMessage().Content[0].Text

	p := searchAndFunction("nosearch-drop")
	p.Input = historyInput(t, first)
	newDropped(t, e, p, "azure-gpt-4o-mini", "web_search")
	var msgs []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	quoted, _ := json.Marshal(answer)
	body := tp.lastBody(t, "/openai/deployments/")
	if err := json.Unmarshal(body["messages"], &msgs); err != nil || len(msgs) != 3 || msgs[1].Role != "assistant" || !strings.Contains(string(msgs[1].Content), string(quoted)) ||
		strings.Contains(string(body["messages"]), "web_search") {
		t.Errorf("Azure sent messages %s (%v), want the question, the answer, the new question", body["messages"], err)
	}

	p.Model = "gemini-drop"
	newDropped(t, e, p, "gemini-2.5-flash", "web_search")
	body = tp.lastBody(t, "GenerateContent")
	var contents []struct {
		Role  string `json:"role"`
		Parts []struct {
			Text string `json:"text"`
		} `json:"parts"`
	}
	if err := json.Unmarshal(body["contents"], &contents); err != nil || len(contents) != 3 || contents[1].Role != "model" || len(contents[1].Parts) != 1 || contents[1].Parts[0].Text != answer ||
		strings.Contains(string(body["tools"]), "googleSearch") {
		t.Errorf("Gemini sent contents %s (%v), tools %s", body["contents"], err, body["tools"])
	}

	p.Model = "nosearch"
	if _, err := e.Client.Responses.New(ctxT(t), p); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("nosearch (refuse): %v, want a 400", err)
	}
}

// TestHostedToolsDropOptionalContinued: a stored answer of OpenAI's web
// search continued by previous_response_id on a drop_optional route of
// Azure's deployment routes: sent the stored question and answer without
// the search call.
func TestHostedToolsDropOptionalContinued(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), optionalHostedEdit)
	p := searchAndFunction("gpt-4o-mini")
	p.Store = openai.Bool(true)
	first, err := e.Client.Responses.New(ctxT(t), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Output) != 2 || first.Output[0].Type != "web_search_call" {
		t.Fatalf("first turn: %s", first.RawJSON())
	}
	next := searchAndFunction("nosearch-drop")
	next.Input = responses.ResponseNewParamsInputUnion{OfString: openai.String("And tomorrow?")}
	next.PreviousResponseID = openai.String(first.ID)
	newDropped(t, e, next, "azure-gpt-4o-mini", "web_search")
	var sent struct {
		Messages []struct {
			Role string `json:"role"`
		} `json:"messages"`
	}
	body := ul.last(t, "azure")
	if err := json.Unmarshal([]byte(body), &sent); err != nil || len(sent.Messages) != 3 || sent.Messages[1].Role != "assistant" || strings.Contains(body, "web_search") {
		t.Errorf("Azure sent %s (%v), want the stored question and answer, the new question", body, err)
	}
}
