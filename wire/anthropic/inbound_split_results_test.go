package anthropic

import (
	"testing"

	"switchyard/llm"
)

// The API merges consecutive user turns, so a client may split one turn's
// tool results across messages. The text a first part held after its
// results (a user message) goes after every tool message of the turn, and
// a result's images stay in its tool message: OpenAI's Chat Completions refuses a
// message between an assistant's calls and their tool messages.
func TestSplitToolResultsStayTogether(t *testing.T) {
	const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
	image := `{"type":"image","source":{"type":"base64","media_type":"image/png","data":"` + png + `"}}`
	body := `{"model":"m","max_tokens":10,"tools":[{"name":"f","input_schema":{"type":"object"}}],"messages":[` +
		`{"role":"user","content":"q"},` +
		`{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"f","input":{}},{"type":"tool_use","id":"b","name":"f","input":{}},{"type":"tool_use","id":"c","name":"f","input":{}}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":[{"type":"text","text":"chart"},` + image + `]},{"type":"text","text":"first"}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"b","content":[` + image + `]}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"c","content":"3"},{"type":"text","text":"and?"}]}]}`
	mr, err := DecodeMessagesRequest([]byte(body), false)
	if err == nil {
		err = Validate(mr)
	}
	if err != nil {
		t.Fatal(err)
	}
	req, err := RequestToLLM(mr)
	if err != nil {
		t.Fatal(err)
	}
	var roles []llm.Role
	for _, m := range req.Messages {
		roles = append(roles, m.Role)
	}
	want := []llm.Role{llm.RoleUser, llm.RoleAssistant, llm.RoleTool, llm.RoleTool, llm.RoleTool, llm.RoleUser, llm.RoleUser}
	if len(roles) != len(want) {
		t.Fatalf("roles %v, want %v", roles, want)
	}
	for i := range want {
		if roles[i] != want[i] {
			t.Fatalf("roles %v, want %v", roles, want)
		}
	}
	for i, id := range []string{"a", "b", "c"} {
		if got := req.Messages[2+i].ToolCallID(); got != id {
			t.Errorf("tool message %d answers %q, want %q", i, got, id)
		}
	}
	if p := req.Messages[2].Content; len(p) != 2 || p[1].Type != llm.PartImage {
		t.Errorf("a's tool message: %+v, want its text and image", p)
	}
	if got := req.Messages[5].Text(); got != "first" {
		t.Errorf("first user message after the results: %q, want the first part's text", got)
	}
}
