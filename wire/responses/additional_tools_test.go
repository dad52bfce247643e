package responses

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/wire/anthropic"
)

const lookupTool = `{"type":"function","name":"lookup","description":"Looks up.","parameters":{"type":"object","properties":{"q":{"type":"string"}}}}`

// An additional_tools item offers its tools after the request's: a
// Claude deployment gets the request's tools (AnthropicTools) and, where
// the item stood, a system message of tool_addition blocks defining them
// under the inline tools beta; the set in effect (Tools) is every tool.
func TestAdditionalToolsInPlace(t *testing.T) {
	r := decodeOK(t, `{"model":"m","tools":[{"type":"function","name":"search"}],"input":[
		{"role":"user","content":"Find it."},
		{"type":"additional_tools","id":"at_1","role":"developer","tools":[`+lookupTool+`,{"type":"apply_patch"}]},
		{"role":"user","content":"Now look it up."}]}`)
	req := r.Chat
	if names := toolNames(req.Tools); names != "search,lookup,apply_patch" {
		t.Errorf("tools in effect %s", names)
	}
	if names := toolNames(req.AnthropicTools); names != "search" {
		t.Errorf("declared tools %s", names)
	}
	if len(req.AnthropicBetas) != 1 || req.AnthropicBetas[0] != anthropic.InlineToolsBeta {
		t.Errorf("betas %v", req.AnthropicBetas)
	}
	if len(req.Messages) != 3 || req.Messages[1].Role != llm.RoleSystem {
		t.Fatalf("messages %+v", req.Messages)
	}
	changes := req.Messages[1].ToolChanges()
	if len(changes) != 2 || !strings.HasPrefix(string(changes[0].Raw), `{"type":"tool_addition","tool":{"type":"tool_definition","definition":{"name":"lookup","description":"Looks up.","input_schema":{"type":"object"`) ||
		!strings.Contains(string(changes[1].Raw), `"name":"apply_patch"`) {
		t.Errorf("tool changes %s / %s", changes[0].Raw, changes[len(changes)-1].Raw)
	}
	var echo struct{ Tools []struct{ Name string } }
	out := FromResponse(&llm.Response{Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "ok")}}}, IDs{Base: "b"})
	if err := json.Unmarshal(AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}, Model: "m"}, &out), &echo); err != nil || len(echo.Tools) != 3 {
		t.Errorf("echoed tools %+v (%v)", echo.Tools, err)
	}
}

// A custom tool among the tools cannot go to Claude in place (it takes
// it lowered to a function): every deployment is then offered the set
// in effect, and no addition message is left.
func TestAdditionalToolsCustomAsSetInEffect(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":[{"role":"user","content":"Patch."},{"type":"additional_tools","tools":[{"type":"custom","name":"patch"}]}]}`)
	if names := toolNames(r.Chat.Tools); names != "patch" || r.Chat.AnthropicTools != nil || len(r.Chat.Messages) != 1 || r.Chat.AnthropicBetas != nil {
		t.Errorf("tools %s, declared %v, %d messages, betas %v", names, r.Chat.AnthropicTools, len(r.Chat.Messages), r.Chat.AnthropicBetas)
	}
}

// A stored response's additions hold for its continuation, whose request
// declares its tools again; the stored item keeps its place, with an
// at_ id and no status.
func TestAdditionalToolsCarried(t *testing.T) {
	first := turn(t, `{"model":"m","tools":[{"type":"function","name":"search"}],"input":[{"role":"user","content":"Hi"},{"type":"additional_tools","tools":[`+lookupTool+`]}]}`, nil)
	in, err := StoredInput(first, IDs{Base: "1"})
	if err != nil || !strings.Contains(string(in), `"id":"at_1_i1"`) || strings.Count(string(in), `"status"`) != 1 {
		t.Fatalf("stored input %s (%v)", in, err)
	}
	out := Output{Status: StatusCompleted, Items: []Item{{Type: ItemMessage, ID: "msg_1", Text: "Hello."}}}
	next := turn(t, `{"model":"m","tools":[{"type":"function","name":"search"}],"previous_response_id":"resp_1","input":"Again."}`, &Prior{Input: in, Output: StoredOutput(&out)})
	if names := toolNames(next.Chat.Tools); names != "search,lookup" || len(next.Chat.Messages[1].ToolChanges()) != 1 {
		t.Errorf("continuation: tools %s, messages %+v", names, next.Chat.Messages)
	}
}

func TestAdditionalToolsErrors(t *testing.T) {
	at := func(item string) string {
		return `{"model":"m","tools":[{"type":"function","name":"search"}],"input":[{"role":"user","content":"Hi"},` + item + `]}`
	}
	for _, c := range []struct{ body, param, says string }{
		{at(`{"type":"additional_tools"}`), "input[1].tools", "Missing required parameter: 'input[1].tools'"},
		{at(`{"type":"additional_tools","tools":{}}`), "input[1].tools", "expected an array of tools"},
		{at(`{"type":"additional_tools","role":"user","tools":[]}`), "input[1].role", "'developer'"},
		{at(`{"type":"additional_tools","tools":[],"status":"completed"}`), "input[1].status", "Unknown parameter"},
		{at(`{"type":"additional_tools","tools":[{"type":"web_search"}]}`), "input[1].tools[0].type", "hosted tool 'web_search' cannot be added"},
		{at(`{"type":"additional_tools","tools":[{"type":"function","name":"bad name"}]}`), "input[1].tools[0].name", "1 to 64 letters"},
		{at(`{"type":"additional_tools","tools":[{"type":"function","name":"search"}]}`), "input[1].tools[0].name", "'search' is already available"},
		{at(`{"type":"additional_tools","tools":[` + lookupTool + `]},{"type":"additional_tools","tools":[` + lookupTool + `]}`), "input[2].tools[0].name", "'lookup' is already available"},
	} {
		wantDecodeError(t, c.body, c.param, c.says)
	}
}

func toolNames(tools []llm.Tool) string {
	names := make([]string, len(tools))
	for i := range tools {
		names[i] = tools[i].Name
	}
	return strings.Join(names, ",")
}
